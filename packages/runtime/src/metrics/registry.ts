// The process's Prometheus metrics (prom-client), one registry per process. It sits beside the
// logger at the bottom of the layers: the HTTP layer records requests in it, the assembly records
// provider calls, and the engine may record into it later (engine-observer.ts) without importing
// anything above itself.
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  /** Requests by method, route PATTERN (never the raw URL: ids and tokens must not become labels) and status. */
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** Executor runs (one provider call each) by provider (the node package), node type and outcome. */
  providerCalls: Counter<'provider' | 'node_type' | 'outcome'>;
  providerDuration: Histogram<'provider' | 'node_type'>;
  /** Due → fired delay of each timer; recorded once the engine reports fired timers (engine-observer.ts). */
  timerFireLag: Histogram;
}

/** Seconds: a local handler takes ~1 ms, a provider call 50 ms–10 s. */
const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Seconds: a healthy timer fires within a poll (0.25 s); minutes mean a backlog. */
const LAG_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

/** A registry with the process defaults (CPU, memory, event-loop lag) labelled with the role. */
export function createMetrics(options: { role?: string; defaults?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.role) registry.setDefaultLabels({ role: options.role });
  if (options.defaults ?? true) collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'siyu_http_request_duration_seconds',
      help: 'HTTP request latency by route pattern',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    providerCalls: new Counter({
      name: 'siyu_provider_calls_total',
      help: 'Executor runs (provider calls) by provider, node type and outcome (ok, retryable, permanent, unknown, error)',
      labelNames: ['provider', 'node_type', 'outcome'],
      registers: [registry],
    }),
    providerDuration: new Histogram({
      name: 'siyu_provider_call_duration_seconds',
      help: 'Executor run (provider call) latency by provider and node type',
      labelNames: ['provider', 'node_type'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    timerFireLag: new Histogram({
      name: 'siyu_timer_fire_lag_seconds',
      help: 'Delay between a timer coming due and firing',
      buckets: LAG_BUCKETS,
      registers: [registry],
    }),
  };
}
