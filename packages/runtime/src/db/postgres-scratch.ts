// Throwaway databases on a PostgreSQL server: one per test file, one per drift check. Each gets a
// random name, so parallel test files and helpers on the same server never meet.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Scratch databases are named `siyu_scratch_<label>_<random>`: easy to find and drop by hand. */
export const SCRATCH_PREFIX = 'siyu_scratch_';

export interface ScratchDatabase {
  name: string;
  /** The server URL with this database in its path. */
  url: string;
  /** Drops the database, ending any connection still open on it. */
  drop(): Promise<void>;
}

/** `serverUrl` with its database part replaced by `database`. */
export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

async function onServer<T>(serverUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a database on the server `serverUrl` points at (needs CREATEDB): empty, or a copy of the
 * database `options.template` (nobody may be connected to it while it is copied).
 */
export async function createScratchDatabase(
  serverUrl: string,
  label = 'test',
  options: { template?: string } = {},
): Promise<ScratchDatabase> {
  const safeLabel = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 30);
  const name = `${SCRATCH_PREFIX}${safeLabel}_${randomBytes(5).toString('hex')}`;
  await onServer(serverUrl, async (client) => {
    try {
      // By default from template0: CREATE DATABASE fails while anyone is connected to its template,
      // and template1 is the one tools connect to; nobody can connect to template0.
      const template = client.escapeIdentifier(options.template ?? 'template0');
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)} TEMPLATE ${template} ENCODING 'UTF8'`);
    } catch (error) {
      throw new Error(`cannot create a scratch database on ${new URL(serverUrl).host}: ${(error as Error).message}`);
    }
  });
  return {
    name,
    url: withDatabase(serverUrl, name),
    drop: () =>
      onServer(serverUrl, async (client) => {
        // FORCE (PostgreSQL 13+): a pool a failed test left open must not keep the database alive.
        await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
      }),
  };
}
