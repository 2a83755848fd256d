import type { EngineStore } from '../port.ts';
import type { BatchCache } from './batch-cache.ts';
import type { WriteBuffer } from './write-buffer.ts';

type StepWriter = Pick<
  EngineStore,
  | 'writeStep'
  | 'failInstance'
  | 'appendStepLog'
  | 'moveToVersion'
  | 'markEventProcessed'
  | 'markEffectsStarted'
  | 'takeOutcomeResolution'
  | 'finishEffect'
  | 'retryEffect'
  | 'deferEffect'
  | 'reopenFailedStep'
  | 'parkUnknownEffect'
  | 'updateCustomer'
>;

/**
 * The PostgreSQL store's writer: a step's rows go into the open batch's buffer (write-buffer.ts)
 * and its cached row follows the step, so later reads in the batch see it.
 */
export function stepWriter(current: () => { cache: BatchCache; writes: WriteBuffer }): StepWriter {
  const appendStepLog: StepWriter['appendStepLog'] = (row, at, kind, nodeId, fromNodeId, port, detail) => {
    current().writes.appendStepLog([row.id, row.journeyId, row.versionId, at, kind, nodeId, fromNodeId, port, detail]);
  };
  return {
    writeStep(row, plan, now, inserted) {
      const { cache, writes } = current();
      const at = new Date(now);
      for (const [kind, nodeId, fromNodeId, port, detail] of plan.logs)
        appendStepLog(row, now, kind, nodeId, fromNodeId, port, detail == null ? null : JSON.stringify(detail));
      for (const [nodeId, nodeType, key] of plan.effects)
        writes.insertOutbox(row.id, nodeId, nodeType, `${row.id}:${key}`, now, at);
      for (const [dueAt, key] of plan.timers) writes.insertTimer(row.id, dueAt, key, at);
      if (plan.dropTimer && !inserted) writes.deleteTimer(row.id, plan.dropTimer);
      const ended = plan.status !== 'active';
      if (ended && !inserted) writes.clearTimers(row.id);
      cache.stepped(row, {
        snapshot: plan.stored,
        nodeId: plan.nodeId,
        status: plan.status,
        waitingFor: plan.waitingFor,
      });
      if (inserted) return;
      const movedOnly = !ended && !plan.goal;
      writes.updateInstance(row.id, {
        snapshot: plan.stored,
        nodeId: plan.nodeId,
        waitingFor: plan.waitingFor,
        status: plan.status,
        exitReason: movedOnly ? null : plan.exitReason,
        goalAt: plan.goal ? at : null,
        updatedAt: at,
        endedAt: ended ? at : null,
      });
    },

    failInstance(row, reason, now) {
      const { cache, writes } = current();
      const at = new Date(now);
      writes.updateInstance(row.id, {
        snapshot: row.snapshot,
        nodeId: row.nodeId,
        waitingFor: null,
        status: 'failed',
        exitReason: reason,
        goalAt: null,
        updatedAt: at,
        endedAt: at,
      });
      writes.clearTimers(row.id);
      cache.stepped(row, { snapshot: row.snapshot, nodeId: row.nodeId, status: 'failed', waitingFor: null });
    },

    appendStepLog,
    updateCustomer(customerId, update, source, now) {
      const { cache, writes } = current();
      writes.customerUpdate(customerId, update, source, new Date(now));
      cache.customerUpdated(customerId, update);
    },
    moveToVersion(instanceId, versionId) {
      current().writes.moveToVersion(instanceId, versionId);
    },
    markEventProcessed(externalId, now) {
      current().writes.eventProcessed(externalId, now);
    },

    markEffectsStarted(effectIds) {
      current().writes.effectsStarted(effectIds);
    },
    takeOutcomeResolution(effectKey, now) {
      const { cache, writes } = current();
      const found = cache.resolution(effectKey, true);
      if (!found) return undefined;
      writes.resolutionTaken(found.id, now);
      return { action: found.action, decidedBy: found.decidedBy };
    },
    finishEffect(effectId, status, attempts, result, error, now) {
      current().writes.effectOutcome(effectId, { kind: 'finish', status, attempts, result, error, at: new Date(now) });
    },
    retryEffect(effectId, attempts, at, error) {
      current().writes.effectOutcome(effectId, { kind: 'retry', attempts, nextAttemptAt: at, error });
    },
    deferEffect(effectId, at) {
      current().writes.effectOutcome(effectId, { kind: 'defer', nextAttemptAt: at });
    },
    reopenFailedStep(instanceId, effectKey, now) {
      current().writes.reopenFailedStep(instanceId, effectKey, now);
    },
    parkUnknownEffect(effectId, attempts, error) {
      current().writes.effectOutcome(effectId, { kind: 'park', attempts, error });
    },
  };
}
