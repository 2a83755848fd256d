import { describe, expect, it } from 'vitest';
import { fastForward, inject, startScript } from './script.ts';

describe('simulation script', () => {
  it('injects events at the current simulated time and only runs the clock forwards', () => {
    let s = startScript(1000);
    s = fastForward(s, 3 * 86_400_000);
    s = inject(s, 'order.placed', { amountCents: 9900 });
    s = fastForward(s, 1000); // a stale "next wake-up" never rewinds
    expect(s).toEqual({
      startAt: 1000,
      horizonMs: 3 * 86_400_000,
      events: [{ afterMs: 3 * 86_400_000, type: 'order.placed', data: { amountCents: 9900 } }],
    });
  });
});
