import { z } from 'zod';
import { thenAudit } from '../../audit/record.ts';
import { createApiKey, revokeApiKey } from '../../auth/api-keys.ts';
import { hashPassword } from '../../auth/password.ts';
import { API_SCOPES, ApiScopeSchema, RoleSchema } from '../../auth/roles.ts';
import { issueInvite } from '../../auth/invites.ts';
import { newOperatorId } from '../../auth/sessions.ts';
import { newToken } from '../../auth/tokens.ts';
import { TEMPLATE_CREATOR } from '../../journeys/templates.ts';
import { adminProcedure, notFound, router } from '../trpc.ts';
import { apiError } from '../api-error.ts';

const Password = z.string().min(8, '密码至少 8 位 at least 8 characters').max(200);
const publicFields = {
  id: true,
  username: true,
  displayName: true,
  role: true,
  locale: true,
  disabledAt: true,
  createdAt: true,
  inviteExpiresAt: true,
};

/** Operator accounts (admin only). */
export const operatorsRouter = router({
  list: adminProcedure.query(({ ctx }) =>
    ctx.db.prisma.operator.findMany({ select: publicFields, orderBy: { createdAt: 'asc' } }),
  ),
  create: adminProcedure
    .input(
      z.object({
        username: z
          .string()
          .trim()
          .regex(/^[a-zA-Z0-9_.-]{2,50}$/, 'username: 2–50 letters, digits, "_", "." or "-"'),
        displayName: z.string().trim().min(1).max(100),
        /** Without one, the operator gets a one-time set-password link (returned once as `invite`). */
        password: Password.optional(),
        role: RoleSchema,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      if (input.username.toLowerCase() === TEMPLATE_CREATOR)
        throw apiError('BAD_REQUEST', 'operators.usernameReserved', { username: input.username });
      if (await ctx.db.prisma.operator.findUnique({ where: { username: input.username } })) {
        throw apiError('CONFLICT', 'operators.usernameTaken', { username: input.username });
      }
      const id = newOperatorId();
      await ctx.db.prisma.operator.create({
        data: {
          id,
          username: input.username,
          displayName: input.displayName,
          // An invited operator has no password anyone knows until they open their link.
          passwordHash: await hashPassword(input.password ?? newToken('unset')),
          role: input.role,
        },
      });
      const invite = input.password ? undefined : await issueInvite(ctx.db, id);
      const created = await ctx.db.prisma.operator.findUniqueOrThrow({ where: { id }, select: publicFields });
      const details = { username: created.username, role: created.role, ...(invite ? { invited: true } : {}) };
      // The link's token is returned to the admin once and never recorded.
      return thenAudit(ctx, 'operator.create', { type: 'operator', id }, details)({ ...created, invite });
    }),

  /** A new one-time set-password link (the first expired, or the operator forgot their password). */
  invite: adminProcedure.input(z.object({ id: z.string().min(1) })).mutation(async ({ ctx, input }) => {
    const operator = await ctx.db.prisma.operator.findUnique({ where: { id: input.id } });
    if (!operator) throw notFound('operator', input.id);
    if (operator.disabledAt) throw apiError('PRECONDITION_FAILED', 'auth.accountDisabled');
    const invite = await issueInvite(ctx.db, operator.id);
    const details = { username: operator.username, inviteIssued: true };
    return thenAudit(ctx, 'operator.update', { type: 'operator', id: operator.id }, details)(invite);
  }),
  update: adminProcedure
    .input(
      z.object({
        id: z.string().min(1),
        role: RoleSchema.optional(),
        disabled: z.boolean().optional(),
        password: Password.optional(),
        displayName: z.string().trim().min(1).max(100).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      if (input.id === ctx.operator.id && (input.disabled || (input.role && input.role !== 'admin'))) {
        throw apiError('BAD_REQUEST', 'operators.notYourself');
      }
      const data = {
        ...(input.role ? { role: input.role } : {}),
        ...(input.displayName ? { displayName: input.displayName } : {}),
        ...(input.password ? { passwordHash: await hashPassword(input.password) } : {}),
        ...(input.disabled !== undefined ? { disabledAt: input.disabled ? new Date() : null } : {}),
      };
      // Serializable, so two admins disabling each other at once cannot leave the workspace with none.
      const updated = await ctx.db.prisma.$transaction(
        async (tx) => {
          const before = await tx.operator.findUnique({ where: { id: input.id } });
          if (!before) throw notFound('operator', input.id);
          const after = await tx.operator.update({ where: { id: input.id }, data, select: publicFields });
          const wasActiveAdmin = before.role === 'admin' && !before.disabledAt;
          if (wasActiveAdmin && (after.role !== 'admin' || after.disabledAt)) {
            const admins = await tx.operator.count({ where: { role: 'admin', disabledAt: null } });
            if (admins === 0)
              throw apiError('PRECONDITION_FAILED', 'operators.lastAdmin', { username: before.username });
          }
          return after;
        },
        { isolationLevel: 'Serializable' },
      );
      // A changed password or a disabled account ends existing sessions.
      if (input.password || input.disabled)
        await ctx.db.prisma.operatorSession.deleteMany({ where: { operatorId: input.id } });
      const { password, id: _id, ...changes } = input;
      // Only THAT the password changed is recorded, never the password.
      const details = { username: updated.username, ...changes, ...(password ? { passwordChanged: true } : {}) };
      return thenAudit(ctx, 'operator.update', { type: 'operator', id: input.id }, details)(updated);
    }),
});

/** API keys for ingestion (admin only). The secret is shown once, at creation. */
export const apiKeysRouter = router({
  /** The scopes a key may be given (the page words each one). */
  scopes: adminProcedure.query(() => [...API_SCOPES]),
  list: adminProcedure.query(async ({ ctx }) => {
    const rows = await ctx.db.prisma.apiKey.findMany({ orderBy: { createdAt: 'desc' } });
    return rows.map(({ keyHash: _hash, ...r }) => ({ ...r, scopes: JSON.parse(r.scopes) as string[] }));
  }),
  create: adminProcedure
    .input(z.object({ name: z.string().trim().min(1).max(100), scopes: z.array(ApiScopeSchema).min(1) }))
    .mutation(async ({ ctx, input }) => {
      const created = await createApiKey(ctx.db, { ...input, createdBy: ctx.operator.username });
      // The key's value is returned to the admin once and never recorded.
      return thenAudit(ctx, 'apiKey.create', { type: 'apiKey', id: created.id }, input)(created);
    }),
  revoke: adminProcedure.input(z.object({ id: z.string().min(1) })).mutation(async ({ ctx, input }) => {
    const revoked = await revokeApiKey(ctx.db, input.id);
    return thenAudit(ctx, 'apiKey.revoke', { type: 'apiKey', id: input.id }, { revoked })({ revoked });
  }),
});
