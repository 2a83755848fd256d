// coupons.issue: reserve in our budget (atomic, keyed by the step's idempotency key), then issue at
// the provider with the same key. A retry finds the reservation and either returns the coupon
// already issued or finishes the provider call (which is idempotent on out_request_no).
import { defineExecutor, PermanentError } from '@siyu/shared';
import { issueCoupon } from '../index.ts';
import type { CouponsServerDeps } from './deps.ts';

export function issueCouponExecutor(deps: CouponsServerDeps) {
  return defineExecutor(issueCoupon, async (ctx) => {
    const reserved = await deps.store.reserveCoupon({
      stockId: ctx.config.stockId,
      customerId: ctx.customer.id,
      idempotencyKey: ctx.idempotencyKey,
      now: ctx.now,
    });
    if (reserved.kind === 'rejected') throw new PermanentError(reserved.message, { code: reserved.reason });
    let coupon = reserved.coupon;
    const { stock } = reserved;
    if (coupon.status === 'pending') {
      const provider = deps.providers[stock.provider];
      if (!provider) {
        await deps.store.releaseCoupon(coupon.id);
        throw new PermanentError(`coupon provider "${stock.provider}" is not configured`, { code: 'noProvider' });
      }
      try {
        const { providerCouponId } = await provider.issue({
          stock,
          coupon,
          customer: ctx.customer,
          outRequestNo: ctx.idempotencyKey,
          signal: ctx.signal,
        });
        coupon = await deps.store.confirmCoupon(coupon.id, providerCouponId);
      } catch (error) {
        // Give the budget back only when the provider refused for good; a retryable failure keeps
        // the reservation so the retry re-uses it (and the provider's out_request_no).
        if (error instanceof PermanentError) await deps.store.releaseCoupon(coupon.id);
        throw error;
      }
    }
    return {
      port: 'issued',
      data: {
        couponId: coupon.id,
        stockId: stock.id,
        providerCouponId: coupon.providerCouponId,
        deduplicated: reserved.kind === 'existing' && reserved.coupon.status !== 'pending',
      },
    };
  });
}
