import { describe, expect, it } from 'vitest';
import { durationToMs } from './duration.ts';
import { hashToUnit, pickWeighted } from './hash.ts';
import { DailyWindowSchema, isInWindow, nextInWindow, nextOutsideWindow } from './time-window.ts';

// Asia/Shanghai is UTC+8 with no daylight saving.
const cst = (iso: string) => new Date(`${iso}+08:00`);

describe('daily windows', () => {
  const quiet = DailyWindowSchema.parse({ start: '21:00', end: '08:00' });
  it('wrap past midnight', () => {
    expect(isInWindow(quiet, cst('2026-03-02T22:30:00'))).toBe(true);
    expect(isInWindow(quiet, cst('2026-03-02T07:59:00'))).toBe(true);
    expect(isInWindow(quiet, cst('2026-03-02T08:00:00'))).toBe(false);
    expect(isInWindow(quiet, cst('2026-03-02T12:00:00'))).toBe(false);
  });

  it('say when quiet hours end (defer) and when a window next opens', () => {
    expect(nextOutsideWindow(quiet, cst('2026-03-02T23:10:00'))).toEqual(cst('2026-03-03T08:00:00'));
    expect(nextOutsideWindow(quiet, cst('2026-03-02T03:00:00'))).toEqual(cst('2026-03-02T08:00:00'));
    expect(nextOutsideWindow(quiet, cst('2026-03-02T12:00:00'))).toEqual(cst('2026-03-02T12:00:00'));
    const morning = DailyWindowSchema.parse({ start: '10:00', end: '12:00', weekdays: [1, 3] });
    // 2026-03-03 is a Tuesday: next opening is Wednesday 10:00.
    expect(nextInWindow(morning, cst('2026-03-03T09:00:00'))).toEqual(cst('2026-03-04T10:00:00'));
    expect(nextInWindow(morning, cst('2026-03-02T11:00:00'))).toEqual(cst('2026-03-02T11:00:00'));
  });

  it('follow daylight saving in zones that have it', () => {
    const ny = DailyWindowSchema.parse({ timeZone: 'America/New_York', start: '09:00', end: '17:00' });
    // 2026-03-08 US clocks go forward; 09:00 local is 13:00 UTC after, 14:00 UTC before.
    expect(nextInWindow(ny, new Date('2026-03-07T23:00:00Z'))).toEqual(new Date('2026-03-08T13:00:00Z'));
    expect(nextInWindow(ny, new Date('2026-03-06T23:00:00Z'))).toEqual(new Date('2026-03-07T14:00:00Z'));
  });

  it('reject bad clock times and zones with clear messages', () => {
    const result = DailyWindowSchema.safeParse({ start: '9:00', end: '12:00', timeZone: 'Asia/Nowhere' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['start', 'timeZone']);
  });
});

describe('durations and deterministic splits', () => {
  it('convert durations', () => {
    expect(durationToMs({ amount: 3, unit: 'days' })).toBe(3 * 86_400_000);
  });

  it('hash the same key to the same number and spread keys evenly', () => {
    expect(hashToUnit('c1:split')).toBe(hashToUnit('c1:split'));
    const counts = [0, 0];
    for (let i = 0; i < 20_000; i++) counts[pickWeighted([1, 1], hashToUnit(`customer-${i}:ab`))]!++;
    expect(Math.abs(counts[0]! - 10_000)).toBeLessThan(400);
    const weighted = [0, 0, 0];
    for (let i = 0; i < 20_000; i++) weighted[pickWeighted([70, 20, 10], hashToUnit(`c${i}:n`))]!++;
    expect(weighted[0]! / 20_000).toBeCloseTo(0.7, 1);
    expect(weighted[2]! / 20_000).toBeCloseTo(0.1, 1);
  });

  it('refuse weights that sum to zero', () => {
    expect(() => pickWeighted([0, 0], 0.5)).toThrow(/more than zero/);
  });
});
