// `pnpm bench --queue-compare`: our claim queries against two well-kept PostgreSQL job queues
// (graphile-worker, pg-boss) on the same server, the same number of due jobs, the same batch sizes,
// 1 and N consumers. The issue asked to choose by measuring; docs/capacity.md records the choice.
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { createScratchDatabase } from '../../src/db/postgres-scratch.ts';
import { findPostgresServer } from '../../src/db/postgres-server.ts';
import { migratedTemplate } from '../../src/db/postgres-template.ts';
import { type PostgresCost, type PostgresMeter, startPostgresMeter } from '../pg-workers/postgres-meter.ts';
import { graphileWorker } from './graphile.ts';
import { figuresOf, type QueueContender, type QueueRunFigures } from './measure.ts';
import { ourEffects, ourTimers } from './ours.ts';
import { pgBoss } from './pg-boss.ts';

export interface QueueCompareOptions {
  jobs: number;
  /** Consumer counts to run, e.g. [1, 2]. */
  consumers: number[];
  batchSizes: number[];
  serverUrl?: string;
  log?: (line: string) => void;
  contenders?: QueueContender[];
  /** Rounds: every configuration runs once per round, in the same order (default 1). */
  repeats?: number;
  /** What each run cost PostgreSQL (rows, commits, WAL, CPU per job); default true. */
  measurePostgres?: boolean;
}

/** A run's figures with what it cost PostgreSQL, per job (pg-workers/postgres-meter.ts). */
export interface QueueRunWithCost extends QueueRunFigures {
  postgres?: {
    rowsWrittenPerJob: number;
    commitsPerJob: number;
    walBytesPerJob: number;
    walSource: PostgresCost['walSource'];
    cpuMsPerJob: number | null;
    deadlocks: number;
  };
}

/** One configuration over the rounds: the median of each figure. */
export interface QueueSummary {
  queue: string;
  how: string;
  batchSize: number;
  consumers: number;
  rounds: number;
  jobsPerSec: number;
  /** Lowest and highest jobs/s of the rounds (the machine's noise). */
  jobsPerSecRange: [number, number];
  claimP50Ms: number;
  claimP99Ms: number;
  rowsWrittenPerJob: number | null;
  walBytesPerJob: number | null;
  commitsPerJob: number | null;
  cpuMsPerJob: number | null;
}

export interface QueueCompareSection {
  recordedAt: string;
  jobs: number;
  repeats: number;
  /** Per configuration, medians over the rounds: what the docs quote. */
  summary: QueueSummary[];
  runs: QueueRunWithCost[];
  versions: Record<string, string>;
  machine: { cpus: number; loadAverage: { start: number[]; end: number[] } };
  server: { version: string };
}

export const CONTENDERS: QueueContender[] = [ourTimers, ourEffects, graphileWorker, pgBoss];

const perJob = (value: number, jobs: number, digits = 2) => Math.round((value / jobs) * 10 ** digits) / 10 ** digits;

function costPerJob(cost: PostgresCost, jobs: number): NonNullable<QueueRunWithCost['postgres']> {
  const rows = cost.rows.inserted + cost.rows.updated + cost.rows.deleted;
  return {
    rowsWrittenPerJob: perJob(rows, jobs),
    commitsPerJob: perJob(cost.commits, jobs, 4),
    walBytesPerJob: Math.round(cost.walBytes / jobs),
    walSource: cost.walSource,
    cpuMsPerJob: cost.backendCpuSeconds === null ? null : perJob(cost.backendCpuSeconds * 1000, jobs, 3),
    deadlocks: cost.deadlocks,
  };
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const medianOrNull = (values: ReadonlyArray<number | null | undefined>) => {
  const known = values.filter((v): v is number => typeof v === 'number');
  return known.length ? Math.round(median(known) * 1000) / 1000 : null;
};

export function summarize(runs: readonly QueueRunWithCost[]): QueueSummary[] {
  const groups = new Map<string, QueueRunWithCost[]>();
  for (const run of runs) {
    const key = `${run.batchSize}\u0000${run.consumers}\u0000${run.queue}`;
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as QueueRunWithCost;
    const rates = group.map((r) => r.jobsPerSec);
    return {
      queue: first.queue,
      how: first.how,
      batchSize: first.batchSize,
      consumers: first.consumers,
      rounds: group.length,
      jobsPerSec: Math.round(median(rates)),
      jobsPerSecRange: [Math.min(...rates), Math.max(...rates)],
      claimP50Ms: Math.round(median(group.map((r) => r.claimP50Ms)) * 100) / 100,
      claimP99Ms: Math.round(median(group.map((r) => r.claimP99Ms)) * 100) / 100,
      rowsWrittenPerJob: medianOrNull(group.map((r) => r.postgres?.rowsWrittenPerJob)),
      walBytesPerJob: medianOrNull(group.map((r) => r.postgres?.walBytesPerJob)),
      commitsPerJob: medianOrNull(group.map((r) => r.postgres?.commitsPerJob)),
      cpuMsPerJob: medianOrNull(group.map((r) => r.postgres?.cpuMsPerJob)),
    };
  });
}

