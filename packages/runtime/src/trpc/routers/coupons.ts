import {
  type CouponsServerDeps,
  CreateCouponStockSchema,
  createCouponStock,
  redeemCoupon,
} from '@siyu/nodes-coupons/server';
import { TRPCError } from '@trpc/server';
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
