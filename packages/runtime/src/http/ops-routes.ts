import type express from 'express';
import { Counter, Gauge } from 'prom-client';
import type { SqlClient } from '../db/sql-client.ts';
import type { Metrics } from '../metrics/registry.ts';
import { type EngineHealth, engineHealthReader, healthHandler } from './health.ts';
import { metricsHandler } from './metrics-route.ts';
import { readyHandler } from './ready.ts';

/** What /health, /ready and /metrics need; every process serves them, the worker nothing else. */
export interface OpsOptions {
  metrics: Metrics;
  /** METRICS_TOKEN; unset: /metrics for loopback only. */
  metricsToken?: string;
  /** Role all/worker: the engine's lag decides readiness. */
  runsEngine: boolean;
  readyMaxLagMs: number;
  stopping?: () => boolean;
  now?: () => number;
  /** The engine's step count (DurableEngine.steps). */
  steps?: () => number;
}

export function mountOpsRoutes(app: express.Express, sql: SqlClient, options: OpsOptions): void {
  registerEngineGauges(options.metrics, sql, options);
  app.get('/health', healthHandler(sql, options.now));
  app.get(
    '/ready',
    readyHandler(sql, {
      runsEngine: options.runsEngine,
      maxLagMs: options.readyMaxLagMs,
      now: options.now,
      stopping: options.stopping,
    }),
  );
  app.get('/metrics', metricsHandler(options.metrics, options.metricsToken));
}

/**
 * Gauges read from the database when Prometheus scrapes (the same capped index queries as /health),
 * so every process, web or worker, reports the shared backlog; and the engine's step counter. One
 * read serves all gauges of a scrape.
 */
function registerEngineGauges(metrics: Metrics, sql: SqlClient, options: Pick<OpsOptions, 'now' | 'steps'>): void {
  const registers = [metrics.registry];
  if (metrics.registry.getSingleMetric('siyu_engine_lag_seconds')) return; // a second app on one registry
  const read = engineHealthReader(sql);
  const now = options.now ?? Date.now;
  let last: { at: number; health: Promise<EngineHealth> } | undefined;
  const health = () => {
    const at = Date.now();
    if (!last || at - last.at > 1000) last = { at, health: read(now()) };
    return last.health;
  };
  new Gauge({
    name: 'siyu_engine_lag_seconds',
    help: 'Age of the oldest due timer or outbox effect not yet run (0: nothing overdue)',
    registers,
    async collect() {
      this.set((await health()).lagMs / 1000);
    },
  });
  new Gauge({
    name: 'siyu_outbox_backlog',
    help: 'Pending outbox effects that are due and not yet run (counted up to 10000)',
    registers,
    async collect() {
      this.set((await health()).effectsDue);
    },
  });
  new Gauge({
    name: 'siyu_timers_due',
    help: 'Timers due and not yet fired (counted up to 10000)',
    registers,
    async collect() {
      this.set((await health()).timersDue);
    },
  });
  const steps = options.steps;
  if (!steps) return;
  let counted = 0;
  new Counter({
    name: 'siyu_engine_steps_total',
    help: 'Journey steps (state transitions) this process executed',
    registers,
    collect() {
      const total = steps();
      if (total > counted) this.inc(total - counted);
      counted = total;
    },
  });
}