const load = () => loadavg().map((l) => Math.round(l * 10) / 10);

async function packageVersion(name: string): Promise<string> {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const { readFileSync } = await import('node:fs');
  const { dirname, join } = await import('node:path');
  // The packages' `exports` hide package.json; find it from the entry point.
  let dir = dirname(require.resolve(name));
  for (let i = 0; i < 4; i++) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version: string;
      };
      if (manifest.name === name) return manifest.version;
    } catch {}
    dir = dirname(dir);
  }
  return 'unknown';
}

/**
 * Every contender × batch size × consumer count on one scratch database (each queue keeps to its
 * own schema; ours is the engine's, migrated), one run after another, each after a fresh seed.
 */
export async function runQueueCompare(options: QueueCompareOptions): Promise<QueueCompareSection> {
  const log = options.log ?? (() => {});
  const contenders = options.contenders ?? CONTENDERS;
  const loadStart = load();
  const serverUrl = options.serverUrl ?? (await findPostgresServer()).url;
  // A copy of the server's migrated template: the engine's tables without running every migration.
  const database = await createScratchDatabase(serverUrl, 'bench_queues', {
    template: await migratedTemplate(serverUrl),
  });
  try {
    // For the WAL of this database alone; without it the meter falls back to the server-wide figure.
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    await admin.query('CREATE EXTENSION IF NOT EXISTS pg_walinspect').catch(() => {});
    await admin.end();
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const version =
      (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? '';
    await client.end();
    const runs: QueueRunWithCost[] = [];
    const measure = options.measurePostgres !== false;
    const repeats = options.repeats ?? 1;
    for (let round = 1; round <= repeats; round++) {
      for (const batchSize of options.batchSizes) {
        for (const consumers of options.consumers) {
          for (const contender of contenders) {
            const run = { jobs: options.jobs, consumers, batchSize };
            let meter: PostgresMeter | undefined;
            const attempt = () =>
              contender.run(database.url, run, async () => {
                if (measure)
                  meter = await startPostgresMeter(database.url, serverUrl, database.name, { keepWal: true });
              });
            // On a shared server another session may end our connections (57P01): run it again, once.
            const result = await attempt().catch((error: { code?: string }) => {
              if (error?.code !== '57P01') throw error;
              log(`${contender.name}: a connection was ended from outside; running again`);
              return attempt();
            });
            const figures: QueueRunWithCost = figuresOf(contender, run, result);
            const cost = meter ? await meter.finish().catch(() => undefined) : undefined;
            if (cost) figures.postgres = costPerJob(cost, run.jobs);
            log(
              `${contender.name.padEnd(16)} batch ${String(batchSize).padStart(4)} ×${consumers}: ${figures.jobsPerSec} jobs/s, claim p50 ${figures.claimP50Ms} ms p99 ${figures.claimP99Ms} ms${
                figures.postgres
                  ? `; per job ${figures.postgres.rowsWrittenPerJob} rows, ${figures.postgres.walBytesPerJob} B WAL`
                  : ''
              }`,
            );
            runs.push(figures);
          }
        }
      }
    }
    return {
      recordedAt: new Date().toISOString(),
      jobs: options.jobs,
      repeats,
      summary: summarize(runs),
      runs,
      versions: {
        'graphile-worker': await packageVersion('graphile-worker'),
        'pg-boss': await packageVersion('pg-boss'),
        node: process.version,
      },
      machine: { cpus: cpus().length, loadAverage: { start: loadStart, end: load() } },
      server: { version },
    };
  } finally {
    await database.drop();
  }
}
