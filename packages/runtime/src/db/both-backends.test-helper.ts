// The two databases for tests of code written once through the SQL port: a scratch SQLite file
// per test, and one PostgreSQL database per test file emptied after each test. Use with
// describe.each(bothBackends(…)) so every test runs on both and expects the same results.
import type { AppDatabase } from './app-database.ts';
import { openPostgresDatabase } from './postgres-database.ts';
import { freshPostgresDatabase, postgresDatabaseForFile } from './postgres-for-tests.test-helper.ts';
import { scratchDatabase } from './scratch-database.test-helper.ts';

export type OpenBackend = () => Promise<AppDatabase>;

/**
 * `[name, open]` pairs for SQLite and PostgreSQL. Call at the top level of a test file (it creates
 * the file's PostgreSQL database); `cleanups` from cleanupAfterEach closes and empties them.
 */
export function bothBackends(label: string, cleanups: Array<() => Promise<void>>): Array<[string, OpenBackend]> {
  const postgresUrl = postgresDatabaseForFile(label);
  return [
    ['SQLite', () => scratchDatabase(label, cleanups)],
    [
      'PostgreSQL',
      async () => {
        const db = await openPostgresDatabase(postgresUrl());
        cleanups.push(async () => {
          await emptyPostgres(db);
          await db.close();
        });
        return db;
      },
    ],
  ];
}

/**
 * `[name, open]` pairs for SQLite and PostgreSQL where every test gets databases of its own on both
 * (a PostgreSQL copy of the migrated template): for tests that leave engines, locks or listeners on
 * them, which emptying a shared one would race. `cleanups` from cleanupAfterEach closes and drops them.
 */
export function freshBackends(label: string, cleanups: Array<() => Promise<void>>): Array<[string, OpenBackend]> {
  return [
    ['SQLite', () => scratchDatabase(label, cleanups)],
    [
      'PostgreSQL',
      async () => {
        const database = await freshPostgresDatabase(label, cleanups);
        const db = await openPostgresDatabase(database.url);
        cleanups.push(() => db.close());
        return db;
      },
    ],
  ];
}

/**
 * Every table but the migrations' emptied, ids starting again where a fresh database starts them
 * (each sequence's START: 1, and 100,000,000 for instances, see migration instance_ids_fixed_width).
 */
export async function emptyPostgres(db: Pick<AppDatabase, 'sql'>): Promise<void> {
  const tables = await db.sql.all<{ name: string }>(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT LIKE '\\_prisma%'",
  );
  if (tables.length === 0) return;
  await db.sql.run(`TRUNCATE ${tables.map((t) => `"${t.name}"`).join(', ')} RESTART IDENTITY CASCADE`);
}
