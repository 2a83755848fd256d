import type { RequestHandler } from 'express';
import { PROVIDER_FILES, recordedMigrationsComplete } from '../db/migrations.ts';
import type { SqlClient } from '../db/sql-client.ts';
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
export function readyHandler(sql: SqlClient, options: ReadyOptions): RequestHandler {
  const now = options.now ?? Date.now;
  const engineHealth = engineHealthReader(sql);
  return (_req, res, next) => {
    const notReady = (reason: string, checks: Record<string, unknown> = {}) =>
      res.status(503).json({ ready: false, reason, ...checks });
    if (options.stopping?.()) return notReady('shutting down');
    const answer = async () => {
      try {
        await sql.get('SELECT 1 AS one');
      } catch (error) {
        return notReady(`database unreachable: ${(error as Error).message}`);
      }
      if (!(await migrationsApplied(sql))) return notReady('migrations not applied');
      if (!options.runsEngine) return res.json({ ready: true });
      const engine = await engineHealth(now());
      if (engine.lagMs > options.maxLagMs)
        return notReady(`engine lag ${engine.lagMs} ms is over ${options.maxLagMs} ms`, { engine });
      return res.json({ ready: true, engine });
    };
    answer().catch(next);
  };
}

/**
 * Whether `_prisma_migrations` records every migration this build carries (for its database's
 * provider) as finished, none failed. No table: none applied.
 */
export async function migrationsApplied(sql: SqlClient): Promise<boolean> {
  let rows: { name: string; finished: string | null }[];
  try {
    rows = await sql.all(
      'SELECT migration_name AS name, finished_at AS finished FROM _prisma_migrations WHERE rolled_back_at IS NULL',
    );
  } catch (error) {
    // No table yet (SQLite: "no such table"; PostgreSQL: "does not exist"); anything else is an error.
    if (/no such table|does not exist/.test((error as Error).message)) return false;
    throw error;
  }
  const recorded = {
    finished: rows.filter((r) => r.finished !== null).map((r) => r.name),
    unfinished: rows.filter((r) => r.finished === null).map((r) => r.name),
  };
  return recordedMigrationsComplete(recorded, PROVIDER_FILES[sql.dialect].migrationsDir);
}
