import type { NodeRegistry } from '@siyu/shared';
import type BetterSqlite3 from 'better-sqlite3';
import { abTestReport } from './ab-test.ts';
import { channelsReport } from './channels.ts';
import { cohortsReport } from './cohorts.ts';
import { funnelReport } from './funnel.ts';
import { holdoutReport } from './holdout.ts';
import type { CsvRequest } from './inputs.ts';
import { monitoringReport } from './monitoring.ts';

export interface ReportDeps {
  sqlite: BetterSqlite3.Database;
  registry: NodeRegistry;
  now: number;
}

/** One place that runs a report by name, for the CSV export (the router calls each directly). */
export function runReport(deps: ReportDeps, request: CsvRequest) {
  const { sqlite, registry, now } = deps;
  switch (request.report) {
    case 'funnel':
      return { report: request.report, result: funnelReport(sqlite, registry, request.input) } as const;
    case 'channels':
      return { report: request.report, result: channelsReport(sqlite, request.input) } as const;
    case 'abTest':
      return { report: request.report, result: abTestReport(sqlite, registry, request.input) } as const;
    case 'monitoring':
      return { report: request.report, result: monitoringReport(sqlite, request.input, now) } as const;
    case 'cohorts':
      return { report: request.report, result: cohortsReport(sqlite, request.input) } as const;
    case 'holdout':
      return { report: request.report, result: holdoutReport(sqlite, registry, request.input) } as const;
  }
}
export type ReportResult = ReturnType<typeof runReport>;
