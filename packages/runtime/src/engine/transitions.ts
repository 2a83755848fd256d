// Transition application: restoring an instance's snapshot (with a small cache of recent ones)
// and running one event through its compiled machine.
import { type AnyActorScope, type AnyMachineSnapshot, type AnyStateMachine, createActor } from 'xstate';
import type { CompiledJourney, RunContext, RunEvent } from './compiler.ts';
import type { InstanceRow } from './store/port.ts';

/**
 * One event through a journey's machine: the snapshot after it and the actions it recorded.
 * The product steps XState's pure transition (`pureTransition`); the benchmark's naive baseline
 * swaps in an actor per event (testing/naive-engine.ts).
 */
export type TransitionFn = (
  compiled: CompiledJourney,
  before: AnyMachineSnapshot,
  event: RunEvent,
) => readonly [AnyMachineSnapshot, readonly unknown[]];

export const pureTransition: TransitionFn = (compiled, before, event) => {
  const inert = inertScopeOf(compiled.machine);
  const actions: unknown[] = [];
  inert.collected = actions;
  try {
    return [compiled.machine.transition(before, event as never, inert.scope) as AnyMachineSnapshot, actions];
  } finally {
    // Also when a guard or assign throws: the next call must not find this call's array.
    inert.collected = undefined;
  }
};

/**
 * What XState's `transition(machine, snapshot, event)` does, minus its cost per call: it builds an
 * inert actor scope for every transition, and building it computes the machine's initial snapshot
 * (an actor's constructor does), thrown away each time: half of XState's time per transition, and
 * the durable engine stepped 31–59 % faster without it (bench, 100,000 customers). The scope is
 * built once per machine here; the machine's transition only reads it and
 * hands it the actions to run, which this collects instead (as `transition` does). Journeys spawn
 * and invoke no actors, so nothing registers in the scope's system.
 */
interface InertScope {
  scope: AnyActorScope;
  collected: unknown[] | undefined;
}
const inertScopes = new WeakMap<AnyStateMachine, InertScope>();

function inertScopeOf(machine: AnyStateMachine): InertScope {
  const known = inertScopes.get(machine);
  if (known) return known;
  const self = createActor(machine);
  const made = { collected: undefined } as InertScope;
  made.scope = {
    self,
    defer: () => {},
    id: '',
    logger: () => {},
    sessionId: '',
    stopChild: () => {},
    system: self.system,
    emit: () => {},
    actionExecutor: (action: unknown) => {
      made.collected?.push(action);
    },
  } as unknown as AnyActorScope;
  inertScopes.set(machine, made);
  return made;
}

/** Snapshots kept for instances that are likely to step again soon (a few MB). */
const RECENT_SNAPSHOTS = 4096;

/** Compact stored form of a snapshot: state value and context only. */
interface StoredSnapshot {
  s: unknown;
  c: RunContext;
}

export function restoreSnapshot(compiled: CompiledJourney, snapshot: string): AnyMachineSnapshot {
  const stored = JSON.parse(snapshot) as StoredSnapshot;
  return compiled.machine.resolveState({ value: stored.s as never, context: stored.c });
}

/**
 * The snapshots of recently stepped instances, by id. An instance usually steps again soon (an
 * effect's result follows its step within the same tick), and then the stored JSON need not be
 * parsed and resolved again. An entry counts only while the row still holds exactly the JSON it
 * was stored as, so a rolled-back batch or a change by anyone else simply misses.
 */
export class RecentSnapshots {
  private readonly recent = new Map<number, { stored: string; snapshot: AnyMachineSnapshot }>();

  restore(compiled: CompiledJourney, row: InstanceRow): AnyMachineSnapshot {
    const hit = this.recent.get(row.id);
    if (hit && hit.stored === row.snapshot && hit.snapshot.machine === compiled.machine) return hit.snapshot;
    return restoreSnapshot(compiled, row.snapshot);
  }

  remember(id: number, stored: string, snapshot: AnyMachineSnapshot): void {
    this.recent.delete(id);
    if (snapshot.status !== 'active') return;
    this.recent.set(id, { stored, snapshot });
    if (this.recent.size > RECENT_SNAPSHOTS) this.recent.delete(this.recent.keys().next().value as number);
  }
}
