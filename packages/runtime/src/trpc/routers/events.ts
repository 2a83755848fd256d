import { JourneyEventSchema } from '@siyu/shared';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { IngestOutcome } from '../../engine/api.ts';
import { ingestProcedure, router } from '../trpc.ts';

/** Event ingestion from shops and the brand's systems; idempotent by event id. */
export const eventsRouter = router({
  ingest: ingestProcedure('events:write')
    .input(JourneyEventSchema)
    .mutation(async ({ ctx, input }) => {
      const outcome = await ctx.engine.ingestEvent(input, ctx.actor);
      // The same id with the same payload is an idempotent duplicate; with another payload, a conflict.
      if (outcome.status === 'conflict') throw new TRPCError({ code: 'CONFLICT', message: outcome.reason });
      return outcome;
    }),

  ingestBatch: ingestProcedure('events:write')
    .input(z.object({ events: z.array(JourneyEventSchema).min(1).max(1000) }))
    .mutation(async ({ ctx, input }) => {
      const results: (IngestOutcome & { id: string })[] = [];
      // In order: a later event (order.paid) may depend on an earlier one (order.placed).
      for (const event of input.events)
        results.push({ id: event.id, ...(await ctx.engine.ingestEvent(event, ctx.actor)) });
      const count = (status: string) => results.filter((r) => r.status === status).length;
      return {
        accepted: count('accepted'),
        duplicate: count('duplicate'),
        rejected: count('rejected'),
        conflict: count('conflict'),
        results,
      };
    }),
});
