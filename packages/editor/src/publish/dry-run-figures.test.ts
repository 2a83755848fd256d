import { describe, expect, it } from 'vitest';
import { budgetState, isBusy, overBudget, smsCost } from './dry-run-figures.ts';

describe('dry-run figures', () => {
  it('prices billed SMS parts at the current price, to the fen', () => {
    expect(smsCost({ smsParts: 32 }, 0.045)).toBe(1.44);
    expect(smsCost({ smsParts: 1234.5 }, 0.05)).toBe(61.73);
  });

  it('says how many coupons exceed what is left in the batch', () => {
    const coupon = { stockId: 's', name: 'n', issued: 16, left: 10, exceedsStock: true };
    expect(overBudget(coupon)).toBe(6);
    expect(overBudget({ ...coupon, left: 100, exceedsStock: false })).toBe(0);
    expect(budgetState(coupon)).toBe('over');
    expect(budgetState({ ...coupon, issued: 8, left: 8, exceedsStock: false })).toBe('usesUp');
    expect(budgetState({ ...coupon, issued: 3, left: 8, exceedsStock: false })).toBe('within');
  });

  it('tells the busy answer (429) from other errors', () => {
    expect(isBusy({ data: { httpStatus: 429, code: 'TOO_MANY_REQUESTS' } })).toBe(true);
    expect(isBusy(new Error('x'))).toBe(false);
    expect(isBusy(undefined)).toBe(false);
  });
});
