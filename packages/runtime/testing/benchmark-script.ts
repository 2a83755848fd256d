// The benchmark journey's events per customer (testing/fixtures.ts `benchmarkJourney`), shared by
// the bench's ceiling and the tests that step the journey in memory.
import type { CustomerView } from '@siyu/shared';
import type { RunEvent } from '../src/engine/compiler.ts';

const DAY = 86_400_000;

/**
 * The events one customer of the benchmark journey receives, in order, for a given outcome.
 * `ordered` customers place an order while waiting; the others time out and exit.
 */
export function customerScript(customer: CustomerView, start: number, ordered: boolean): RunEvent[] {
  const base = { customer };
  const events: RunEvent[] = [
    { ...base, type: 'enroll', entryNodeId: 'entry', now: start },
    { ...base, type: 'effect.result', key: 'welcome:1', port: 'sent', now: start },
    { ...base, type: 'effect.result', key: 'tagNew:1', port: 'next', now: start },
    { ...base, type: 'timer.fired', key: 'wait1d:1', now: start + DAY },
    { ...base, type: 'effect.result', key: 'coupon:1', port: 'issued', now: start + DAY },
  ];
  if (ordered) {
    events.push(
      {
        ...base,
        type: 'ext',
        event: {
          id: `o-${customer.id}`,
          type: 'order.placed',
          customerId: customer.id,
          occurredAt: new Date(start + 2 * DAY),
          data: {},
        },
        now: start + 2 * DAY,
      },
      { ...base, type: 'effect.result', key: 'repurchase:1', port: 'next', now: start + 2 * DAY },
      { ...base, type: 'effect.result', key: 'thanks:1', port: 'sent', now: start + 2 * DAY },
    );
  } else {
    events.push({ ...base, type: 'timer.fired', key: 'waitOrder:1', now: start + 8 * DAY });
  }
  return events;
}
