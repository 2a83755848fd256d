import { durationToMs, hashToUnit, type JourneyEvent } from '@siyu/shared';
import type { Clock, EnrollOutcome } from './api.ts';
import type { CompiledJourney } from './compiler.ts';
import { EngineInputError } from './engine-input-error.ts';
import { andThen, type MaybePromise } from './maybe-async.ts';
import type { Stepper } from './stepper.ts';
import type { EngineStore } from './store/port.ts';

export type Skip = Extract<EnrollOutcome, { status: 'skipped' }>['reason'];

export interface Enrolment {
  /** The journey's live version if it may run now, else why customers cannot start on it. */
  liveVersion(journeyId: string): CompiledJourney | Skip;
  /**
   * Starts one customer (inside the caller's batch). Pass the live version when enrolling many
   * customers of one journey: it is looked up once.
   */
  enroll(
    journeyId: string,
    customerId: string,
    options: { entryNodeId?: string; event?: JourneyEvent },
    compiledOrSkip?: CompiledJourney | Skip,
  ): EnrollOutcome;
  /**
   * Starts many customers of one journey (inside the caller's batch): what they read is loaded
   * once for all of them (asynchronously on a networked store), then each is planned at once.
   */
  enrollBatch(
    journeyId: string,
    customerIds: readonly string[],
    options: { entryNodeId?: string; event?: JourneyEvent },
  ): MaybePromise<EnrollOutcome[]>;
}

/** Enrolment rules: live version, entry node, re-entry policy, holdout. */
export function enrolment(deps: {
  store: EngineStore;
  stepper: Stepper;
  clock: Clock;
  /** The version if its journey may run now (isolation.ts). */
  usable: (journeyId: string, versionId: string) => CompiledJourney | undefined;
}): Enrolment {
  const { store, stepper, clock } = deps;

  function liveVersion(journeyId: string): CompiledJourney | Skip {
    const journey = store.journey(journeyId);
    if (journey?.status !== 'live' || !journey.liveVersionId) return 'journeyNotLive';
    return deps.usable(journeyId, journey.liveVersionId) ?? 'journeyNotLive';
  }

  /** Re-entry policy: once / afterExit / always, with an optional minimum gap between starts. */
  function reEntryBlock(
    compiled: CompiledJourney,
    journeyId: string,
    customerId: string,
    now: number,
  ): Skip | undefined {
    const last = store.lastInstance(customerId, journeyId);
    if (!last) return undefined;
    const reEntry = compiled.graph.settings.reEntry;
    if (reEntry.policy === 'once') return 'reEntryOnce';
    if (reEntry.policy === 'afterExit' && store.hasActiveInstance(customerId, journeyId)) return 'alreadyActive';
    if (reEntry.minGap && now - Date.parse(last.enteredAt) < durationToMs(reEntry.minGap)) return 'minGap';
    return undefined;
  }

  function enroll(
    journeyId: string,
    customerId: string,
    options: { entryNodeId?: string; event?: JourneyEvent },
    compiledOrSkip = liveVersion(journeyId),
  ): EnrollOutcome {
    if (typeof compiledOrSkip === 'string') return { status: 'skipped', reason: compiledOrSkip };
    const compiled = compiledOrSkip;
    const now = clock.now();
    const known = store.customerErasedAt(customerId);
    if (!known) return { status: 'skipped', reason: 'unknownCustomer' };
    if (known.erasedAt !== null) return { status: 'skipped', reason: 'erased' };
    // The entry step reads the customer only if its first nodes look at them.
    const customer = stepper.lazyCustomer(customerId);
    const blocked = reEntryBlock(compiled, journeyId, customerId, now);
    if (blocked) return { status: 'skipped', reason: blocked };
    const entryNodeId = pickEntry(compiled, options.entryNodeId);
    if (!entryNodeId) throw new EngineInputError('engine.noEntryNode', { node: options.entryNodeId ?? '' });
    const holdoutPercent = compiled.graph.settings.holdoutPercent;
    const holdout = holdoutPercent > 0 && hashToUnit(`${customerId}:${journeyId}:holdout`) * 100 < holdoutPercent;
    const instanceId = stepper.createInstance(
      compiled,
      journeyId,
      customer,
      { type: 'enroll', entryNodeId, event: options.event, customer, now },
      holdout,
    );
    return { status: 'enrolled', instanceId, holdout };
  }

  function enrollBatch(
    journeyId: string,
    customerIds: readonly string[],
    options: { entryNodeId?: string; event?: JourneyEvent },
  ): MaybePromise<EnrollOutcome[]> {
    return andThen(store.prepareEnrolment(journeyId, customerIds), () => {
      // The journey is looked up once for the whole batch (it cannot change inside it).
      const compiled = liveVersion(journeyId);
      return customerIds.map((id) => enroll(journeyId, id, options, compiled));
    });
  }

  return { liveVersion, enroll, enrollBatch };
}

/** The entry node to start from: the one asked for, else the journey's API/audience entry. */
function pickEntry(compiled: CompiledJourney, entryNodeId?: string): string | undefined {
  if (entryNodeId) return compiled.entryNodeIds.includes(entryNodeId) ? entryNodeId : undefined;
  const manual = compiled.entryNodeIds.find((id) => {
    const n = compiled.nodes.get(id);
    const kind = n?.definition.entry?.trigger(n.config).kind;
    return kind === 'api' || kind === 'audience';
  });
  return manual ?? compiled.entryNodeIds[0];
}
