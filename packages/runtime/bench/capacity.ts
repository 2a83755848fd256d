// The capacity model of docs/capacity.md, computed from the `postgres` section of bench/results.json
// (pnpm bench --backend postgres), so the doc's figures refresh with the measurements:
//   pnpm --filter @siyu/runtime exec tsx bench/capacity.ts [--results ../../bench/results.json]
//        [--customers 10000000] [--runs-per-month 10] [--events-per-day 1] [--peak 5] [--headroom 2]
// Prints a markdown table: each quantity, how it is derived (results fields, assumptions), its value.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { PostgresSection } from './pg-workers/section.ts';

export interface Assumptions {
  customers: number;
  journeys: number;
  /** Journey runs a customer enters per month, all journeys together. */
  runsPerCustomerPerMonth: number;
  /** Events (orders, scans, profile updates) per customer per day, stored whether or not a run waits. */
  eventsPerCustomerPerDay: number;
  /** Peak hour's rate ÷ the day's average rate. */
  peakFactor: number;
  /** Capacity ÷ peak load: 2 runs the workers at half their measured rate. */
  headroom: number;
  /** Connections a process's pool may open (pg.Pool's default is 10). */
  poolPerProcess: number;
  webProcesses: number;
}

export const DEFAULT_ASSUMPTIONS: Assumptions = {
  customers: 10_000_000,
  journeys: 100,
  runsPerCustomerPerMonth: 10,
  eventsPerCustomerPerDay: 1,
  peakFactor: 5,
  headroom: 2,
  poolPerProcess: 10,
  webProcesses: 2,
};

export interface Line {
  quantity: string;
  derivation: string;
  value: number;
  unit: string;
}

const DAY_S = 86_400;

/** The model's lines, in the order the doc reads them. */
export function capacityModel(s: PostgresSection, a: Assumptions = DEFAULT_ASSUMPTIONS): Line[] {
  const pg1 = s.postgres1;
  const pgN = s.postgresN;
  const cost = pgN.postgres;
  if (!cost || !pg1.postgres) throw new Error('results: the postgres section has no PostgreSQL figures');
  const written = cost.rows.inserted + cost.rows.updated + cost.rows.deleted;
  const event = cost.rows.byTable.Event ?? { inserted: 0, updated: 0, deleted: 0, hotUpdated: 0 };
  const stepLog = cost.rows.byTable.StepLog?.inserted ?? 0;

  const stepsPerRun = pgN.totalSteps / s.customers;
  const rowsPerEvent = (event.inserted + event.updated + event.deleted) / s.buyers;
  const walPerRow = cost.walBytes / written;
  const runsPerDay = (a.customers * a.runsPerCustomerPerMonth) / 30;
  const stepsPerDay = runsPerDay * stepsPerRun;
  const eventsPerDay = a.customers * a.eventsPerCustomerPerDay;
  const peakSteps = (stepsPerDay / DAY_S) * a.peakFactor;
  const peakEvents = (eventsPerDay / DAY_S) * a.peakFactor;
  const rowsPerDay = stepsPerDay * cost.rowsWrittenPerStep + eventsPerDay * rowsPerEvent;
  const peakRows = peakSteps * cost.rowsWrittenPerStep + peakEvents * rowsPerEvent;
  // One worker's measured rate times N times the measured efficiency at N (assumed to hold beyond N).
  const perWorker = pg1.stepsPerSec * Math.min(1, s.scaling.efficiency);
  const workers = Math.max(2, Math.ceil((peakSteps * a.headroom) / perWorker));
  const pgCores = cost.cpuMsPerStep === null ? Number.NaN : (peakRows / cost.rowsWrittenPerStep) * cost.cpuMsPerStep;

  return [
    { quantity: 'steps per journey run', derivation: 'postgresN.totalSteps ÷ customers', value: stepsPerRun, unit: '' },
    {
      quantity: 'journey runs per day',
      derivation: `${a.customers.toLocaleString('en-US')} customers × ${a.runsPerCustomerPerMonth} runs/month ÷ 30`,
      value: runsPerDay,
      unit: '/day',
    },
    { quantity: 'steps per day', derivation: 'runs/day × steps per run', value: stepsPerDay, unit: '/day' },
    {
      quantity: 'events per day',
      derivation: `${a.customers.toLocaleString('en-US')} × ${a.eventsPerCustomerPerDay} events/customer/day`,
      value: eventsPerDay,
      unit: '/day',
    },
    {
      quantity: 'steps/s at peak',
      derivation: `steps/day ÷ 86,400 × peak factor ${a.peakFactor}`,
      value: peakSteps,
      unit: '/s',
    },
    { quantity: 'events/s at peak', derivation: 'events/day ÷ 86,400 × peak factor', value: peakEvents, unit: '/s' },
    {
      quantity: 'rows written per step',
      derivation: 'postgresN.postgres.rowsWrittenPerStep (pg_stat_user_tables)',
      value: cost.rowsWrittenPerStep,
      unit: '',
    },
    {
      quantity: 'step-log rows per step',
      derivation: 'postgresN.postgres.rows.byTable.StepLog.inserted ÷ postgresN.totalSteps',
      value: stepLog / pgN.totalSteps,
      unit: '',
    },
    {
      quantity: 'rows written per event',
      derivation: 'postgresN.postgres.rows.byTable.Event (ins + upd + del) ÷ buyers',
      value: rowsPerEvent,
      unit: '',
    },
    {
      quantity: 'rows written/s at peak',
      derivation: 'peak steps/s × rows/step + peak events/s × rows/event',
      value: peakRows,
      unit: '/s',
    },
    {
      quantity: 'WAL bytes per written row',
      derivation: `postgresN.postgres.walBytes ÷ rows written (${cost.walSource})`,
      value: walPerRow,
      unit: 'B',
    },
    {
      quantity: 'WAL at peak',
      derivation: 'rows/s at peak × WAL per row',
      value: (peakRows * walPerRow) / 2 ** 20,
      unit: 'MiB/s',
    },
    {
      quantity: 'WAL per day',
      derivation: 'rows/day × WAL per row',
      value: (rowsPerDay * walPerRow) / 2 ** 30,
      unit: 'GiB/day',
    },
    {
      quantity: 'step-log rows per day',
      derivation: 'steps/day × step-log rows per step',
      value: (stepsPerDay * stepLog) / pgN.totalSteps,
      unit: '/day',
    },
    {
      quantity: 'commits/s at peak (engine batches)',
      derivation: 'peak steps/s × postgresN.postgres.commitsPerStep',
      value: peakSteps * cost.commitsPerStep,
      unit: '/s',
    },
    {
      quantity: 'PostgreSQL CPU at peak',
      derivation: 'peak steps/s (incl. event rows as steps) × postgresN.postgres.cpuMsPerStep ÷ 1000',
      value: pgCores / 1000,
      unit: 'cores',
    },
    {
      quantity: 'one worker, steps/s',
      derivation: 'postgres1.stepsPerSec × min(1, scaling.efficiency)',
      value: perWorker,
      unit: '/s',
    },
    {
      quantity: 'worker processes (by measured rate)',
      derivation: `max(2, ⌈peak steps/s × headroom ${a.headroom} ÷ one worker's steps/s⌉)`,
      value: workers,
      unit: '',
    },
    {
      // A worker is one thread: a process busy a full core is one process. Unlike the rate, CPU time
      // per step hardly changes when the machine is shared, so this line holds on a noisy run too.
      quantity: 'worker processes (by CPU per step)',
      derivation: `max(2, ⌈peak steps/s × headroom × postgresN.workerCpuMsPerStep ÷ 1000⌉)`,
      value: Math.max(2, Math.ceil((peakSteps * a.headroom * pgN.workerCpuMsPerStep) / 1000)),
      unit: '',
    },
    {
      quantity: 'worker CPU at peak',
      derivation: 'peak steps/s × postgresN.workerCpuMsPerStep ÷ 1000',
      value: (peakSteps * pgN.workerCpuMsPerStep) / 1000,
      unit: 'cores',
    },
    {
      quantity: 'connections (pool limits)',
      derivation: `(workers + ${a.webProcesses} web) × pool ${a.poolPerProcess}`,
      value: (workers + a.webProcesses) * a.poolPerProcess,
      unit: '',
    },
    {
      quantity: 'connections busy at once (measured)',
      derivation: 'workers × postgresN.postgres.peakConnections ÷ N',
      value: workers * (cost.peakConnections / s.workers),
      unit: '',
    },
  ];
}

