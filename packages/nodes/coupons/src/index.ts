// Browser-safe definitions of the coupon nodes: the editor builds its palette and form from these,
// the runtime compiles journeys with them. Executors, providers and webhooks live in ./server.
//
// There is deliberately no "wait for redemption" node: redemption and expiry come back as the
// events `coupon.redeemed` / `coupon.expired` (data: { couponId, stockId, orderId? }), so
// `core.waitForEvent` with a timeout does the waiting (see README.md).
import { defineNode, defineNodePackage, resourceRef, t } from '@siyu/shared';
import { z } from 'zod';

/** Events the coupon package emits (both are in KNOWN_EVENT_TYPES). */
export const COUPON_EVENTS = { redeemed: 'coupon.redeemed', expired: 'coupon.expired' } as const;

export const IssueCouponConfigSchema = z.object({
  /** Id of a CouponStock (our id, not the provider's stock id): budget, per-customer cap, validity. */
  stockId: resourceRef(
    'coupons.stock',
    z
      .string()
      .trim()
      .min(1, { message: '请选择券批次 / choose a coupon stock' })
      .max(100)
      .meta({ widget: 'couponStock', label: t('券批次', 'Coupon batch') }),
  ),
});
export type IssueCouponConfig = z.output<typeof IssueCouponConfigSchema>;

export const issueCoupon = defineNode({
  type: 'coupons.issue',
  version: 1,
  category: 'offer',
  icon: 'ticket',
  label: t('发放优惠券', 'Issue coupon'),
  description: t(
    '从券批次给客户发一张券；同一步骤重试不会重复发券，预算或每人限领用完走"失败"',
    'Issues one coupon from a stock; a retried step never issues twice; budget or per-customer cap reached goes to "failed"',
  ),
  config: IssueCouponConfigSchema,
  // No stock until the operator picks one of theirs: a made-up id would pass the form and fail at run time.
  defaultConfig: { stockId: '' },
  outputs: [
    { id: 'issued', label: t('已发券', 'Issued') },
    { id: 'failed', label: t('发券失败', 'Failed'), required: false },
  ],
  effect: { failurePort: 'failed' },
});

export const couponsPackage = defineNodePackage({
  name: 'coupons',
  label: t('优惠券', 'Coupons'),
  nodes: [issueCoupon],
});
