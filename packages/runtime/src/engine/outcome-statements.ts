// Statements for steps whose outcome is (or may become) unknown. Attempts are counted as they
// start, so a run after a crash knows it is a re-run. The dispatcher parks an effect whose
// executor throws OutcomeUnknownError in status "unknown" (no retry, no failure: the customer
// waits at the node) and, once an operator has decided (OutcomeResolution: resend | markSent | skip, see runs/unknown-outcomes.ts),
// takes that decision exactly once when the effect runs again.
import type BetterSqlite3 from 'better-sqlite3';
import type { OutcomeResolutionAction } from './store/port.ts';

export type { OutcomeResolutionAction } from './store/port.ts';

export function prepareOutcomeStatements(db: BetterSqlite3.Database) {
  const park = db.prepare<[number, string, number]>(
    "UPDATE OutboxEffect SET status = 'unknown', attempts = ?, lastError = ? WHERE id = ?",
  );
  // Oldest open decision first; consumed in the same statement, so a decision is acted on once
  // even if the process dies right after (the step then parks again and the operator sees it).
  const take = db.prepare<[number, string], { action: OutcomeResolutionAction; decidedBy: string }>(
    `UPDATE OutcomeResolution SET consumedAt = ?
     WHERE id = (SELECT id FROM OutcomeResolution WHERE effectKey = ? AND consumedAt IS NULL ORDER BY id LIMIT 1)
     RETURNING action, decidedBy`,
  );
  const peek = db.prepare<[string], { action: OutcomeResolutionAction; decidedBy: string }>(
    'SELECT action, decidedBy FROM OutcomeResolution WHERE effectKey = ? AND consumedAt IS NULL ORDER BY id LIMIT 1',
  );
  const started = db.prepare<[string]>(
    'UPDATE OutboxEffect SET attempts = attempts + 1 WHERE id IN (SELECT value FROM json_each(?))',
  );
  return {
    /**
     * Counts an attempt when the executor starts, not when its outcome is stored: after a crash the
     * next run sees attempt > 1 and knows an earlier one may have reached the provider. (The
     * outcome's own write stores the same count.)
     */
    markEffectsStarted: (effectIds: number[]) => {
      if (effectIds.length > 0) started.run(JSON.stringify(effectIds));
    },
    parkUnknownEffect: (effectId: number, attempts: number, error: string) => park.run(attempts, error, effectId),
    /** The operator's pending decision on this effect, if any (not yet taken). */
    peekOutcomeResolution: (effectKey: string) => peek.get(effectKey),
    /** The operator's pending decision on this effect, if any, marked as taken. */
    takeOutcomeResolution: (effectKey: string, now: number) => take.get(now, effectKey),
  };
}
