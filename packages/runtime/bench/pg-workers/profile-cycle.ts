// Where one ingest-and-drain cycle on PostgreSQL spends its time (docs/capacity.md: the paced
// stream's p50 is the length of this cycle). Usage:
//   pnpm --filter @siyu/runtime exec tsx bench/pg-workers/profile-cycle.ts [--customers 2000] [--cycles 30] [--orders 1]
// Brings `customers` through the benchmark journey to the wait for an order (as the bench's phases
// do), then runs `cycles` cycles of the bench worker's paced stream — ingestMany(orders) then drain()
// — with every statement timed on the pool's connections: per cycle the round trips, the time spent
// waiting on PostgreSQL, and the rest (the worker's own work: planning steps, building statements).
import { parseArgs } from 'node:util';
import { createNodeRegistry } from '@siyu/shared';
import { samplePackage } from '@siyu/shared/testing';
import type pg from 'pg';
import { migratePostgres } from '../../src/db/migrate-postgres.ts';
import { createScratchDatabase } from '../../src/db/postgres-scratch.ts';
import { findPostgresServer } from '../../src/db/postgres-server.ts';
import { ManualClock } from '../../src/engine/api.ts';
import { createPostgresStore } from '../../src/engine/store/postgres/postgres-store.ts';
import { benchmarkJourney } from '../../testing/fixtures.ts';
import { addCustomersPg, postgresPool, publishJourneyPg } from '../../testing/postgres-fixtures.ts';
import { recordingExecutors, storeEngine } from '../../testing/store-engine.ts';

const DAY = 86_400_000;
const JOURNEY = 'bench';

interface Statement {
  label: string;
  ms: number;
}

/** Times every statement sent on the pool's connections into `log` while `log.on`. */
function timeStatements(pool: pg.Pool, log: { on: boolean; statements: Statement[] }): void {
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const first = args[0] as string | { text?: string };
      const text = typeof first === 'string' ? first : (first?.text ?? '');
      const answer = query(...args);
      if (!log.on || !(answer instanceof Promise)) return answer;
      const start = performance.now();
      const label = text.replace(/\s+/g, ' ').trim().slice(0, 72);
      return answer.then((value) => {
        log.statements.push({ label, ms: performance.now() - start });
        return value;
      });
    };
  });
}

const round = (n: number) => Math.round(n * 10) / 10;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function main() {
  const { values } = parseArgs({
    options: {
      customers: { type: 'string', default: '2000' },
      cycles: { type: 'string', default: '30' },
      orders: { type: 'string', default: '1' },
    },
  });
  const customers = Number(values.customers);
  const cycles = Number(values.cycles);
  const ordersPerCycle = Number(values.orders);
  const server = await findPostgresServer();
  const database = await createScratchDatabase(server.url, 'profile_cycle');
  const pool = postgresPool(database.url);
  // Before the pool opens its first connection: every connection it opens is timed.
  const log = { on: false, statements: [] as Statement[] };
  timeStatements(pool, log);
  try {
    await migratePostgres(database.url);
    await publishJourneyPg(pool, JOURNEY, benchmarkJourney());
    const ids: string[] = [];
    for (let i = 0; i < customers; i += 5000)
      ids.push(...(await addCustomersPg(pool, 'c', i, Math.min(customers, i + 5000))));
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 2));
    const calls: string[] = [];
    const engine = storeEngine(
      createPostgresStore(pool, { workerId: 'profile' }),
      createNodeRegistry([samplePackage]),
      recordingExecutors(calls),
      clock,
    );
    for (let i = 0; i < ids.length; i += 1000) {
      await engine.enrollMany(JOURNEY, ids.slice(i, i + 1000));
      await engine.drain();
    }
    clock.advance(DAY + 60_000);
    await engine.drain();

    const rows: Array<{ ingestMs: number; drainMs: number; statements: Statement[] }> = [];
    let next = 0;
    for (let c = 0; c < cycles && next < ids.length; c++) {
      const orders = ids.slice(next, next + ordersPerCycle).map((customerId) => ({
        id: `o-${customerId}`,
        type: 'order.placed',
        customerId,
        occurredAt: new Date(clock.now()),
      }));
      next += ordersPerCycle;
      log.statements = [];
      log.on = true;
      const t0 = performance.now();
      await engine.ingestMany(orders);
      const t1 = performance.now();
      await engine.drain();
      const t2 = performance.now();
      log.on = false;
      rows.push({ ingestMs: t1 - t0, drainMs: t2 - t1, statements: log.statements });
    }
    // The first cycles warm the caches (compiled machine, version graph): leave out the first 3.
    const measured = rows.slice(Math.min(3, rows.length - 1));
    const totals = measured.map((r) => {
      const db = r.statements.reduce((a, s) => a + s.ms, 0);
      return { wall: r.ingestMs + r.drainMs, ingest: r.ingestMs, drain: r.drainMs, db, trips: r.statements.length };
    });
    const byLabel = new Map<string, { count: number; ms: number }>();
    for (const r of measured) {
      for (const s of r.statements) {
        const entry = byLabel.get(s.label) ?? { count: 0, ms: 0 };
        entry.count++;
        entry.ms += s.ms;
        byLabel.set(s.label, entry);
      }
    }
    const out = (line: string) => process.stdout.write(`${line}\n`);
    out(
      `one cycle (${ordersPerCycle} order${ordersPerCycle > 1 ? 's' : ''} → ingest → drain), ${measured.length} cycles, ${customers} customers; medians:`,
    );
    out(
      `  wall ${round(median(totals.map((t) => t.wall)))} ms = ingest ${round(median(totals.map((t) => t.ingest)))} ms + drain ${round(median(totals.map((t) => t.drain)))} ms`,
    );
    out(
      `  round trips ${median(totals.map((t) => t.trips))}, waiting on PostgreSQL ${round(median(totals.map((t) => t.db)))} ms, the rest (Node) ${round(median(totals.map((t) => t.wall - t.db)))} ms`,
    );
    out('  per statement, per cycle (mean):');
    const perCycle = [...byLabel].sort((a, b) => b[1].ms - a[1].ms);
    for (const [label, { count, ms }] of perCycle) {
      out(
        `    ${round(ms / measured.length)
          .toString()
          .padStart(6)} ms  ×${round(count / measured.length)}  ${label}`,
      );
    }
    if (calls.filter((k) => k.includes(':thanks:')).length < next) {
      throw new Error('profile: not every order reached the thank-you message');
    }
  } finally {
    await pool.end();
    await database.drop();
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
