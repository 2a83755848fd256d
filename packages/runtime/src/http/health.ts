import type { RequestHandler } from 'express';
import type { SqlClient } from '../db/sql-client.ts';

/** Due items are counted up to this many: beyond it the exact figure changes nothing for an alert. */
export const HEALTH_COUNT_CAP = 10_000;

export interface EngineHealth {
  /** Age in ms of the oldest timer or effect that is due and not yet run (0: nothing overdue). */
  lagMs: number;
  /** Due outbox effects not yet run, counted up to `countCap`. */
  effectsDue: number;
  /** Due timers not yet fired, counted up to `countCap`. */
  timersDue: number;
  countCap: number;
}

/**
 * Reads how far behind the engine is from two cheap queries per table on the indexes the engine's
 * own loop uses (OutboxEffect(status, nextAttemptAt), Timer(dueAt)): the oldest due item is one
 * index seek and the counts stop at the cap, so a load balancer or Prometheus polling it costs
 * nothing even during a large backlog. /health, /ready and /metrics share it.
 */
export function engineHealthReader(sql: SqlClient): (at: number) => Promise<EngineHealth> {
  return async (at) => {
    const [oldestEffect, effectsDue, oldestTimer, timersDue] = await Promise.all([
      sql.get<{ at: number | null }>(
        "SELECT min(nextAttemptAt) AS at FROM OutboxEffect WHERE status = 'pending' AND nextAttemptAt <= ?",
        [at],
      ),
      sql.get<{ n: number }>(
        "SELECT count(*) AS n FROM (SELECT 1 FROM OutboxEffect WHERE status = 'pending' AND nextAttemptAt <= ? LIMIT ?) AS due",
        [at, HEALTH_COUNT_CAP],
      ),
      sql.get<{ at: number | null }>('SELECT min(dueAt) AS at FROM Timer WHERE dueAt <= ?', [at]),
      sql.get<{ n: number }>('SELECT count(*) AS n FROM (SELECT 1 FROM Timer WHERE dueAt <= ? LIMIT ?) AS due', [
        at,
        HEALTH_COUNT_CAP,
      ]),
    ]);
    const oldest = [oldestEffect?.at, oldestTimer?.at].filter((v) => v !== null && v !== undefined).map(Number);
    return {
      lagMs: oldest.length ? Math.max(0, at - Math.min(...oldest)) : 0,
      effectsDue: Number(effectsDue?.n ?? 0),
      timersDue: Number(timersDue?.n ?? 0),
      countCap: HEALTH_COUNT_CAP,
    };
  };
}

/**
 * GET /health: the process is alive (liveness), with the engine's lag so an operator sees it is
 * behind (a backlog draining, or a stuck loop) while the process itself is up. Readiness (may this
 * process take traffic) is /ready.
 */
export function healthHandler(sql: SqlClient, now: () => number = Date.now): RequestHandler {
  const engineHealth = engineHealthReader(sql);
  return (_req, res, next) => {
    Promise.all([sql.get<{ n: number }>('SELECT count(*) AS n FROM _prisma_migrations'), engineHealth(now())])
      .then(([migrations, engine]) => res.json({ ok: true, migrations: migrations?.n ?? 0, engine }))
      .catch(next);
  };
}
