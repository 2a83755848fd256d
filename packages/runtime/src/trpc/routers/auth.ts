import { z } from 'zod';
import { acceptInvite } from '../../auth/invites.ts';
import { createLoginThrottle, LoginThrottledError } from '../../auth/login-throttle.ts';
import { hashPassword, verifyPassword } from '../../auth/password.ts';
import { login, logout } from '../../auth/sessions.ts';
import { hashToken } from '../../auth/tokens.ts';
import { apiError } from '../api-error.ts';
import type { Context } from '../context.ts';
import { publicProcedure, router, viewerProcedure } from '../trpc.ts';

const NewPassword = z.string().min(8, '密码至少 8 位 at least 8 characters').max(200);

/** Sign in/out; `me` says who is signed in (null when nobody is). */
export const authRouter = router({
  login: publicProcedure
    .input(z.object({ username: z.string().trim().min(1).max(100), password: z.string().min(1).max(200) }))
    .mutation(async ({ ctx, input }) => {
      const throttle = await attemptCounted(ctx, input.username);
      const result = await login(ctx.db, input.username, input.password);
      if (!result) throw apiError('UNAUTHORIZED', 'auth.wrongPassword');
      if (result === 'disabled') throw apiError('FORBIDDEN', 'auth.accountDisabled');
      await throttle.succeeded(input.username, ctx.requestIp);
      ctx.setSessionCookie(result.token, result.expiresAt);
      // The token travels only in the HttpOnly cookie, out of reach of page scripts.
      return { operator: result.operator, expiresAt: result.expiresAt };
    }),
  logout: publicProcedure.mutation(async ({ ctx }) => {
    if (ctx.sessionToken) await logout(ctx.db, ctx.sessionToken);
    ctx.clearSessionCookie();
    return { ok: true };
  }),
  me: publicProcedure.query(({ ctx }) => ctx.principal),

  /**
   * A new colleague (or one who forgot their password) opens the one-time link an admin gave them,
   * chooses a password and is signed in. The link's token is 192 random bits, so guessing is futile.
   */
  acceptInvite: publicProcedure
    .input(z.object({ token: z.string().min(1).max(200), password: NewPassword }))
    .mutation(async ({ ctx, input }) => {
      // Counted like a sign-in: the address's guesses share one budget whichever door they knock on.
      const key = `invite:${hashToken(input.token).slice(0, 16)}`;
      const throttle = await attemptCounted(ctx, key);
      const result = await acceptInvite(ctx.db, input.token, input.password);
      if (result.ok) await throttle.succeeded(key, ctx.requestIp);
      if (!result.ok) {
        throw result.reason === 'disabled'
          ? apiError('FORBIDDEN', 'auth.accountDisabled')
          : apiError('BAD_REQUEST', 'auth.inviteInvalid');
      }
      ctx.setSessionCookie(result.session.token, result.session.expiresAt);
      return { operator: result.session.operator, expiresAt: result.session.expiresAt };
    }),

  /** Any signed-in operator changes their own password; their other sessions end. */
  changePassword: viewerProcedure
    .input(
      z.object({
        current: z.string().min(1).max(200),
        next: NewPassword,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const operator = await ctx.db.prisma.operator.findUniqueOrThrow({ where: { id: ctx.operator.id } });
      if (!(await verifyPassword(input.current, operator.passwordHash))) {
        throw apiError('BAD_REQUEST', 'auth.currentPasswordWrong');
      }
      await ctx.db.prisma.operator.update({
        where: { id: operator.id },
        data: { passwordHash: await hashPassword(input.next) },
      });
      await ctx.db.prisma.operatorSession.deleteMany({
        where: {
          operatorId: operator.id,
          ...(ctx.sessionToken ? { tokenHash: { not: hashToken(ctx.sessionToken) } } : {}),
        },
      });
      return { ok: true };
    }),
});

/**
 * Counts one credential attempt (a sign-in, a set-password link) against its account key and the
 * caller's address before anything is checked; over the limit: 429 with Retry-After.
 */
async function attemptCounted(ctx: Context, key: string) {
  const throttle = createLoginThrottle(ctx.db, ctx.loginLimits);
  try {
    await throttle.attempt(key, ctx.requestIp);
  } catch (error) {
    if (!(error instanceof LoginThrottledError)) throw error;
    ctx.setResponseHeader?.('Retry-After', String(error.retryAfterSeconds));
    throw apiError('TOO_MANY_REQUESTS', 'auth.throttled', { seconds: error.retryAfterSeconds }, error);
  }
  return throttle;
}
