import { z } from 'zod';
import { sqliteDatabaseOf } from '../../db/sqlite-only.ts';
import { journeyStats } from '../../reports/journey-stats.ts';
import { router, viewerProcedure } from '../trpc.ts';

/**
 * Journey statistics for the canvas overlay; cached ~2 s so polling stays cheap. Channel numbers
 * are reports (reports.channels, reports.channelsFirstTouch).
 */
export const statsRouter = router({
  journey: viewerProcedure
    .input(z.object({ journeyId: z.string().min(1).max(100), versionId: z.string().min(1).max(100).optional() }))
    .query(({ ctx, input }) =>
      journeyStats(
        sqliteDatabaseOf(ctx.db, '旅程统计 journey stats'),
        input.journeyId,
        input.versionId,
        ctx.clock.now(),
      ),
    ),
});
