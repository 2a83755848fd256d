// The two reference points the durable engine is compared against, on the same compiled machine
// and the same sequence of events per customer.
import type { CustomerView } from '@siyu/shared';
import type BetterSqlite3 from 'better-sqlite3';
import { type AnyMachineSnapshot, createActor, transition } from 'xstate';
import type { CompiledJourney, RunEvent } from '../src/engine/compiler.ts';

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

/** (a) Ceiling: the same machine stepped with XState's pure transition, in memory, nothing stored. */
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
      [snapshot] = transition(compiled.machine, snapshot, event as never);
      steps++;
    }
    if (snapshot.status !== 'done')
      throw new Error(`ceiling: customer ${i} did not finish (${JSON.stringify(snapshot.value)})`);
  }
  return { steps, ms: performance.now() - t0 };
}

/**
 * (b) Naive baseline: for every event, load the instance, create an actor from its persisted
 * snapshot, send the event, and write the new snapshot in its own transaction (one database write
 * per transition), the way a first implementation with an actor per request would.
 */
export function runNaive(
  sqlite: BetterSqlite3.Database,
  compiled: CompiledJourney,
  customers: number,
  orderedShare: number,
): { steps: number; ms: number } {
  sqlite.exec('CREATE TABLE IF NOT EXISTS NaiveInstance (id INTEGER PRIMARY KEY, snapshot TEXT NOT NULL)');
  const insert = sqlite.prepare('INSERT INTO NaiveInstance (id, snapshot) VALUES (?, ?)');
  const load = sqlite.prepare<[number], { snapshot: string }>('SELECT snapshot FROM NaiveInstance WHERE id = ?');
  const save = sqlite.prepare('UPDATE NaiveInstance SET snapshot = ? WHERE id = ?');
  const start = Date.UTC(2026, 0, 5, 2);
  const scripts = Array.from({ length: customers }, (_, i) =>
    customerScript({ id: `naive${i}`, tags: [], attributes: {}, identities: {} }, start, i / customers < orderedShare),
  );
  let steps = 0;
  const t0 = performance.now();
  for (let i = 0; i < customers; i++) {
    const initial = createActor(compiled.machine, {
      snapshot: compiled.machine.resolveState({ value: 'idle', context: { v: {}, at: start } }),
    });
    insert.run(i, JSON.stringify(initial.getPersistedSnapshot()));
  }
  // Events arrive interleaved across customers, as in production: step k of every customer, then k+1.
  const longest = Math.max(...scripts.map((s) => s.length));
  for (let k = 0; k < longest; k++) {
    for (let i = 0; i < customers; i++) {
      const event = scripts[i]?.[k];
      if (!event) continue;
      const row = load.get(i);
      if (!row) throw new Error('naive: instance missing');
      const actor = createActor(compiled.machine, { snapshot: JSON.parse(row.snapshot) });
      actor.start();
      actor.send(event as never);
      save.run(JSON.stringify(actor.getPersistedSnapshot()), i);
      actor.stop();
      steps++;
    }
  }
  return { steps, ms: performance.now() - t0 };
}
