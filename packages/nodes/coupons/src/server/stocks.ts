// Stock management and lifecycle functions the server calls (admin API, scheduler, POS hooks).
import { formatPath, type JourneyEventInput } from '@siyu/shared';
import { z } from 'zod';
import { COUPON_EVENTS } from '../index.ts';
import { COUPON_PROVIDERS, type CouponStockRecord, type CouponsServerDeps } from './deps.ts';
import { redeemedEvent } from './webhooks.ts';

export const CreateCouponStockSchema = z
  .object({
    id: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, { message: '批次编号只能含字母数字_- / id: letters, digits, _ and -' }),
    name: z.string().trim().min(1).max(40),
    provider: z.enum(COUPON_PROVIDERS).default('sandbox'),
    maxCoupons: z.number().int().positive(),
    maxPerCustomer: z.number().int().positive().default(1),
    amountCents: z.number().int().positive(),
    minimumCents: z.number().int().min(0).default(0),
    validFrom: z.coerce.date(),
    validTo: z.coerce.date(),
  })
  .refine((s) => s.validTo > s.validFrom, {
    message: '结束时间须晚于开始时间 / validTo must be after validFrom',
    path: ['validTo'],
  });
export type CreateCouponStockInput = z.input<typeof CreateCouponStockSchema>;

/** Validates, creates (and activates) the stock at its provider, then records it. */
export async function createCouponStock(deps: CouponsServerDeps, input: unknown): Promise<CouponStockRecord> {
  const parsed = CreateCouponStockSchema.safeParse(input);
  if (!parsed.success) {
    throw new Error(
      `invalid coupon stock: ${parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ')}`,
    );
  }
  const s = parsed.data;
  const provider = deps.providers[s.provider];
  if (!provider) throw new Error(`invalid coupon stock: provider "${s.provider}" is not configured`);
  const created = await provider.createStock({ ...s, outRequestNo: `stock-${s.id}` });
  return deps.store.insertStock({ ...s, providerStockId: created?.providerStockId ?? null });
}

/** Marks sent coupons past their stock's validTo as expired; returns one coupon.expired event each. */
export async function expireCoupons(deps: CouponsServerDeps, now: Date): Promise<JourneyEventInput[]> {
  const expired = await deps.store.expireCoupons(now);
  return expired.map((c) => ({
    id: `coupon.expired:${c.id}`,
    type: COUPON_EVENTS.expired,
    customerId: c.customerId,
    occurredAt: now,
    data: { couponId: c.id, stockId: c.stockId },
  }));
}

/** Redemption reported by our own systems (sandbox coupons at the till): marks used once. */
export async function redeemCoupon(
  deps: CouponsServerDeps,
  input: { couponId: string; orderId?: string; at: Date },
): Promise<JourneyEventInput | null> {
  const used = await deps.store.markCouponUsed({
    couponId: input.couponId,
    orderId: input.orderId ?? null,
    usedAt: input.at,
  });
  return used && used.coupon.status === 'used' ? redeemedEvent(used.coupon) : null;
}
