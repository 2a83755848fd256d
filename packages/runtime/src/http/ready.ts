import type BetterSqlite3 from 'better-sqlite3';
import type { RequestHandler } from 'express';
import { migrationsUpToDate } from '../db/migrations.ts';
import { engineHealthReader } from './health.ts';

export interface ReadyOptions {
  /** Whether this process runs the engine's loops (role all/worker): only then does its lag count. */
  runsEngine: boolean;
  /** Engine lag beyond which the process is not ready (READY_MAX_LAG_MS). */
  maxLagMs: number;
  now?: () => number;
  /** True once SIGTERM arrived: the load balancer should stop sending before the port closes. */
  stopping?: () => boolean;
}

/**
 * GET /ready: may this process take traffic? 200 `{ ready: true, … }`, or 503 with the first reason
 * it may not: shutting down, database unreachable, migrations not applied, or (role all/worker
 * only) the engine further behind than the threshold. A web process's readiness does not depend on
 * the engine's lag: taking it out of the load balancer would not make the workers catch up.
 */
export function readyHandler(sqlite: BetterSqlite3.Database, options: ReadyOptions): RequestHandler {
  const now = options.now ?? Date.now;
  const engineHealth = engineHealthReader(sqlite);
  return (_req, res) => {
    const notReady = (reason: string, checks: Record<string, unknown> = {}) =>
      res.status(503).json({ ready: false, reason, ...checks });
    if (options.stopping?.()) return notReady('shutting down');
    try {
      sqlite.prepare('SELECT 1').get();
    } catch (error) {
      return notReady(`database unreachable: ${(error as Error).message}`);
    }
    if (!migrationsUpToDate(sqlite)) return notReady('migrations not applied');
    if (!options.runsEngine) return res.json({ ready: true });
    const engine = engineHealth(now());
    if (engine.lagMs > options.maxLagMs)
      return notReady(`engine lag ${engine.lagMs} ms is over ${options.maxLagMs} ms`, { engine });
    return res.json({ ready: true, engine });
  };
}
