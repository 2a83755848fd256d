import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';

/** Two-sided 95 %: z = Φ⁻¹(0.975) ≈ 1.959964. */
export const Z95 = normalQuantile(0.975, 0, 1);

/** Significance threshold the reports use ("显著" at p < 0.05). */
export const ALPHA = 0.05;

export interface Interval {
  low: number;
  high: number;
}

/**
 * Wilson score interval for a proportion: unlike the normal ("Wald") interval it stays inside
 * [0, 1] and behaves with small counts and rates near 0, which is what small A/B cells look like.
 * null when there is nothing to estimate (n = 0).
 */
export function wilsonInterval(successes: number, n: number, z = Z95): Interval | null {
  if (n <= 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export interface ProportionTest {
  /** Test statistic (treatment − control), pooled standard error. */
  z: number;
  /** Two-sided p-value. */
  pValue: number;
  significant: boolean;
}

/**
 * Two-proportion z-test with pooled variance (equivalent to the 2×2 chi-square test without
 * continuity correction: z² = χ²). null when a group is empty or both rates are 0 % or 100 %
 * (no variance: nothing to test).
 */
export function twoProportionZTest(
  treatment: { successes: number; n: number },
  control: { successes: number; n: number },
): ProportionTest | null {
  const { n: n1, successes: x1 } = treatment;
  const { n: n2, successes: x2 } = control;
  if (n1 <= 0 || n2 <= 0) return null;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return null;
  const z = (x1 / n1 - x2 / n2) / se;
  const pValue = Math.min(1, 2 * (1 - normalCdf(Math.abs(z), 0, 1)));
  return { z, pValue, significant: pValue < ALPHA };
}

/** A rate with its 95 % interval, as every report presents conversions. */
export function rate(successes: number, n: number) {
  return { n, successes, rate: n > 0 ? successes / n : null, ci95: wilsonInterval(successes, n) };
}
