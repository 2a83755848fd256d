import type { CustomerView } from './customer.ts';
import type { JourneyEvent } from './events.ts';

/**
 * The record a node's conditions read: the customer's fields at the top level (`tags`,
 * `attributes.city`, `rfm.segment`, `channel.code`) plus `event.*` when an event is being handled.
 * The runtime evaluates entry triggers, waits, goals and exits against the same shape.
 */
export function conditionContext(customer: CustomerView, event?: JourneyEvent): Record<string, unknown> {
  return event ? { ...customer, customer, event, type: event.type, data: event.data } : { ...customer, customer };
}
