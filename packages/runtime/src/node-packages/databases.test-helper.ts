// The node services' tests on both databases: `describe.each(bothDatabases(...))` runs a suite on
// a scratch SQLite file and on a PostgreSQL database made for the test file (emptied after each
// test), each opened as the runtime opens it. Rows are seeded through the SQL port, so one seed
// serves both.
import type { AppDatabase } from '../db/app-database.ts';
import { emptyPostgres } from '../db/both-backends.test-helper.ts';
import { isoDate } from '../db/iso-date.ts';
import { openPostgresDatabase } from '../db/postgres-database.ts';
import { postgresDatabaseForFile } from '../db/postgres-for-tests.test-helper.ts';
import { cleanupAfterEach, scratchDatabase } from '../db/scratch-database.test-helper.ts';

export type OpenDatabase = () => Promise<AppDatabase>;

/**
 * `[['SQLite', open], ['PostgreSQL', open]]` for describe.each, and the cleanups list (run after
 * each test). Call once at the top level of a test file.
 */
export function bothDatabases(label: string): {
  databases: ReadonlyArray<readonly [string, OpenDatabase]>;
  cleanups: Array<() => Promise<void>>;
} {
  const cleanups = cleanupAfterEach();
  const postgresUrl = postgresDatabaseForFile(label.replaceAll('-', '_'));
  const sqlite: OpenDatabase = () => scratchDatabase(label, cleanups);
  const postgres: OpenDatabase = async () => {
    const db = await openPostgresDatabase(postgresUrl(), { poolSize: 4 });
    cleanups.push(async () => {
      await emptyPostgres(db);
      await db.close();
    });
    return db;
  };
  return {
    databases: [
      ['SQLite', sqlite],
      ['PostgreSQL', postgres],
    ],
    cleanups,
  };
}

/** Customers `<prefix><i>` for i in [from, to), each with the phone +86138000000<i>. */
export async function seedCustomers(db: AppDatabase, prefix: string, from: number, to: number): Promise<string[]> {
  const now = isoDate(Date.now());
  const ids: string[] = [];
  for (let i = from; i < to; i++) {
    const id = `${prefix}${i}`;
    await db.sql.run('INSERT INTO Customer (id, attributes, createdAt, updatedAt) VALUES (?, ?, ?, ?)', [
      id,
      '{}',
      now,
      now,
    ]);
    await db.sql.run("INSERT INTO CustomerIdentity (kind, value, customerId, createdAt) VALUES ('phone', ?, ?, ?)", [
      `+86138${String(i).padStart(8, '0')}`,
      id,
      now,
    ]);
    ids.push(id);
  }
  return ids;
}
