// The PostgreSQL section of the bench (`pnpm bench --backend postgres --workers N`): the benchmark
// journey's workload on SQLite (one worker process), then on PostgreSQL with 1 and with N worker
// processes on one database each; per run steps/s, event → effect latency, what PostgreSQL spent
// (CPU, rows, commits, WAL, connections), and the checks that make the figures worth reading.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase } from '../../src/db/database.ts';
import { migratePostgres } from '../../src/db/migrate-postgres.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../src/db/postgres-scratch.ts';
import { findPostgresServer, type PostgresServer } from '../../src/db/postgres-server.ts';
import { RAW_POOL_TYPES } from '../../src/db/postgres-types.ts';
import { addCustomers, benchmarkJourney, publishJourney } from '../../testing/fixtures.ts';
import { addCustomersPg, publishJourneyPg } from '../../testing/postgres-fixtures.ts';
import { percentile } from '../percentile.ts';
import { checkExactlyOnce, checkJourneyEnd, type Query, readEndFacts } from './checks.ts';
import { CPU_SOURCE, type PostgresCost, startPostgresMeter } from './postgres-meter.ts';
import { spawnWorker, type WorkerProcess } from './worker-process.ts';
import { JOURNEY_ID, latencies, runWorkload, type WorkloadPlan } from './workload.ts';

export interface SectionOptions {
  customers: number;
  /** Worker processes of the second PostgreSQL run (the first has one). */
  workers: number;
  /**
   * Orders in the paced stream (default: 15 % of the customers, at most 10,000, as bench/run.ts at
   * its default size; the rest of the 30 % who order come in bulk, so small runs have both).
   */
  latencyEvents?: number;
  /** Events per second of the paced stream (default 2,000, as bench/run.ts). */
  latencyRate?: number;
  log?: (line: string) => void;
  /** The PostgreSQL server to make the scratch databases on (default: findPostgresServer, as the tests). */
  serverUrl?: string;
}

export interface RunFigures {
  backend: 'sqlite' | 'postgres';
  workers: number;
  /** Steps of the measured phases (all but the paced stream) ÷ their wall time. */
  stepsPerSec: number;
  /** Event (scheduled arrival) → its repurchase effect executed, at `latencyEventsPerSec` offered. */
  p50Ms: number;
  p99Ms: number;
  latencySamples: number;
  latencyEventsPerSec: number;
  measuredSteps: number;
  measuredSeconds: number;
  /** All steps of the run, the paced stream's included (the denominator of the per-step figures). */
  totalSteps: number;
  stepsByWorker: number[];
  /** CPU of the worker processes (Node), in ms per step. */
  workerCpuMsPerStep: number;
  /** Rows the store says it wrote, per step (PostgreSQL: rows sent; SQLite: total_changes). */
  storeRowsPerStep: number;
  phases: Array<{ label: string; seconds: number; steps: number; measured: boolean }>;
  /** PostgreSQL's side, counted by the server (postgres-meter.ts). */
  postgres?: PostgresCost & {
    /** (n_tup_ins + n_tup_upd + n_tup_del) ÷ totalSteps. */
    rowsWrittenPerStep: number;
    commitsPerStep: number;
    walBytesPerStep: number;
    cpuMsPerStep: number | null;
  };
  checks: { effectsExecutedOnce: number; customersAtEnd: number };
}

export interface PostgresSection {
  at: string;
  customers: number;
  workers: number;
  buyers: number;
  latencyEvents: number;
  latencyRate: number;
  machine: string;
  loadAverage: { start: number[]; end: number[] };
  server: { version: string; source: string; settings: Record<string, string> };
  cpuSource: string;
  sqlite: RunFigures;
  postgres1: RunFigures;
  postgresN: RunFigures;
  scaling: {
    from: 1;
    to: number;
    /** postgresN.stepsPerSec ÷ postgres1.stepsPerSec. */
    stepsPerSecRatio: number;
    /** stepsPerSecRatio ÷ N (1: linear). */
    efficiency: number;
    /** postgres1.stepsPerSec ÷ sqlite.stepsPerSec. */
    postgres1VsSqlite: number;
  };
  workload: string;
}

const ORDERED_SHARE = 0.3;
const SETTINGS = [
  'synchronous_commit',
  'fsync',
  'full_page_writes',
  'wal_level',
  'shared_buffers',
  'max_connections',
  'autovacuum',
];
const round = (n: number, digits = 2) => Number(n.toFixed(digits));

interface Prepared {
  label: 'sqlite' | 'postgres1' | 'postgresN';
  workers: WorkerProcess[];
  query: Query;
  database?: ScratchDatabase;
  cleanup(): Promise<void>;
}

