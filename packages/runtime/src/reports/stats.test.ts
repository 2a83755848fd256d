import { describe, expect, it } from 'vitest';
import { rate, twoProportionZTest, wilsonInterval, Z95 } from './stats.ts';

describe('report statistics', () => {
  it('uses z = 1.959964 for 95 %', () => {
    expect(Z95).toBeCloseTo(1.959964, 6);
  });

  it('computes the Wilson interval', () => {
    // 20/100: p = 0.2, z² = 3.841459; centre = (0.2 + z²/200) / (1 + z²/100) = 0.211098;
    // half = z/(1 + z²/100) · √(p(1−p)/100 + z²/40000) = 1.887457 · 0.0411829 = 0.077732
    // → [0.133366, 0.288830] (textbook value 0.1334–0.2888).
    const ci = wilsonInterval(20, 100);
    expect(ci?.low).toBeCloseTo(0.133366, 5);
    expect(ci?.high).toBeCloseTo(0.28883, 5);
    // 0/10 stays inside [0, 1]: [0, z²/(n + z²)] = [0, 3.841459/13.841459] = [0, 0.277533].
    expect(wilsonInterval(0, 10)?.low).toBeCloseTo(0, 12);
    expect(wilsonInterval(0, 10)?.high).toBeCloseTo(0.277533, 5);
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(rate(1, 4)).toMatchObject({ n: 4, successes: 1, rate: 0.25 });
    expect(rate(0, 0)).toMatchObject({ rate: null, ci95: null });
  });

  it('runs the pooled two-proportion z-test (= 2×2 chi-square)', () => {
    // 30/100 vs 20/100: pooled 0.25, se = √(0.25·0.75·0.02) = 0.0612372, z = 0.1/se = 1.632993,
    // p = 2(1 − Φ(1.632993)) = 0.102470 (χ² = z² = 2.6667 on 1 df, p = 0.1025).
    const t = twoProportionZTest({ successes: 30, n: 100 }, { successes: 20, n: 100 });
    expect(t?.z).toBeCloseTo(1.632993, 5);
    expect(t?.pValue).toBeCloseTo(0.10247, 4);
    expect(t?.significant).toBe(false);
    // 60/200 vs 30/200: pooled 0.225, se = √(0.225·0.775·0.01) = 0.0417583, z = 0.15/se = 3.592102,
    // p = 0.000328 → significant.
    const s = twoProportionZTest({ successes: 60, n: 200 }, { successes: 30, n: 200 });
    expect(s?.z).toBeCloseTo(3.592102, 4);
    expect(s?.pValue).toBeCloseTo(0.000328, 5);
    expect(s?.significant).toBe(true);
    expect(twoProportionZTest({ successes: 0, n: 10 }, { successes: 0, n: 10 })).toBeNull();
    expect(twoProportionZTest({ successes: 1, n: 10 }, { successes: 0, n: 0 })).toBeNull();
  });
});
