import { describe, expect, it } from 'vitest';
import { listText } from './list-format.ts';

describe('listText', () => {
  it("joins with the language's list separator", () => {
    expect(listText(['渠道 ×1', '优惠券批次 ×2'], 'zh-CN')).toBe('渠道 ×1、优惠券批次 ×2');
    expect(listText(['channel ×1', 'coupon stock ×2'], 'en')).toBe('channel ×1, coupon stock ×2');
    expect(listText(['a'], 'en')).toBe('a');
    expect(listText([], 'zh-CN')).toBe('');
  });

  it('words a choice with or', () => {
    expect(listText(['短信', '企业微信', '优惠券'], 'zh-CN', 'or')).toBe('短信、企业微信或优惠券');
    expect(listText(['SMS', 'WeCom'], 'en', 'or')).toBe('SMS or WeCom');
  });
});
