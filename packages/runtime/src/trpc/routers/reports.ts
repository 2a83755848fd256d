import { TRPCError } from '@trpc/server';
import { sqliteDatabaseOf } from '../../db/sqlite-only.ts';
import { abTestReport } from '../../reports/ab-test.ts';
import { channelsFirstTouch } from '../../reports/channel-stats.ts';
import { channelsReport } from '../../reports/channels.ts';
import { cohortsReport } from '../../reports/cohorts.ts';
import { ReportInputError } from '../../reports/common.ts';
import { reportCsv } from '../../reports/csv.ts';
import { funnelReport } from '../../reports/funnel.ts';
import { holdoutReport } from '../../reports/holdout.ts';
import {
  AbTestInput,
  ChannelsFirstTouchInput,
  ChannelsInput,
  CohortsInput,
  CsvInput,
  FunnelInput,
  HoldoutInput,
  MonitoringInput,
  PromoteWinnerInput,
} from '../../reports/inputs.ts';
import { monitoringReport } from '../../reports/monitoring.ts';
import { promoteWinner } from '../../reports/promote-winner.ts';
import { operatorProcedure, router, viewerProcedure } from '../trpc.ts';

/** Report functions throw ReportInputError for the caller's mistakes; answer those as 4xx. */
async function answer<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ReportInputError)
      throw new TRPCError({ code: error.code, message: error.message, cause: error });
    throw error;
  }
}

/** Measurements for operators: viewers read every report; promoting a winner publishes. */

/** Until reports/ runs on the SQL port (another change), on SQLite only. */
const REPORTS = '报表 reports';
export const reportsRouter = router({
  funnel: viewerProcedure
    .input(FunnelInput)
    .query(({ ctx, input }) =>
      answer(() => funnelReport(sqliteDatabaseOf(ctx.db, REPORTS).sqlite, ctx.registry, input)),
    ),
  /** Per code in a period, orders credited by last touch (attribution.ts): the channel report. */
  channels: viewerProcedure
    .input(ChannelsInput)
    .query(({ ctx, input }) => answer(() => channelsReport(sqliteDatabaseOf(ctx.db, REPORTS).sqlite, input))),
  /** Per code over all time: customers by their first entry code, orders by the order's own code. */
  channelsFirstTouch: viewerProcedure
    .input(ChannelsFirstTouchInput)
    .query(({ ctx, input }) => channelsFirstTouch(sqliteDatabaseOf(ctx.db, REPORTS), input.channelId)),
  abTest: viewerProcedure
    .input(AbTestInput)
    .query(({ ctx, input }) =>
      answer(() => abTestReport(sqliteDatabaseOf(ctx.db, REPORTS).sqlite, ctx.registry, input)),
    ),
  promoteWinner: operatorProcedure
    .input(PromoteWinnerInput)
    .mutation(({ ctx, input }) =>
      answer(() =>
        promoteWinner(sqliteDatabaseOf(ctx.db, REPORTS), ctx.registry, { ...input, by: ctx.operator.username }),
      ),
    ),
  monitoring: viewerProcedure
    .input(MonitoringInput)
    .query(({ ctx, input }) =>
      answer(() => monitoringReport(sqliteDatabaseOf(ctx.db, REPORTS).sqlite, input, ctx.clock.now())),
    ),
  cohorts: viewerProcedure
    .input(CohortsInput)
    .query(({ ctx, input }) => answer(() => cohortsReport(sqliteDatabaseOf(ctx.db, REPORTS).sqlite, input))),
  holdout: viewerProcedure
    .input(HoldoutInput)
    .query(({ ctx, input }) =>
      answer(() => holdoutReport(sqliteDatabaseOf(ctx.db, REPORTS).sqlite, ctx.registry, input)),
    ),
  /** Any report above as CSV text (UTF-8 with BOM, so Excel opens Chinese correctly). */
  csv: viewerProcedure
    .input(CsvInput)
    .query(({ ctx, input }) =>
      answer(() =>
        reportCsv(
          { sqlite: sqliteDatabaseOf(ctx.db, REPORTS).sqlite, registry: ctx.registry, now: ctx.clock.now() },
          input,
        ),
      ),
    ),
});
