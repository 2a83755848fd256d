import type { Clock } from './api.ts';
import type { BatchRunner } from './batch-runner.ts';
import { andThen, type MaybePromise } from './maybe-async.ts';
import type { Stepper } from './stepper.ts';
import type { EngineStore, InstanceRow } from './store/port.ts';

/**
 * Returns `fire(limit)`: fires one batch of due timers in one batch; returns how many were due.
 * The timers and their instances are claimed by one read and the fired timers deleted by one
 * write, instead of two statements per timer.
 */
export function timerFiring(deps: {
  store: EngineStore;
  stepper: Stepper;
  tx: BatchRunner;
  clock: Clock;
  /** Moves a held journey's timers to HeldTimer (isolation.ts). */
  sweep: (journeyId: string) => void;
}): (limit: number) => MaybePromise<number> {
  const { store, stepper, clock } = deps;

  /**
   * Whether a due timer's journey may run; if not, its timers are moved to HeldTimer, once per
   * journey and batch (one sweep moves them all, not one sweep per held timer).
   */
  function runsNow(row: InstanceRow, swept: Set<string>): boolean {
    if (stepper.usable(row)) return true;
    if (!swept.has(row.journeyId)) deps.sweep(row.journeyId);
    swept.add(row.journeyId);
    return false;
  }

  return function fire(limit) {
    const now = clock.now();
    return deps.tx(() =>
      andThen(store.claimDueTimers(now, limit), (all) => {
        if (all.length === 0) return 0;
        // Timers of a journey that cannot run are held with it (moved to HeldTimer), not fired.
        const swept = new Set<string>();
        const due = all.filter((d) => d.id === null || d.status !== 'active' || runsNow(d, swept));
        store.deleteFiredTimers(due.map((d) => d.timerId));
        // Two timers of one instance in the same batch step the same row object, which each step
        // keeps current, never a copy read before the first step.
        const rows = new Map<number, InstanceRow>();
        for (const timer of due) {
          if (timer.id === null) continue;
          // The joined record is the instance row (its extra timer fields are ignored).
          const row = rows.get(timer.id) ?? (timer as InstanceRow);
          rows.set(row.id, row);
          if (row.status !== 'active') continue;
          stepper.stepSafely(
            row,
            { type: 'timer.fired', key: timer.timerKey, customer: stepper.lazyCustomer(row.customerId), now },
            { kind: 'timer', detail: { key: timer.timerKey, dueAt: timer.timerDueAt } },
          );
        }
        return all.length;
      }),
    )();
  };
}
