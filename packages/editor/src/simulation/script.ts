/**
 * A stepped simulation is a script replayed from the start on every step: the test customer, the
 * start instant, the events injected so far (each at the simulated time it was injected) and how
 * far the clock has run. Replaying is deterministic on the server (same start, same answers), so
 * "fast-forward" and "inject" are just a longer script.
 */
export interface SimulationScript {
  startAt: number;
  horizonMs: number;
  events: { afterMs: number; type: string; data: Record<string, unknown> }[];
}

export const startScript = (now: number): SimulationScript => ({ startAt: now, horizonMs: 0, events: [] });

/** Runs the clock on to `toMs` (never backwards). */
export const fastForward = (s: SimulationScript, toMs: number): SimulationScript => ({
  ...s,
  horizonMs: Math.max(s.horizonMs, toMs),
});

/** The test customer does something now (at the current simulated time). */
export const inject = (s: SimulationScript, type: string, data: Record<string, unknown>): SimulationScript => ({
  ...s,
  events: [...s.events, { afterMs: s.horizonMs, type, data }],
});