export async function runPostgresSection(options: SectionOptions): Promise<PostgresSection> {
  const { customers, workers: n } = options;
  if (!Number.isInteger(customers) || customers < 10) throw new Error('--customers must be an integer ≥ 10');
  if (!Number.isInteger(n) || n < 2) throw new Error('--workers must be an integer ≥ 2 (the run compares 1 with N)');
  const log = options.log ?? (() => {});
  const latencyEvents = Math.min(customers, options.latencyEvents ?? Math.min(Math.floor(customers * 0.15), 10_000));
  const latencyRate = options.latencyRate ?? 2000;
  const ids = Array.from({ length: customers }, (_, i) => `c${i}`);
  const buyers = Math.max(latencyEvents, Math.floor(customers * ORDERED_SHARE));
  const plan: WorkloadPlan = { ids, latencyEvents, buyers, rate: latencyRate };
  const loadStart = loadavg().map((l) => round(l, 1));

  const server: PostgresServer = options.serverUrl
    ? { url: options.serverUrl, source: 'environment', stop: async () => {} }
    : await findPostgresServer();
  const prepared: Prepared[] = [];
  try {
    const info = await serverInfo(server.url);
    // PostgreSQL first: its workers start (tsx takes a second or two) while the databases are seeded.
    const postgresRun = async (label: 'postgres1' | 'postgresN', count: number) => {
      const database = await createScratchDatabase(server.url, `bench_${label}`);
      const workers = Array.from({ length: count }, (_, k) => spawnWorker(`w${k + 1}`, 'postgres', database.url));
      // Clients, not pools: a client's end() resolves once the server closed the connection (and
      // its backend reported its row counts), a pool's end() before: DROP … FORCE then hits it.
      // The checks connect after the run: the meter waits for every other backend to leave first.
      const checks = new pg.Client({ connectionString: database.url, types: RAW_POOL_TYPES });
      let connected: Promise<unknown> | undefined;
      const run: Prepared = {
        label,
        workers,
        database,
        query: async (sql) => {
          connected ??= checks.connect();
          await connected;
          return (await checks.query(sql)).rows;
        },
        async cleanup() {
          for (const w of workers) w.kill();
          if (connected) await checks.end();
          await database.drop();
        },
      };
      prepared.push(run);
      await migratePostgres(database.url);
      // For the WAL of this database alone (postgres-meter.ts); without it the meter falls back to
      // the server-wide figure. Installed in the scratch database only: it is dropped after the run.
      await adminQuery(database.url, 'CREATE EXTENSION IF NOT EXISTS pg_walinspect').catch(() => {});
      const setup = new pg.Client({ connectionString: database.url, types: RAW_POOL_TYPES });
      await setup.connect();
      try {
        await publishJourneyPg(setup, JOURNEY_ID, benchmarkJourney());
        for (let i = 0; i < customers; i += 5000) await addCustomersPg(setup, 'c', i, Math.min(customers, i + 5000));
      } finally {
        await setup.end(); // its backend reports its row counts as it exits: before the meter's baseline
      }
    };
    const sqliteRun = async () => {
      const dir = mkdtempSync(join(tmpdir(), 'siyu-bench-pg-'));
      const path = join(dir, 'bench.db');
      const workers: WorkerProcess[] = [];
      let db: Awaited<ReturnType<typeof openDatabase>> | undefined;
      prepared.push({
        label: 'sqlite',
        workers,
        query: async (sql) => db?.sqlite.prepare(sql).all() as Array<Record<string, unknown>>,
        async cleanup() {
          for (const w of workers) w.kill();
          await db?.close();
          rmSync(dir, { recursive: true, force: true });
        },
      });
      db = await openDatabase(path);
      publishJourney(db.sqlite, JOURNEY_ID, benchmarkJourney());
      for (let i = 0; i < customers; i += 1000) addCustomers(db.sqlite, 'c', i, Math.min(customers, i + 1000));
      // Started once the file is migrated and seeded: the worker opens it at start-up.
      workers.push(spawnWorker('w1', 'sqlite', path));
    };
    await Promise.all([postgresRun('postgres1', 1), postgresRun('postgresN', n), sqliteRun()]);
    await Promise.all(prepared.flatMap((p) => p.workers.map((w) => w.ready)));

    const byLabel = (label: Prepared['label']) => prepared.find((p) => p.label === label) as Prepared;
    const figures: Partial<Record<Prepared['label'], RunFigures>> = {};
    for (const label of ['sqlite', 'postgres1', 'postgresN'] as const) {
      const run = byLabel(label);
      log(
        `  ${label}: ${run.workers.length} worker process${run.workers.length > 1 ? 'es' : ''}, ${customers} customers`,
      );
      figures[label] = await measure(run, plan, server.url, log);
    }
    const sqlite = figures.sqlite as RunFigures;
    const postgres1 = figures.postgres1 as RunFigures;
    const postgresN = figures.postgresN as RunFigures;
    const ratio = postgresN.stepsPerSec / postgres1.stepsPerSec;
    const cpu = cpus();
    return {
      at: new Date().toISOString(),
      customers,
      workers: n,
      buyers,
      latencyEvents,
      latencyRate,
      machine: `${cpu[0]?.model ?? 'unknown cpu'} ×${cpu.length}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, ${platform()} ${release()}, Node ${process.version}`,
      loadAverage: { start: loadStart, end: loadavg().map((l) => round(l, 1)) },
      server: { ...info, source: server.source },
      cpuSource:
        postgres1.postgres?.backendCpuSeconds === null ? 'unavailable: the server is not on this machine' : CPU_SOURCE,
      sqlite,
      postgres1,
      postgresN,
      scaling: {
        from: 1,
        to: n,
        stepsPerSecRatio: round(ratio),
        efficiency: round(ratio / n),
        postgres1VsSqlite: round(postgres1.stepsPerSec / sqlite.stepsPerSec),
      },
      workload:
        'bench journey (entry → welcome → tag → wait 1 day → branch → coupon → wait for order 7 days → repurchase tag → thank-you message | exit); enrolments and orders dealt to the workers in shares, every worker drains timers and effects; executors only record the idempotency key (no Message rows)',
    };
  } finally {
    for (const p of prepared) await p.cleanup().catch(() => {});
    await server.stop();
  }
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function serverInfo(url: string): Promise<{ version: string; settings: Record<string, string> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const version = String((await client.query('SHOW server_version')).rows[0]?.server_version);
    const { rows } = await client.query(
      `SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1::text[]) ORDER BY name`,
      [SETTINGS],
    );
    return {
      version,
      settings: Object.fromEntries(rows.map((r) => [r.name, `${r.setting}${r.unit ? ` ${r.unit}` : ''}`])),
    };
  } finally {
    await client.end();
  }
}

