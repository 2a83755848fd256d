// `tsx bench/store-backends.ts [--customers 5000]`: the engine's store-agnostic parts
// (testing/store-engine.ts) on SQLite and on PostgreSQL, through the benchmark journey (enrol →
// welcome → tag → 1-day wait → branch → coupon → wait for an order: 30% order, in batches of 1,000
// events, the rest time out after 7 days). Prints steps/s and rows written per step.
// PostgreSQL: a scratch database on the server the tests use (postgres-server.ts), dropped after.
import { parseArgs } from 'node:util';
import { createNodeRegistry } from '@siyu/shared';
import { samplePackage } from '@siyu/shared/testing';
import { migratePostgres } from '../src/db/migrate-postgres.ts';
import { createScratchDatabase } from '../src/db/postgres-scratch.ts';
import { findPostgresServer } from '../src/db/postgres-server.ts';
import { ManualClock } from '../src/engine/api.ts';
import type { EngineStore } from '../src/engine/store/port.ts';
import type { PostgresEngineStore } from '../src/engine/store/postgres/postgres-store.ts';
import { benchmarkJourney } from '../testing/fixtures.ts';
import { type Backend, postgresBackend, sqliteBackend } from '../testing/store-backends.ts';
import { recordingExecutors, storeEngine } from '../testing/store-engine.ts';

const DAY = 86_400_000;
const { values } = parseArgs({ options: { customers: { type: 'string', default: '5000' } } });
const customers = Number(values.customers);
const registry = createNodeRegistry([samplePackage]);

/** Rows the store wrote: PostgreSQL counts what it sent; SQLite's connection counts its changes. */
async function rowsWritten(name: string, backend: Backend, store: EngineStore): Promise<number> {
  if (name === 'postgres') return (store as PostgresEngineStore).rowsWritten;
  return Number((await backend.rows('SELECT total_changes() AS n'))[0]?.n);
}

async function run(name: string, backend: Backend): Promise<void> {
  const store = backend.store();
  const clock = new ManualClock();
  const engine = storeEngine(store, registry, recordingExecutors([]), clock);
  await backend.publish('bench', benchmarkJourney());
  const ids: string[] = [];
  for (let i = 0; i < customers; i += 1000)
    ids.push(...(await backend.customers('c', i, Math.min(customers, i + 1000))));
  const rows0 = await rowsWritten(name, backend, store);
  const t0 = performance.now();
  for (let i = 0; i < ids.length; i += 1000) {
    await engine.enrollMany('bench', ids.slice(i, i + 1000));
    await engine.drain();
  }
  clock.advance(DAY);
  await engine.drain();
  const buyers = ids.slice(0, Math.floor(ids.length * 0.3));
  for (let i = 0; i < buyers.length; i += 1000) {
    const orders = buyers
      .slice(i, i + 1000)
      .map((id) => ({ id: `o-${id}`, type: 'order.placed', customerId: id, occurredAt: new Date(clock.now()) }));
    await engine.ingestMany(orders);
    await engine.drain();
  }
  clock.advance(7 * DAY);
  await engine.drain();
  const seconds = (performance.now() - t0) / 1000;
  const rows = (await rowsWritten(name, backend, store)) - rows0;
  const trips = name === 'postgres' ? `, ${(store as PostgresEngineStore).roundTrips} round trips` : '';
  const stepsPerSecond = Math.round(engine.steps / seconds);
  process.stdout.write(
    `${name.padEnd(9)} ${engine.steps} steps in ${seconds.toFixed(2)} s: ${stepsPerSecond} steps/s, ${(rows / engine.steps).toFixed(2)} rows written per step${trips}\n`,
  );
}

const sqlite = await sqliteBackend();
try {
  await run('sqlite', sqlite);
} finally {
  await sqlite.close();
}
const server = await findPostgresServer();
const database = await createScratchDatabase(server.url, 'bench_store');
try {
  await migratePostgres(database.url);
  const postgres = await postgresBackend(database.url);
  try {
    await run('postgres', postgres);
  } finally {
    await postgres.close();
  }
} finally {
  await database.drop();
  await server.stop();
}
