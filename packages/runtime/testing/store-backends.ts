// The two storage backends as the store tests use them: a fresh SQLite file, or the test file's
// PostgreSQL database emptied before each test. Queries use quoted identifiers, read by both.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JourneyGraphInput } from '@siyu/shared';
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import { openDatabase } from '../src/db/database.ts';
import type { EngineStore } from '../src/engine/store/port.ts';
import { createPostgresStore, type PostgresStoreOptions } from '../src/engine/store/postgres/postgres-store.ts';
import { tuneEngineConnection } from '../src/engine/store/sqlite/connection-tuning.ts';
import { createSqliteStore } from '../src/engine/store/sqlite/sqlite-store.ts';
import { createLogger } from '../src/logger.ts';
import { addCustomers, publishJourney } from './fixtures.ts';
import { addCustomersPg, postgresPool, publishJourneyPg } from './postgres-fixtures.ts';

export interface Backend {
  /** A store on its own connection (PostgreSQL: its own pool, as a worker process has). */
  store(options?: PostgresStoreOptions): EngineStore;
  publish(journeyId: string, graph: JourneyGraphInput, version?: number): Promise<void>;
  customers(prefix: string, from: number, to: number): Promise<string[]>;
  rows(sql: string, ...params: unknown[]): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

/** The engine's store on an SQLite connection, tuned as the engine tunes its own (checkpoints inside commits). */
export function sqliteEngineStore(sqlite: BetterSqlite3.Database): EngineStore {
  tuneEngineConnection(sqlite, { backgroundCheckpoint: false }, createLogger('silent'));
  return createSqliteStore(sqlite);
}

export async function sqliteBackend(): Promise<Backend> {
  const dir = mkdtempSync(join(tmpdir(), 'siyu-store-'));
  const db = await openDatabase(join(dir, 'test.db'));
  return {
    store: () => sqliteEngineStore(db.sqlite),
    publish: async (journeyId, graph, version) => {
      publishJourney(db.sqlite, journeyId, graph, version);
    },
    customers: async (prefix, from, to) => addCustomers(db.sqlite, prefix, from, to),
    rows: async (sql, ...params) => db.sqlite.prepare(sql).all(...params) as Array<Record<string, unknown>>,
    async close() {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const TABLES = [
  'StepLog',
  'Timer',
  'OutboxEffect',
  'Instance',
  'Event',
  'Order',
  'CustomerMerge',
  'CustomerIdentity',
  'CustomerTag',
  'Customer',
  'Message',
];

export async function postgresBackend(url: string): Promise<Backend> {
  const pools: pg.Pool[] = [];
  const pool = () => {
    const p = postgresPool(url);
    pools.push(p);
    return p;
  };
  const admin = pool();
  await admin.query(`TRUNCATE ${TABLES.map((t) => `"${t}"`).join(', ')}, "JourneyVersion", "Journey" CASCADE`);
  return {
    store: (options) => createPostgresStore(pool(), options),
    publish: async (journeyId, graph, version) => {
      await publishJourneyPg(admin, journeyId, graph, version);
    },
    customers: (prefix, from, to) => addCustomersPg(admin, prefix, from, to),
    rows: async (sql, ...params) => {
      // The SQLite form `?` becomes $1, $2, … here.
      let n = 0;
      return (
        await admin.query(
          sql.replace(/\?/g, () => `$${++n}`),
          params,
        )
      ).rows;
    },
    async close() {
      for (const p of pools.splice(0)) await p.end();
    },
  };
}