async function measure(run: Prepared, plan: WorkloadPlan, serverUrl: string, log: (line: string) => void) {
  const { database, workers } = run;
  // Keeping the run's WAL until it is read costs disk (~4 KB a step): only where it can be scanned.
  const keepWal = plan.ids.length <= 20_000;
  const meter = database ? await startPostgresMeter(database.url, serverUrl, database.name, { keepWal }) : undefined;
  const result = await runWorkload(workers, plan, log);
  await meter?.sample();
  await Promise.all(workers.map((w) => w.close()));
  const cost = await meter?.finish();

  const facts = await readEndFacts(run.query);
  checkJourneyEnd(facts, plan.ids.length, plan.buyers);
  checkExactlyOnce(result.reports, facts.effects.keys());
  const sorted = latencies(result.arrivals, facts.instanceOf, result.reports);
  const steps = result.totalSteps;
  const workerCpuMs = result.reports.reduce((a, r) => a + r.cpuMs, 0);
  const figures: RunFigures = {
    backend: database ? 'postgres' : 'sqlite',
    workers: workers.length,
    stepsPerSec: Math.round(result.stepsPerSec),
    p50Ms: round(percentile(sorted, 0.5)),
    p99Ms: round(percentile(sorted, 0.99)),
    latencySamples: sorted.length,
    latencyEventsPerSec: Math.round(result.achievedEventsPerSec),
    measuredSteps: result.measuredSteps,
    measuredSeconds: round(result.measuredSeconds),
    totalSteps: steps,
    stepsByWorker: result.reports.map((r) => r.steps),
    workerCpuMsPerStep: round(workerCpuMs / steps, 3),
    storeRowsPerStep: round(result.reports.reduce((a, r) => a + r.rowsWritten, 0) / steps),
    phases: result.phases.map((p) => ({ ...p, seconds: round(p.seconds) })),
    checks: { effectsExecutedOnce: facts.effects.size, customersAtEnd: facts.instances },
  };
  if (cost) {
    const written = cost.rows.inserted + cost.rows.updated + cost.rows.deleted;
    figures.postgres = {
      ...cost,
      backendCpuSeconds: cost.backendCpuSeconds === null ? null : round(cost.backendCpuSeconds),
      serverCpuSeconds: cost.serverCpuSeconds === null ? null : round(cost.serverCpuSeconds),
      rowsWrittenPerStep: round(written / steps),
      commitsPerStep: round(cost.commits / steps, 4),
      walBytesPerStep: Math.round(cost.walBytes / steps),
      cpuMsPerStep: cost.backendCpuSeconds === null ? null : round((cost.backendCpuSeconds * 1000) / steps, 3),
    };
  }
  log(
    `    → ${figures.stepsPerSec} steps/s, p99 ${figures.p99Ms} ms; checks passed: ${facts.instances} customers at the end, ${facts.effects.size} effects each executed once`,
  );
  return figures;
}
