import { describe, expect, it } from 'vitest';
import { leaderOf, type VariantResult } from './ab-test.ts';

const variant = (variantId: string, n: number, successes: number): VariantResult => ({
  variantId,
  label: variantId,
  weight: 50,
  entered: n,
  converted: successes,
  rate: n > 0 ? successes / n : null,
  ci95: null,
  vsControl: null,
});
const leader = (...cells: [string, number, number][]) =>
  leaderOf(
    cells.map(([id, n, s]) => variant(id, n, s)),
    new Map(cells.map(([id, n, s]) => [id, { n, successes: s }])),
  );

describe('A/B leader', () => {
  it('is none on a tie, with nothing converted, or with one variant that has runs', () => {
    expect(leader(['a', 10, 0], ['b', 10, 0])).toBeNull();
    expect(leader(['a', 10, 3], ['b', 20, 6])).toBeNull();
    expect(leader(['a', 10, 3], ['b', 0, 0])).toBeNull();
    expect(leader(['a', 10, 2], ['b', 10, 5], ['c', 10, 5])).toBeNull();
  });

  it('is the variant strictly ahead, significant only when it beats every other', () => {
    expect(leader(['a', 10, 3], ['b', 10, 4])).toEqual({ variantId: 'b', significant: false });
    expect(leader(['a', 1000, 100], ['b', 1000, 200])).toEqual({ variantId: 'b', significant: true });
  });
});
