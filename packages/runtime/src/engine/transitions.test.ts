import { createNodeRegistry, parseJourneyGraph } from '@siyu/shared';
import { samplePackage } from '@siyu/shared/testing';
import { describe, expect, it } from 'vitest';
import { type AnyMachineSnapshot, transition } from 'xstate';
import { customerScript } from '../../testing/benchmark-script.ts';
import { benchmarkJourney } from '../../testing/fixtures.ts';
import { compileJourney } from './compiler.ts';
import { pureTransition } from './transitions.ts';

const registry = createNodeRegistry([samplePackage]);
const start = Date.UTC(2026, 0, 5, 2);

/** Snapshot value, context and the actions' types and params: what the planner reads of a step. */
const seen = ([snapshot, actions]: readonly [AnyMachineSnapshot, readonly unknown[]]) => ({
  value: snapshot.value,
  status: snapshot.status,
  context: snapshot.context,
  actions: (actions as Array<{ type: string; params?: unknown }>).map((a) => [a.type, a.params]),
});

describe('pureTransition (one inert actor scope per machine)', () => {
  it("steps exactly as XState's own transition does, each call with only its own actions", () => {
    const one = compileJourney('v1', parseJourneyGraph(benchmarkJourney()), registry);
    const two = compileJourney('v2', parseJourneyGraph(benchmarkJourney()), registry);
    for (const ordered of [true, false]) {
      const customer = { id: `c-${ordered}`, tags: [], attributes: {}, identities: {} };
      const idle = () => one.machine.resolveState({ value: 'idle', context: { v: {}, at: start } });
      let ours = idle();
      let theirs = idle();
      let other = two.machine.resolveState({ value: 'idle', context: { v: {}, at: start } });
      for (const event of customerScript(customer, start, ordered)) {
        const mine = pureTransition(one, ours, event);
        // A step of another machine in between must not leave its actions in ours.
        const interleaved = pureTransition(two, other, event);
        const reference = transition(one.machine, theirs, event as never);
        expect(seen(mine)).toEqual(seen(reference));
        expect(seen(interleaved)).toEqual(seen(reference));
        [ours] = mine;
        [other] = interleaved;
        [theirs] = reference;
      }
      expect(ours.status).toBe('done');
    }
  });
});
