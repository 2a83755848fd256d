// The benchmark's naive baseline: the product engine with two things undone, so the comparison
// measures what batching and pure transitions buy. An XState actor is created per event (instead
// of the pure `transition`), and there is no batch transaction: every row is written in its own
// (autocommit) transaction, step-log rows included. Same workload, executors and SQLite settings
// otherwise; the WAL is checkpointed inside commits, as SQLite does by default.
import { type AnyMachineSnapshot, type AnyStateMachine, createActor } from 'xstate';
import type { CompiledJourney, EngineAction, RunEvent } from '../src/engine/compiler.ts';
import { createEngine, type DurableEngine, type EngineDeps } from '../src/engine/engine.ts';
import type { EngineStore } from '../src/engine/store/port.ts';
import type { TransitionFn } from '../src/engine/transitions.ts';

export function createNaiveEngine(deps: Omit<EngineDeps, 'baseline' | 'backgroundCheckpoint'>): DurableEngine {
  return createEngine({
    ...deps,
    backgroundCheckpoint: false,
    baseline: { store: unbatched, transition: actorPerEvent() },
  });
}

/** The store with its batches and savepoints removed: each statement commits on its own. */
function unbatched(store: EngineStore): EngineStore {
  return { ...store, batch: (work) => work(), savepoint: (work) => work() };
}

/** A fresh actor per event that records the actions the machine runs, instead of `transition`. */
function actorPerEvent(): TransitionFn {
  const machines = new Map<string, { machine: AnyStateMachine; sink: EngineAction[] }>();
  return (compiled: CompiledJourney, before: AnyMachineSnapshot, event: RunEvent) => {
    let entry = machines.get(compiled.versionId);
    if (!entry) {
      const sink: EngineAction[] = [];
      const record =
        (type: EngineAction['type']) =>
        (_: unknown, params: unknown): void => {
          sink.push({ type, params } as EngineAction);
        };
      const machine = compiled.machine.provide({
        actions: {
          entered: record('entered'),
          effect: record('effect'),
          timer: record('timer'),
          goal: record('goal'),
          exited: record('exited'),
          left: record('left'),
        },
      });
      entry = { machine, sink };
      machines.set(compiled.versionId, entry);
    }
    entry.sink.length = 0;
    const snapshot = entry.machine.resolveState({ value: before.value, context: before.context });
    const actor = createActor(entry.machine, { snapshot });
    actor.start();
    actor.send(event as never);
    const after = actor.getSnapshot();
    actor.stop();
    return [after, [...entry.sink]] as const;
  };
}
