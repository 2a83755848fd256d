import type BetterSqlite3 from 'better-sqlite3';
import type { EngineStore } from '../port.ts';
import type { Statements } from './statements.ts';

export type EngineLoader = Pick<
  EngineStore,
  | 'claimDueTimers'
  | 'prepareEnrolment'
  | 'prepareEvents'
  | 'claimDueEffects'
  | 'dueWork'
  | 'instancesByIds'
  | 'peekOutcomeResolution'
  | 'countMessages'
  | 'deleteFiredTimers'
  | 'activeInstancesOfCustomer'
  | 'activeInstancesOfJourney'
  | 'lastInstance'
  | 'hasActiveInstance'
  | 'customer'
  | 'customerErasedAt'
  | 'journey'
  | 'journeyName'
  | 'liveJourneys'
  | 'versionGraph'
  | 'timeline'
>;

/** The loader half of the SQLite store: what a batch reads, one prepared statement each. */
export function sqliteLoader(db: BetterSqlite3.Database, st: Statements): EngineLoader {
  const journeyName = db.prepare<[string], { name: string }>('SELECT name FROM Journey WHERE id = ?');
  return {
    // Timers and their instances in one statement, the fired ones deleted by another (not two per timer).
    claimDueTimers: (now, limit) => st.dueTimerInstances.all(now, limit),
    // SQLite reads what a batch needs as it goes (in-process, microseconds): nothing to fetch ahead.
    prepareEnrolment: () => undefined,
    prepareEvents: () => undefined,
    // One autocommit read instead of a claim transaction per kind: most turns of a busy loop find
    // one kind (or none) due, and an empty claim cost ~50 µs in a transaction of its own.
    dueWork: async (now) => {
      const due = st.dueWork.get(now, now);
      return { timers: due?.timers === 1, effects: due?.effects === 1 };
    },
    claimDueEffects: (now, limit) =>
      st.dueEffects.all(now, limit).map((r) => ({
        id: r.id,
        instanceId: r.instanceId,
        nodeId: r.nodeId,
        nodeType: r.nodeType,
        idempotencyKey: r.idempotencyKey,
        attempts: r.attempts,
        instance:
          r.i_id === null
            ? undefined
            : {
                id: r.i_id,
                journeyId: r.i_journeyId as string,
                versionId: r.i_versionId as string,
                customerId: r.i_customerId as string,
                status: r.i_status as string,
                holdout: r.i_holdout as number,
                snapshot: r.i_snapshot as string,
                nodeId: r.i_nodeId,
                waitingFor: r.i_waitingFor,
                enteredAt: r.i_enteredAt as string,
              },
      })),
    instancesByIds: (instanceIds) => st.instancesByIds.all(JSON.stringify(instanceIds)),
    peekOutcomeResolution: (effectKey) => st.peekOutcomeResolution(effectKey),
    countMessages: (customerId, channel, since, exceptKey) =>
      st.countMessages.get(customerId, channel, since, exceptKey)?.n ?? 0,
    deleteFiredTimers(timerIds) {
      st.deleteTimersById.run(JSON.stringify(timerIds));
    },
    activeInstancesOfCustomer: (customerId) => st.activeInstancesOfCustomer.all(customerId),
    activeInstancesOfJourney: (journeyId, exceptVersionId) =>
      st.activeInstancesOfJourney.all(journeyId, exceptVersionId),
    lastInstance: (customerId, journeyId) => st.lastInstance.get(customerId, journeyId),
    hasActiveInstance: (customerId, journeyId) => st.hasActive.get(customerId, journeyId) !== undefined,
    customer: (customerId) => st.customer.get(customerId),
    customerErasedAt: (customerId) => st.customerErased.get(customerId),
    journey: (journeyId) => st.journey.get(journeyId),
    journeyName: (journeyId) => journeyName.get(journeyId)?.name,
    liveJourneys: () => st.liveJourneys.all(),
    versionGraph: (versionId) => st.versionGraph.get(versionId)?.graph,
    timeline: (instanceId) => st.timeline.all(instanceId),
  };
}
