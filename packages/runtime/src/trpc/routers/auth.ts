import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { login, logout } from '../../auth/sessions.ts';
import { publicProcedure, router } from '../trpc.ts';

/** Sign in/out; `me` says who is signed in (null when nobody is). */
export const authRouter = router({
  login: publicProcedure
    .input(z.object({ username: z.string().trim().min(1).max(100), password: z.string().min(1).max(200) }))
    .mutation(async ({ ctx, input }) => {
      const result = await login(ctx.db, input.username, input.password);
      if (!result)
        throw new TRPCError({ code: 'UNAUTHORIZED', message: '用户名或密码错误 Wrong username or password' });
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
});
