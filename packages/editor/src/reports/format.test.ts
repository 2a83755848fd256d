import { describe, expect, it } from 'vitest';
import { interval, pct, pValue, yuan } from './format.ts';

describe('report formats', () => {
  it('formats rates, money, p-values and intervals', () => {
    expect(pct(5 / 9)).toBe('55.6%');
    expect(pct(null)).toBe('—');
    expect(yuan(20000)).toBe('¥200.00');
    expect(pValue(0.0003)).toBe('< 0.001');
    expect(pValue(0.293718)).toBe('0.294');
    expect(interval({ low: 0.230724, high: 0.882379 })).toBe('23.1% – 88.2%');
  });
});
