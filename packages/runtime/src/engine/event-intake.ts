import { evaluateFilter, issuesOf, type JourneyEvent, JourneyEventSchema } from '@siyu/shared';
import type { Logger } from '../logger.ts';
import type { Clock, IngestOutcome } from './api.ts';
import { type CompiledJourney, filterContext } from './compiler.ts';
import type { Enrolment } from './enrolment.ts';
import { andThen, type MaybePromise } from './maybe-async.ts';
import type { Stepper } from './stepper.ts';
import type { EngineStore, InstanceRow } from './store/port.ts';

/** Whether an instance's journey reacts to this event type (waits, goal, exit conditions). */
export function reactsTo(stepper: Stepper, row: InstanceRow, type: string): boolean {
  const compiled = stepper.usable(row);
  if (!compiled) return false; // held: the event is kept and replayed when the journey resumes
  if (row.waitingFor?.split(',').includes(type)) return true;
  const settings = compiled.graph.settings;
  return settings.goal?.event === type || settings.exitConditions.some((c) => c.event === type);
}

/**
 * Takes in one parsed event inside the caller's batch: resolves its customer, stores it once
 * (by id), records orders and contacts, steps the customer's instances that react to it and
 * starts event-triggered entries.
 */
export function eventIntake(deps: {
  store: EngineStore;
  stepper: Stepper;
  enrolment: Enrolment;
  clock: Clock;
  logger: Logger;
  /** The version if its journey may run now (isolation.ts). */
  usable: (journeyId: string, versionId: string) => CompiledJourney | undefined;
}): (received: JourneyEvent, source: string) => IngestOutcome {
  const { store, stepper, clock, logger } = deps;

  return function ingest(received, source) {
    const now = clock.now();
    // Finds (or creates, or merges) the customer the event is about: see customer-resolver.ts.
    const customerId = store.resolveCustomer(received, now);
    if (!customerId) {
      logger.warn(
        { eventId: received.id, type: received.type, customerId: received.customerId },
        'event rejected: unknown customer',
      );
      return {
        status: 'rejected',
        reason: `unknown customer ${received.customerId ?? ''}`.trim(),
        delivered: 0,
        enrolled: 0,
      };
    }
    const event = store.attributeChannel(received, customerId);
    const stored = {
      externalId: event.id,
      type: event.type,
      customerId,
      occurredAt: event.occurredAt.getTime(),
      receivedAt: now,
      data: event.data,
      source,
    };
    const inserted = store.insertEvent(stored);
    if (!inserted) {
      const differs = store.findEventConflict({ ...stored, data: received.data }); // as sent, before attribution
      if (differs) {
        logger.warn({ eventId: event.id, type: event.type, differs }, 'event rejected: id reused for another event');
        const reason = `event id ${event.id} was already used for a different event (${differs} differs)`;
        return { status: 'conflict', reason, customerId, delivered: 0, enrolled: 0 };
      }
      logger.info({ eventId: event.id, type: event.type }, 'event ignored: duplicate id');
      return {
        status: 'duplicate',
        reason: `event ${event.id} was already received`,
        customerId,
        delivered: 0,
        enrolled: 0,
      };
    }
    store.recordOrder(event, customerId);
    store.recordContact(event, customerId);
    // Read only if a wait's filter, a goal or an entry trigger looks at the customer.
    const customer = stepper.lazyCustomer(customerId);
    let delivered = 0;
    for (const row of store.activeInstancesOfCustomer(customerId)) {
      if (!reactsTo(stepper, row, event.type)) continue;
      const moved = stepper.stepSafely(
        row,
        { type: 'ext', event, customer, now },
        { kind: 'event', detail: { event: event.id, type: event.type } },
      );
      if (moved) delivered++;
    }
    let enrolled = 0;
    for (const journey of store.liveJourneys()) {
      const compiled = deps.usable(journey.id, journey.liveVersionId);
      if (!compiled) continue;
      for (const { nodeId: entryNodeId, filter } of compiled.eventEntries.get(event.type) ?? []) {
        if (filter && !evaluateFilter(filter, filterContext(customer, event))) continue;
        const outcome = deps.enrolment.enroll(journey.id, customerId, { entryNodeId, event }, compiled);
        if (outcome.status === 'enrolled') enrolled++;
        break;
      }
    }
    store.markEventProcessed(event.id, now);
    return { status: 'accepted', customerId, delivered, enrolled };
  };
}

/**
 * Takes in events that arrived together (inside the caller's batch): parses them, loads what the
 * batch reads about them and their customers once (`prepareEvents`: asynchronously on a networked
 * store), then takes each in synchronously. A malformed event is rejected on its own.
 */
export function ingestBatch(
  deps: {
    store: EngineStore;
    ingest: (event: JourneyEvent, source: string) => IngestOutcome;
    logger: Logger;
    /** The engine's clock (a merge made while loading is dated by it); default the real one. */
    clock?: Clock;
  },
  inputs: readonly unknown[],
  source: string,
): MaybePromise<IngestOutcome[]> {
  const parsed = inputs.map((input) => JourneyEventSchema.safeParse(input));
  const events = parsed.flatMap((p) => (p.success ? [p.data] : []));
  return andThen(deps.store.prepareEvents(events, deps.clock?.now() ?? Date.now()), () =>
    parsed.map((result): IngestOutcome => {
      if (result.success) return deps.ingest(result.data, source);
      const reason = `malformed event: ${issuesOf(result.error)
        .map((i) => `${i.path}: ${i.message}`)
        .join('; ')}`;
      deps.logger.warn({ source, reason }, 'event rejected');
      return { status: 'rejected', reason, delivered: 0, enrolled: 0 };
    }),
  );
}
