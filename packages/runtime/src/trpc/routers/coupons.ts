import {
  type CouponsServerDeps,
  CreateCouponStockSchema,
  createCouponStock,
  redeemCoupon,
} from '@siyu/nodes-coupons/server';
import { randomUUID } from 'node:crypto';
import { DEFAULT_TIME_ZONE } from '@siyu/shared';
import { TRPCError } from '@trpc/server';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { thenAudit } from '../../audit/record.ts';
import { createLogger } from '../../logger.ts';
import { createCouponsServices } from '../../node-packages/coupons-services.ts';
import { apiError } from '../api-error.ts';
import type { Context } from '../context.ts';
import { ingestProcedure, operatorProcedure, router, viewerProcedure } from '../trpc.ts';

function couponsOf(ctx: Context): CouponsServerDeps {
  return (
    ctx.coupons ??
    createCouponsServices({
      db: ctx.db,
      clock: ctx.clock,
      logger: createLogger('silent'),
    })
  );
}

/** A calendar day, as the batch page's date pickers give it. */
const DaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'YYYY-MM-DD' });

/**
 * A batch as the coupon batches page creates it: the server names it, and the validity is whole
 * days in the workspace's time zone (Asia/Shanghai: there is no per-workspace zone setting yet),
 * from the first day's 00:00 to the end of the last day.
 */
const NewStockSchema = z
  .object({
    name: z.string().trim().min(1).max(40),
    amountCents: z.number().int().positive().max(100_000_00),
    minimumCents: z.number().int().min(0).max(100_000_00).default(0),
    maxCoupons: z.number().int().positive().max(10_000_000),
    maxPerCustomer: z.number().int().positive().max(100).default(1),
    validFromDay: DaySchema,
    validToDay: DaySchema,
  })
  .refine((s) => s.validToDay >= s.validFromDay, {
    message: '结束日期不能早于开始日期 / the last day cannot be before the first',
    path: ['validToDay'],
  });

function dayStart(day: string): Date {
  return DateTime.fromISO(day, { zone: DEFAULT_TIME_ZONE }).startOf('day').toJSDate();
}

/** Coupon stocks (券批次) for the coupons.issue node, and redemption reported by the brand's tills. */
export const couponsRouter = router({
  stocks: viewerProcedure.query(async ({ ctx }) => {
    const stocks = await ctx.db.prisma.couponStock.findMany({ orderBy: { createdAt: 'desc' } });
    const used = await ctx.db.prisma.coupon.groupBy({ by: ['stockId'], where: { status: 'used' }, _count: true });
    const usedBy = new Map(used.map((u) => [u.stockId, u._count]));
    return stocks.map((s) => ({
      ...s,
      redeemed: usedBy.get(s.id) ?? 0,
      remaining: Math.max(0, s.maxCoupons - s.issued),
    }));
  }),

  createStock: operatorProcedure.input(CreateCouponStockSchema).mutation(async ({ ctx, input }) => {
    if (await ctx.db.prisma.couponStock.findUnique({ where: { id: input.id } })) {
      throw apiError('CONFLICT', 'coupons.stockExists', { id: input.id });
    }
    try {
      return await createCouponStock(couponsOf(ctx), input).then(
        thenAudit(ctx, 'coupons.createStock', { type: 'couponStock', id: input.id }, input),
      );
    } catch (error) {
      throw new TRPCError({ code: 'BAD_REQUEST', message: (error as Error).message, cause: error });
    }
  }),

  /** The coupon batches page's "new batch": sandbox coupons, named by the server, whole days. */
  create: operatorProcedure.input(NewStockSchema).mutation(async ({ ctx, input }) => {
    const stock = {
      id: `stk_${randomUUID().replaceAll('-', '').slice(0, 20)}`,
      name: input.name,
      provider: 'sandbox' as const,
      amountCents: input.amountCents,
      minimumCents: input.minimumCents,
      maxCoupons: input.maxCoupons,
      maxPerCustomer: input.maxPerCustomer,
      validFrom: dayStart(input.validFromDay),
      validTo: DateTime.fromJSDate(dayStart(input.validToDay)).plus({ days: 1 }).toJSDate(),
    };
    let created: Awaited<ReturnType<typeof createCouponStock>>;
    try {
      created = await createCouponStock(couponsOf(ctx), stock);
    } catch (error) {
      throw apiError('BAD_GATEWAY', 'coupons.providerFailed', { reason: (error as Error).message }, error);
    }
    return thenAudit(ctx, 'coupons.createStock', { type: 'couponStock', id: stock.id }, input)(created);
  }),

  /**
   * A till or the shop reports a coupon used (sandbox coupons; WeChat Pay reports its own through
   * the notify webhook). Once only: a repeated report changes nothing.
   */
  redeem: ingestProcedure('events:write')
    .input(z.object({ couponId: z.string().min(1).max(100), orderId: z.string().min(1).max(100).optional() }))
    .mutation(async ({ ctx, input }) => {
      const coupons = couponsOf(ctx);
      const coupon = await coupons.store.findCoupon({ id: input.couponId });
      if (!coupon) throw apiError('NOT_FOUND', 'common.notFound', { what: 'coupon', id: input.couponId });
      if (coupon.status === 'expired') {
        throw apiError('PRECONDITION_FAILED', 'coupons.expired', { id: input.couponId });
      }
      const alreadyUsed = coupon.status === 'used';
      const event = await redeemCoupon(coupons, {
        couponId: input.couponId,
        orderId: input.orderId,
        at: new Date(ctx.clock.now()),
      });
      // The event id is the coupon's, so a repeated report is a duplicate the engine ignores.
      const outcome = event ? await ctx.engine.ingestEvent(event, ctx.actor) : undefined;
      return { status: 'used' as const, alreadyUsed, delivered: outcome?.delivered ?? 0 };
    }),
});
