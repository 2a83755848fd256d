import { type RunContext, visitKey } from './compiler.ts';
import { andThen, type MaybePromise } from './maybe-async.ts';
import type { Stepper } from './stepper.ts';
import type { EngineStore } from './store/port.ts';

/** Why a failed step cannot be retried (the API turns these into messages with a code). */
export type RetryRefusal = 'notFound' | 'notFailedHere' | 'journeyNotLive' | 'inJourneyAgain';
export type RetryOutcome = { status: 'retried'; nodeId: string } | { status: 'refused'; reason: RetryRefusal };

/**
 * An operator's retry of a send that failed for good (no phone number, an empty coupon batch) once
 * the cause is fixed. Only a run that ended at that node because of the failure (no failure port
 * drawn: the customer left with `effectFailed:<node>`) is retried; a run that took the failure
 * port is on the path the journey designed for it.
 *
 * The run becomes active again at the node on the same visit, and the failed outbox row goes back
 * to pending: one more attempt under the same idempotency key. That key is what keeps a retry
 * from sending twice: an SMS refused by the provider released its claim (so it is sent now), one
 * the provider did take is found by its key and not sent again; a coupon's reservation was given
 * back on a refusal and the provider de-duplicates on the key. One `retry` step-log row records
 * it (not a `move`: no edge was taken). Runs inside the engine's batch: one load, then the step.
 */
export function retryFailedStep(
  store: EngineStore,
  stepper: Stepper,
  instanceId: number,
  now: number,
): MaybePromise<RetryOutcome> {
  return andThen(store.loadRetry(instanceId), (facts): RetryOutcome => {
    if (!facts) return { status: 'refused', reason: 'notFound' };
    const { row } = facts;
    const nodeId = row.nodeId;
    if (row.status !== 'exited' || !nodeId || facts.exitReason !== `effectFailed:${nodeId}`) {
      return { status: 'refused', reason: 'notFailedHere' };
    }
    if (facts.journeyStatus !== 'live') return { status: 'refused', reason: 'journeyNotLive' };
    // The customer came back into the journey since: two runs of one journey at once is what
    // re-entry rules exist to prevent.
    if (facts.runsAgain) return { status: 'refused', reason: 'inJourneyAgain' };
    const customer = stepper.customerView(row.customerId);
    if (!customer) return { status: 'refused', reason: 'notFound' };

    const old = JSON.parse(row.snapshot) as { c: RunContext };
    const visit = old.c.v[nodeId] ?? 1;
    const key = `${instanceId}:${visitKey(nodeId, visit)}`;
    if (!facts.failedEffectKeys.includes(key)) return { status: 'refused', reason: 'notFailedHere' };
    store.reopenFailedStep(instanceId, key, now);
    row.status = 'active';
    // One visit back, so entering the node is the failed visit again: the same effect key (its
    // outbox row exists, so the engine's insert leaves it as reset above).
    const v = { ...old.c.v, [nodeId]: visit - 1 };
    row.snapshot = JSON.stringify({ s: 'idle', c: { v, at: old.c.at, goal: old.c.goal } });
    stepper.stepSafely(
      row,
      { type: 'goto', nodeId, customer, now },
      { kind: 'retry', placedAt: nodeId, detail: { by: 'operator', key } },
    );
    return { status: 'retried', nodeId };
  });
}
