import type BetterSqlite3 from 'better-sqlite3';
import { isoDate } from '../../../db/iso-date.ts';
import type { EngineStore } from '../port.ts';
import type { Statements } from './statements.ts';

/** An operator's retry of a failed step on SQLite (retry-step.ts): its reads and its two writes. */
export function sqliteRetry(
  db: BetterSqlite3.Database,
  st: Statements,
): Pick<EngineStore, 'loadRetry' | 'reopenFailedStep'> {
  const ended = db.prepare<[number], { exitReason: string | null; journeyStatus: string }>(
    'SELECT i.exitReason, j.status AS journeyStatus FROM Instance i JOIN Journey j ON j.id = i.journeyId WHERE i.id = ?',
  );
  const again = db.prepare<[string, string, number]>(
    "SELECT 1 FROM Instance WHERE customerId = ? AND journeyId = ? AND status = 'active' AND id != ?",
  );
  const failed = db.prepare<[number], { idempotencyKey: string }>(
    "SELECT idempotencyKey FROM OutboxEffect WHERE instanceId = ? AND status = 'failed'",
  );
  const reopenEffect = db.prepare(
    "UPDATE OutboxEffect SET status = 'pending', nextAttemptAt = ?, lastError = NULL, result = NULL, finishedAt = NULL WHERE idempotencyKey = ? AND status = 'failed'",
  );
  const reopenInstance = db.prepare(
    "UPDATE Instance SET status = 'active', exitReason = NULL, endedAt = NULL, updatedAt = ? WHERE id = ?",
  );
  return {
    loadRetry(instanceId) {
      const row = st.instanceById.get(instanceId);
      const facts = row && ended.get(instanceId);
      if (!row || !facts) return undefined;
      return {
        row,
        ...facts,
        runsAgain: again.get(row.customerId, row.journeyId, instanceId) !== undefined,
        failedEffectKeys: failed.all(instanceId).map((r) => r.idempotencyKey),
      };
    },
    reopenFailedStep(instanceId, effectKey, now) {
      reopenEffect.run(now, effectKey);
      reopenInstance.run(isoDate(now), instanceId);
    },
  };
}
