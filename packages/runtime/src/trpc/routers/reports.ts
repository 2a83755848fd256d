import { TRPCError } from '@trpc/server';
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
export const reportsRouter = router({
  funnel: viewerProcedure
    .input(FunnelInput)
    .query(({ ctx, input }) => answer(() => funnelReport(ctx.db.sql, ctx.registry, input))),
  /** Per code in a period, orders credited by last touch (attribution.ts): the channel report. */
  channels: viewerProcedure
    .input(ChannelsInput)
    .query(({ ctx, input }) => answer(() => channelsReport(ctx.db.sql, input))),
  /** Per code over all time: customers by their first entry code, orders by the order's own code. */
  channelsFirstTouch: viewerProcedure
    .input(ChannelsFirstTouchInput)
    .query(({ ctx, input }) => channelsFirstTouch(ctx.db.sql, input.channelId)),
  abTest: viewerProcedure
    .input(AbTestInput)
    .query(({ ctx, input }) => answer(() => abTestReport(ctx.db.sql, ctx.registry, input))),
  promoteWinner: operatorProcedure
    .input(PromoteWinnerInput)
    .mutation(({ ctx, input }) =>
      answer(() => promoteWinner(ctx.db, ctx.registry, { ...input, by: ctx.operator.username })),
    ),
  monitoring: viewerProcedure
    .input(MonitoringInput)
    .query(({ ctx, input }) => answer(() => monitoringReport(ctx.db.sql, input, ctx.clock.now()))),
  cohorts: viewerProcedure
    .input(CohortsInput)
    .query(({ ctx, input }) => answer(() => cohortsReport(ctx.db.sql, input))),
  holdout: viewerProcedure
    .input(HoldoutInput)
    .query(({ ctx, input }) => answer(() => holdoutReport(ctx.db.sql, ctx.registry, input))),
  /** Any report above as CSV text (UTF-8 with BOM, so Excel opens Chinese correctly). */
  csv: viewerProcedure
    .input(CsvInput)
    .query(({ ctx, input }) =>
      answer(() => reportCsv({ sql: ctx.db.sql, registry: ctx.registry, now: ctx.clock.now() }, input)),
    ),
});
