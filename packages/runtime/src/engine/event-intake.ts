import { evaluateFilter, type JourneyEvent } from '@siyu/shared';
import type BetterSqlite3 from 'better-sqlite3';
import type { Logger } from '../logger.ts';
import type { Clock, IngestOutcome } from './api.ts';
import { channelAttribution } from './channel-attribution.ts';
import { type CompiledJourney, filterContext } from './compiler.ts';
import { contactRecorder } from './contact-recorder.ts';
import { customerResolver } from './customer-resolver.ts';
import type { Enrolment } from './enrolment.ts';
import { eventConflictFinder } from './event-conflict.ts';
import { eventInserter } from './event-inserter.ts';
import { orderRecorder } from './order-recorder.ts';
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
  sqlite: BetterSqlite3.Database;
  store: EngineStore;
  stepper: Stepper;
  enrolment: Enrolment;
  clock: Clock;
  logger: Logger;
  /** The version if its journey may run now (isolation.ts). */
  usable: (journeyId: string, versionId: string) => CompiledJourney | undefined;
}): (received: JourneyEvent, source: string) => IngestOutcome {
  const { sqlite: db, store, stepper, clock, logger } = deps;
  /** Finds (or creates, or merges) the customer an event is about: see customer-resolver.ts. */
  const resolveCustomer = customerResolver(db, logger);
  const attributeChannel = channelAttribution(db);
  const insertEvent = eventInserter(db);
  const findConflict = eventConflictFinder(db);
  const recordOrder = orderRecorder(db);
  const recordContact = contactRecorder(db);

  return function ingest(received, source) {
    const now = clock.now();
    const customerId = resolveCustomer(received, now);
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
    const event = attributeChannel(received, customerId);
    const stored = {
      externalId: event.id,
      type: event.type,
      customerId,
      occurredAt: event.occurredAt.getTime(),
      receivedAt: now,
      data: event.data,
      source,
    };
    const inserted = insertEvent(stored);
    if (!inserted) {
      const differs = findConflict({ ...stored, data: received.data }); // as sent, before attribution
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
    recordOrder(event, customerId);
    recordContact(event, customerId);
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
      for (const entryNodeId of compiled.entryNodeIds) {
        const n = compiled.nodes.get(entryNodeId);
        const trigger = n?.definition.entry?.trigger(n.config);
        if (trigger?.kind !== 'event' || trigger.event !== event.type) continue;
        if (trigger.filter && !evaluateFilter(trigger.filter, filterContext(customer, event))) continue;
        const outcome = deps.enrolment.enroll(journey.id, customerId, { entryNodeId, event }, compiled);
        if (outcome.status === 'enrolled') enrolled++;
        break;
      }
    }
    store.markEventProcessed(event.id, now);
    return { status: 'accepted', customerId, delivered, enrolled };
  };
}
