// The ceiling the durable engine is compared against: the same compiled machine and the same
// sequence of events per customer, stepped in memory. (The naive baseline is the engine with its
// batching and pure transitions undone, see naive-engine.ts.)
import type { CustomerView } from '@siyu/shared';
import type { AnyMachineSnapshot } from 'xstate';
import type { CompiledJourney } from '../src/engine/compiler.ts';
import { pureTransition } from '../src/engine/transitions.ts';
import { customerScript } from '../testing/benchmark-script.ts';

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
