import { thenAudit } from '../../audit/record.ts';
import { callbackTokenStore, callbackUrls } from '../../node-packages/callback-token.ts';
import { adminProcedure, router } from '../trpc.ts';

/**
 * Provider callback URLs (admin only): the SMS ones carry the deployment's token, so they are as
 * secret as a password. Rotating invalidates the old URLs at once; paste the new ones into the
 * Aliyun / Tencent consoles right after. A rotation is audited (without the token: it breaks live
 * callbacks until the consoles are updated, so who did it and when matters).
 */
export const callbacksRouter = router({
  urls: adminProcedure.query(async ({ ctx }) => ({
    urls: callbackUrls(ctx.publicUrl, await callbackTokenStore(ctx.db, () => ctx.clock.now()).current()),
  })),
  rotateToken: adminProcedure.mutation(async ({ ctx }) =>
    thenAudit(ctx, 'callbacks.rotateToken', { type: 'callbackToken' })({
      urls: callbackUrls(ctx.publicUrl, await callbackTokenStore(ctx.db, () => ctx.clock.now()).rotate()),
    }),
  ),
});
