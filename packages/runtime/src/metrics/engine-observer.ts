// What the engine should report as it works, so /metrics can show per-item figures the database
// cannot give afterwards. The engine is being split behind a storage port (issue 15) and does not
// call this yet; until it does, the timer lag is the age of the oldest due timer, read at scrape
// time (http/ops-routes.ts). To wire it: EngineDeps gets `observer?: EngineObserver`, and the
// timer batch calls `timersFired(dueAts, now)` after its commit.
import type { Metrics } from './registry.ts';

export interface EngineObserver {
  /** Timers fired in one committed batch: when each was due, and when the batch fired them. */
  timersFired(dueAts: readonly number[], firedAt: number): void;
}

export function metricsEngineObserver(metrics: Pick<Metrics, 'timerFireLag'>): EngineObserver {
  return {
    timersFired(dueAts, firedAt) {
      for (const dueAt of dueAts) metrics.timerFireLag.observe(Math.max(0, firedAt - dueAt) / 1000);
    },
  };
}
