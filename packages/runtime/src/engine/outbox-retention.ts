import type { SqlClient } from '../db/sql-client.ts';
import type { Logger } from '../logger.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Days a finished outbox row is kept (OUTBOX_RETENTION_DAYS); 0 keeps them all. */
export const DEFAULT_OUTBOX_RETENTION_DAYS = 30;
/** Rows deleted per status and tick: a backlog of months goes in slices, not in one long statement. */
export const PRUNE_SLICE = 5_000;

/**
 * The statuses whose rows nothing reads once they are old. A row is the outbox's record of one
 * step's side effect: while pending, held or unknown it is live work; a failed one is what an
 * operator's retry of the run reads (which effect failed), so it stays. A done or skipped one only
 * guarded its idempotency key against the same step being planned again, which happens within
 * seconds of the first try (a crash, a retried batch), never weeks later: a run's next visit to a
 * node has a new key. What happened stays in the step log, which the timeline and reports read.
 */
const PRUNABLE = ['done', 'skipped'] as const;

/**
 * Returns `prune(now)`, which the engine's tick calls: at most hourly it deletes finished outbox
 * rows older than `retentionDays` (by their last attempt time, on the claim index, oldest first), a
 * slice per status; while slices come back full it goes on at the next tick instead of waiting an
 * hour. Without it the table grew by every message, tag and coupon ever sent. Two engines on one
 * database may both prune: a row is deleted once whoever gets it.
 */
export function outboxPruner(deps: {
  sql: SqlClient;
  logger: Logger;
  retentionDays: number;
  slice?: number;
}): (now: number) => Promise<number> {
  const slice = deps.slice ?? PRUNE_SLICE;
  let nextRunAt = Number.NEGATIVE_INFINITY;
  return async (now) => {
    if (deps.retentionDays <= 0 || now < nextRunAt) return 0;
    const before = now - deps.retentionDays * DAY;
    let deleted = 0;
    let more = false;
    try {
      for (const status of PRUNABLE) {
        const { changes } = await deps.sql.run(
          `DELETE FROM OutboxEffect WHERE id IN (
             SELECT id FROM OutboxEffect WHERE status = ? AND nextAttemptAt < ? ORDER BY nextAttemptAt LIMIT ?)`,
          [status, before, slice],
        );
        deleted += changes;
        more ||= changes >= slice;
      }
    } catch (error) {
      // Housekeeping must not stop the tick it runs in (the timers and effects after it): a failed
      // pass (another worker's delete holding the rows, a locked database) is tried again in an hour.
      deps.logger.warn({ err: error }, 'pruning finished outbox rows failed; trying again in an hour');
      nextRunAt = now + HOUR;
      return deleted;
    }
    nextRunAt = more ? now : now + HOUR;
    if (deleted > 0) deps.logger.info({ deleted, retentionDays: deps.retentionDays }, 'finished outbox rows pruned');
    return deleted;
  };
}
