import type BetterSqlite3 from 'better-sqlite3';
import type { RunContext } from './compiler.ts';
import { isoDate, type Statements } from './statements.ts';
import type { Stepper } from './stepper.ts';

/** Why a failed step cannot be retried (the API turns these into messages with a code). */
export type RetryRefusal = 'notFound' | 'notFailedHere' | 'journeyNotLive' | 'inJourneyAgain';
export type RetryOutcome = { status: 'retried'; nodeId: string } | { status: 'refused'; reason: RetryRefusal };

/**
 * An operator's retry of a send that failed for good (no phone number, an empty coupon batch) once
 * the cause is fixed. Only a run that ended at that node because of the failure (no failure port
 * drawn: the customer left with `effectFailed:<node>`) is retried; a run that took the failure
 * port is on the path the journey designed for it. The run becomes active again at the node with a
 * new visit, so the send runs under a new idempotency key: the failed attempt sent nothing (a
 * provider refusal releases its claim, a coupon's reservation is given back), so nothing is sent
 * twice. One `retry` step-log row records it (not a `move`: no edge was taken).
 * Runs inside the engine's batch transaction.
 */
export function retryFailedStep(
  sqlite: BetterSqlite3.Database,
  st: Statements,
  stepper: Stepper,
  instanceId: number,
  now: number,
): RetryOutcome {
  const row = st.instanceById.get(instanceId);
  if (!row) return { status: 'refused', reason: 'notFound' };
  const ended = sqlite
    .prepare(
      'SELECT i.exitReason, j.status AS journeyStatus FROM Instance i JOIN Journey j ON j.id = i.journeyId WHERE i.id = ?',
    )
    .get(instanceId) as { exitReason: string | null; journeyStatus: string };
  const nodeId = row.nodeId;
  if (row.status !== 'exited' || !nodeId || ended.exitReason !== `effectFailed:${nodeId}`) {
    return { status: 'refused', reason: 'notFailedHere' };
  }
  if (ended.journeyStatus !== 'live') return { status: 'refused', reason: 'journeyNotLive' };
  // The customer came back into the journey since: two runs of one journey at once is what
  // re-entry rules exist to prevent.
  const again = sqlite
    .prepare("SELECT 1 FROM Instance WHERE customerId = ? AND journeyId = ? AND status = 'active' AND id != ?")
    .get(row.customerId, row.journeyId, instanceId);
  if (again) return { status: 'refused', reason: 'inJourneyAgain' };
  const customer = stepper.customerView(row.customerId);
  if (!customer) return { status: 'refused', reason: 'notFound' };

  const old = JSON.parse(row.snapshot) as { c: RunContext };
  sqlite
    .prepare("UPDATE Instance SET status = 'active', exitReason = NULL, endedAt = NULL, updatedAt = ? WHERE id = ?")
    .run(isoDate(now), instanceId);
  row.status = 'active';
  // Visits are kept, so entering the node again is visit n+1: a new idempotency key for the send.
  row.snapshot = JSON.stringify({ s: 'idle', c: { v: old.c.v, at: old.c.at, goal: old.c.goal } });
  stepper.stepSafely(
    row,
    { type: 'goto', nodeId, customer, now },
    { kind: 'retry', placedAt: nodeId, detail: { by: 'operator' } },
  );
  return { status: 'retried', nodeId };
}
