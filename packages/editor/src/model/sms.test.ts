import { describe, expect, it } from 'vitest';
import { countSms, hasUnsubscribeHint } from './sms.ts';

describe('SMS counter', () => {
  it('counts the signature and splits at 70 / 67', () => {
    expect(countSms('', '')).toEqual({ chars: 0, parts: 0 });
    expect(countSms('a'.repeat(64), '私域')).toEqual({ chars: 68, parts: 1 });
    expect(countSms('字'.repeat(66), '私域')).toEqual({ chars: 70, parts: 1 });
    expect(countSms('字'.repeat(67), '私域')).toEqual({ chars: 71, parts: 2 });
    expect(countSms('字'.repeat(134), '')).toEqual({ chars: 134, parts: 2 });
    expect(countSms('字'.repeat(135), '')).toEqual({ chars: 135, parts: 3 });
  });
  it('counts emoji as one character', () => {
    expect(countSms('🎉', '').chars).toBe(1);
  });
  it('finds an unsubscribe hint', () => {
    expect(hasUnsubscribeHint('新品上架，回T退订')).toBe(true);
    expect(hasUnsubscribeHint('新品上架')).toBe(false);
  });
});
