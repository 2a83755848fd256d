import { createNodeRegistry, outputsOf } from '@siyu/shared';
import { describe, expect, it } from 'vitest';
import { couponsPackage, IssueCouponConfigSchema, issueCoupon } from './index.ts';

describe('coupons.issue definition', () => {
  it('a new node names no stock (the operator picks one of theirs); both ports and the failure port', () => {
    const fresh = IssueCouponConfigSchema.safeParse(issueCoupon.defaultConfig);
    expect(fresh.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['stockId', '请选择券批次 / choose a coupon stock'],
    ]);
    const config = IssueCouponConfigSchema.parse({ stockId: 'stock_1' });
    expect(outputsOf(issueCoupon, config).map((p) => p.id)).toEqual(['issued', 'failed']);
    expect(issueCoupon.effect).toEqual({ failurePort: 'failed' });
    expect(issueCoupon.label).toEqual({ 'zh-CN': '发放优惠券', en: 'Issue coupon' });
  });

  it('rejects a missing stock with a message naming the field', () => {
    const result = IssueCouponConfigSchema.safeParse({ stockId: '  ' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['stockId']);
    expect(result.error?.issues[0]?.message).toContain('coupon stock');
  });

  it('marks the stock field for the editor coupon-stock picker', () => {
    expect(IssueCouponConfigSchema.shape.stockId.meta()).toMatchObject({ widget: 'couponStock' });
  });

  it('registers in a node registry', () => {
    const registry = createNodeRegistry([couponsPackage]);
    expect(registry.get('coupons.issue')).toBe(issueCoupon);
  });
});
