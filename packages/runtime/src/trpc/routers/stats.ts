import { z } from 'zod';
import { channelStats } from '../../reports/channel-stats.ts';
import { journeyStats } from '../../reports/journey-stats.ts';
import { router, viewerProcedure } from '../trpc.ts';

/** Journey statistics for the canvas overlay and reports; cached ~2 s so polling stays cheap. */
export const statsRouter = router({
  journey: viewerProcedure
    .input(z.object({ journeyId: z.string().min(1).max(100), versionId: z.string().min(1).max(100).optional() }))
    .query(({ ctx, input }) => journeyStats(ctx.db, input.journeyId, input.versionId, ctx.clock.now())),

  /** Recall per entry code and variant: delivered, scans, customers, orders. */
  channels: viewerProcedure
    .input(z.object({ channelId: z.string().min(1).max(100).optional() }).default({}))
    .query(({ ctx, input }) => channelStats(ctx.db, input.channelId)),
});
