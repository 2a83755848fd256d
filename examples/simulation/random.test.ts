import { describe, expect, it } from 'vitest';
import { mulberry32, Rng } from './random.ts';

describe('seeded random generator', () => {
  it('replays the same sequence for a seed and a different one for another seed', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const first = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(first);
    expect(Array.from({ length: 5 }, c)).not.toEqual(first);
    // The reference output of mulberry32(42): pins the algorithm, so plans stay stable across edits.
    expect(first[0]).toBeCloseTo(0.6011037519201636, 12);
  });

  it('is uniform enough for behaviour plans: 100,000 draws, each tenth within 3 %', () => {
    const rng = new Rng(7);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) buckets[Math.floor(rng.unit() * 10)]! += 1;
    for (const n of buckets) expect(Math.abs(n - 10_000)).toBeLessThan(300);
    const ints = new Set(Array.from({ length: 1000 }, () => rng.int(1, 3)));
    expect([...ints].sort()).toEqual([1, 2, 3]);
  });
});