/** The lines as the markdown table docs/capacity.md carries. */
export function markdownTable(lines: readonly Line[]): string {
  const fmt = (n: number) =>
    Number.isNaN(n)
      ? 'n/a'
      : n >= 100 || Number.isInteger(n)
        ? Math.round(n).toLocaleString('en-US')
        : n >= 10
          ? n.toFixed(1)
          : n.toPrecision(3).replace(/\.?0+$/, '');
  return [
    '| quantity | derived from | value |',
    '| --- | --- | --- |',
    ...lines.map((l) => `| ${l.quantity} | ${l.derivation} | ${fmt(l.value)}${l.unit ? ` ${l.unit}` : ''} |`),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      results: { type: 'string', default: new URL('../../../bench/results.json', import.meta.url).pathname },
      customers: { type: 'string' },
      'runs-per-month': { type: 'string' },
      'events-per-day': { type: 'string' },
      peak: { type: 'string' },
      headroom: { type: 'string' },
    },
  });
  const section = (JSON.parse(readFileSync(values.results as string, 'utf8')) as { postgres?: PostgresSection })
    .postgres;
  if (!section) throw new Error(`${values.results}: no postgres section; run pnpm bench --backend postgres first`);
  const num = (v: string | undefined, fallback: number) => (v === undefined ? fallback : Number(v));
  const d = DEFAULT_ASSUMPTIONS;
  const assumptions: Assumptions = {
    ...d,
    customers: num(values.customers, d.customers),
    runsPerCustomerPerMonth: num(values['runs-per-month'], d.runsPerCustomerPerMonth),
    eventsPerCustomerPerDay: num(values['events-per-day'], d.eventsPerCustomerPerDay),
    peakFactor: num(values.peak, d.peakFactor),
    headroom: num(values.headroom, d.headroom),
  };
  process.stdout.write(
    `measured ${section.at} on ${section.machine} (load ${section.loadAverage.start.join(' ')}), ${section.customers} customers\n\n`,
  );
  process.stdout.write(`${markdownTable(capacityModel(section, assumptions))}\n`);
}
