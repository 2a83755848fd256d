import { randomUUID } from 'node:crypto';
import { WecomUserIdSchema } from '@siyu/nodes-wecom';
import { PhoneSchema } from '@siyu/shared';
import { z } from 'zod';
import { thenAudit } from '../../audit/record.ts';
import { createWecomAdmin, type WecomAdmin, WecomAdminError } from '../../node-packages/wecom-admin.ts';
import { ApiError, apiError } from '../api-error.ts';
import type { Context } from '../context.ts';
import { adminProcedure, operatorProcedure, router, viewerProcedure } from '../trpc.ts';

function adminOf(ctx: Context): WecomAdmin {
  return (
    ctx.wecomAdmin ??
    createWecomAdmin({
      db: ctx.db,
      clock: ctx.clock,
      publicUrl: () => ctx.publicUrl,
      wecom: null,
    })
  );
}

async function run<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof WecomAdminError) throw new ApiError(error.code, error.detail, error);
    throw error;
  }
}

/** WeCom operations that are not journey steps: live codes, handover, and the sandbox's "scan". */
export const wecomRouter = router({
  mode: viewerProcedure.query(({ ctx }) => ({ mode: adminOf(ctx).mode })),

  /** The staff directory: names for the userids customers, tasks and live codes carry. */
  staff: viewerProcedure.query(({ ctx }) =>
    adminOf(ctx)
      .staff.list()
      .then((rows) => rows.map(({ userId, name, active, syncedAt }) => ({ userId, name, active, syncedAt }))),
  ),

  /**
   * Reads the directory from WeCom now (the server also does at start and every 6 hours). Not
   * audited: it copies WeCom's names, it changes nothing an operator decided.
   */
  syncStaff: adminProcedure.mutation(({ ctx }) =>
    adminOf(ctx)
      .staff.sync()
      .catch((error: Error) => {
        // WeCom's refusal (48002: the app lacks customer-contact permission, 40001: bad secret…)
        // in its own words; the secret and token are never part of it.
        throw apiError('BAD_GATEWAY', 'wecom.staffSyncFailed', { reason: error.message }, error);
      }),
  ),

  /** A live code (联系我) whose `state` is the entry code, so each contact added is attributed. */
  createLiveCode: operatorProcedure
    .input(
      z.object({
        code: z.string().min(1).max(30),
        userIds: z.array(WecomUserIdSchema).min(1, { message: '至少一名员工 / at least one staff member' }).max(100),
        skipVerify: z.boolean().default(true),
        remark: z.string().max(30).optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      run(() => adminOf(ctx).createLiveCode(input)).then(
        thenAudit(ctx, 'wecom.createLiveCode', { type: 'entryCode', id: input.code }, { userIds: input.userIds }),
      ),
    ),

  /** Hand a staff member's customers to another (on the job, or resigned). Admins only. */
  handover: adminProcedure
    .input(
      z.object({
        fromUserId: WecomUserIdSchema,
        toUserId: WecomUserIdSchema,
        resigned: z.boolean(),
        externalUserIds: z.array(z.string().min(1).max(64)).min(1).max(10_000).optional(),
        message: z.string().max(200).optional(),
      }),
    )
    .mutation(({ ctx, input }) => {
      const { externalUserIds, message: _message, ...details } = input;
      const customers = externalUserIds?.length ?? 'all';
      return run(() => adminOf(ctx).handover(input)).then(
        thenAudit(ctx, 'wecom.handover', { type: 'wecomUser', id: input.fromUserId }, { ...details, customers }),
      );
    }),

  /**
   * Sandbox only: a customer "scans" a live code and adds a staff member, producing exactly the
   * events the WeCom callback would (wecom.contactAdded + channel.entered), so journeys can be
   * tried end to end with no WeCom account.
   */
  simulateContactAdded: operatorProcedure
    .input(
      z.object({
        code: z.string().min(1).max(30),
        userId: WecomUserIdSchema.default('sandbox-staff'),
        externalUserId: z.string().min(1).max(64).optional(),
        /** The customer's WeCom name, as the real callback looks it up (externalcontact/get). */
        name: z.string().trim().min(1).max(100).optional(),
        /** A phone the staff member noted (remark_mobiles): joins the customer who has it. */
        phone: PhoneSchema.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      if (adminOf(ctx).mode !== 'sandbox') {
        throw apiError('PRECONDITION_FAILED', 'wecom.sandboxOnly');
      }
      const entry = await ctx.db.prisma.entryCode.findUnique({ where: { code: input.code } });
      if (!entry) throw apiError('NOT_FOUND', 'common.notFound', { what: 'entryCode', id: input.code });
      const externalUserId = input.externalUserId ?? `wm_sandbox_${randomUUID().slice(0, 12)}`;
      const occurredAt = new Date(ctx.clock.now());
      const base = `sandbox:${externalUserId}:${occurredAt.getTime()}`;
      const identities = { wecomExternalUserId: externalUserId };
      const added = await ctx.engine.ingestEvent(
        {
          id: base,
          type: 'wecom.contactAdded',
          identities: input.phone ? { ...identities, phone: input.phone } : identities,
          occurredAt,
          data: {
            userId: input.userId,
            externalUserId,
            state: input.code,
            welcomeCode: `sandbox-welcome-${base}`,
            half: false,
            ...(input.name ? { name: input.name } : {}),
          },
        },
        'sandbox',
      );
      const entered = await ctx.engine.ingestEvent(
        {
          id: `${base}:channel`,
          type: 'channel.entered',
          identities,
          occurredAt,
          data: { code: input.code, source: 'wecom', userId: input.userId },
        },
        'sandbox',
      );
      return { customerId: added.customerId, externalUserId, enrolled: added.enrolled + entered.enrolled };
    }),
});
