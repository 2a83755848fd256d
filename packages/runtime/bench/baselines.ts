// The ceiling the durable engine is compared against: the same compiled machine and the same
// sequence of events per customer, stepped in memory. (The naive baseline is the engine with its
// batching and pure transitions undone, see naive-engine.ts.)
import type { CustomerView } from '@siyu/shared';
import type { AnyMachineSnapshot } from 'xstate';
import type { CompiledJourney, RunEvent } from '../src/engine/compiler.ts';
import { pureTransition } from '../src/engine/transitions.ts';

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
    );
  } else {
    events.push({ ...base, type: 'timer.fired', key: 'waitOrder:1', now: start + 8 * DAY });
  }
  return events;
}

/**
 * (a) Ceiling: the same machine stepped with XState's pure transition, called as the engine calls it
 * (transitions.ts), in memory, nothing stored.
 */
export function runCeiling(
  compiled: CompiledJourney,
  customers: number,
  orderedShare: number,
): { steps: number; ms: number } {
  const start = Date.UTC(2026, 0, 5, 2);
  let steps = 0;
  const t0 = performance.now();
  for (let i = 0; i < customers; i++) {
    const customer: CustomerView = { id: `ceil${i}`, tags: [], attributes: {}, identities: {} };
    let snapshot: AnyMachineSnapshot = compiled.machine.resolveState({ value: 'idle', context: { v: {}, at: start } });
    for (const event of customerScript(customer, start, i / customers < orderedShare)) {
      [snapshot] = pureTransition(compiled, snapshot, event);
      steps++;
    }
    if (snapshot.status !== 'done')
      throw new Error(`ceiling: customer ${i} did not finish (${JSON.stringify(snapshot.value)})`);
  }
  return { steps, ms: performance.now() - t0 };
}
