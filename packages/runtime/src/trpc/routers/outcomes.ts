import { z } from 'zod';
import { withCustomerNames } from '../../customers/customer-names.ts';
import { listUnknownOutcomes, resolveUnknownOutcome, UnknownOutcomeError } from '../../runs/unknown-outcomes.ts';
import { ApiError } from '../api-error.ts';
import { operatorProcedure, router, viewerProcedure } from '../trpc.ts';

/**
 * Steps whose outcome is unknown (an earlier attempt may have sent; the provider cannot tell):
 * the customer waits at the node until an operator resends, marks it sent or skips it. The count
 * per node is in stats.journey (`nodes[].outcomeUnknown`).
 */
export const outcomesRouter = router({
  list: viewerProcedure
    .input(
      z.object({
        journeyId: z.string().min(1).max(100),
        nodeId: z.string().min(1).max(100).optional(),
        limit: z.number().int().min(1).max(500).default(100),
      }),
    )
    .query(async ({ ctx, input }) => withCustomerNames(ctx.db, await listUnknownOutcomes(ctx.db, input))),

  /** resend: send again with the same idempotency key; markSent: go on as sent; skip: the skipped port. */
  resolve: operatorProcedure
    .input(
      z.object({
        effectId: z.number().int().positive(),
        action: z.enum(['resend', 'markSent', 'skip']),
        note: z.string().trim().max(500).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      try {
        return await resolveUnknownOutcome(ctx.db, {
          ...input,
          decidedBy: ctx.operator.username,
          now: ctx.clock.now(),
        });
      } catch (error) {
        if (error instanceof UnknownOutcomeError) {
          const answer = new ApiError(error.code === 'notFound' ? 'NOT_FOUND' : 'CONFLICT', error.detail, error);
          // API clients keep the reason code and the step in the plain message.
          answer.message = `${error.code}: ${error.message}`;
          throw answer;
        }
        throw error;
      }
    }),
});
