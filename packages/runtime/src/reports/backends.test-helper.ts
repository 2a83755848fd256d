// The two databases a report test runs on, as `describe.each` rows: a migrated SQLite scratch file,
// or the test file's PostgreSQL database emptied before the test. Both give the SQL port the
// reports read through; the same seed (fixture.test-helper.ts) must give the same numbers on both.
import { postgresBackend } from '../../testing/store-backends.ts';
import { emptyPostgres } from '../db/both-backends.test-helper.ts';
import { openPostgresDatabase } from '../db/postgres-database.ts';
import { postgresDatabaseForFile } from '../db/postgres-for-tests.test-helper.ts';
import { cleanupAfterEach, scratchDatabase } from '../db/scratch-database.test-helper.ts';
import type { SqlClient } from '../db/sql-client.ts';
import type { EngineStore } from '../engine/store/port.ts';
import { createSqliteStore } from '../engine/store/sqlite/sqlite-store.ts';

export type OpenReportDatabase = () => Promise<SqlClient>;

/** Call at the top level of a test file: `describe.each(reportDatabases('label'))('… on %s', (_name, open) => …)`. */
export function reportDatabases(label: string): (readonly [string, OpenReportDatabase])[] {
  const cleanups = cleanupAfterEach();
  const postgresUrl = postgresDatabaseForFile(label);
  return [
    ['SQLite', async () => (await scratchDatabase(label, cleanups)).sql],
    [
      'PostgreSQL',
      async () => {
        const db = await openPostgresDatabase(postgresUrl());
        cleanups.push(() => db.close());
        await emptyPostgres(db);
        return db.sql;
      },
    ],
  ];
}

export type OpenEngineReportDatabase = () => Promise<{ sql: SqlClient; store: () => EngineStore }>;

/**
 * As `reportDatabases`, with the engine's store on the same database, for tests whose rows the
 * engine's core writes (testing/store-engine.ts); PostgreSQL's store has its own pool, as a worker's.
 */
export function engineReportDatabases(label: string): (readonly [string, OpenEngineReportDatabase])[] {
  const cleanups = cleanupAfterEach();
  const postgresUrl = postgresDatabaseForFile(label);
  return [
    [
      'SQLite',
      async () => {
        const db = await scratchDatabase(label, cleanups);
        return { sql: db.sql, store: () => createSqliteStore(db.sqlite) };
      },
    ],
    [
      'PostgreSQL',
      async () => {
        const backend = await postgresBackend(postgresUrl());
        cleanups.push(() => backend.close());
        const db = await openPostgresDatabase(postgresUrl());
        cleanups.push(() => db.close());
        await emptyPostgres(db);
        return { sql: db.sql, store: () => backend.store() };
      },
    ],
  ];
}
