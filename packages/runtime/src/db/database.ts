import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import BetterSqlite3 from 'better-sqlite3';
import { PrismaClient } from '../generated/prisma/client.ts';
import type { Logger } from '../logger.ts';
import { runDataSteps } from './data-steps.ts';
import { applyMigrations } from './migrate.ts';
import { migrationsUpToDate } from './migrations.ts';
import type { SqlClient } from './sql-client.ts';
import { sqliteSqlClient } from './sqlite-sql.ts';
import { gatedPrismaAdapter, SqliteWriteGate } from './sqlite-write-gate.ts';

/** Start-up failed because of the database file itself; the message says what to do. */
export class DatabaseStartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseStartupError';
  }
}

export interface Database {
  readonly dialect: 'sqlite';
  /** Absolute path of the SQLite file. */
  path: string;
  /** Raw connection for the engine's batched hot path (prepared statements, one transaction per batch). */
  sqlite: BetterSqlite3.Database;
  /** Portable raw SQL (reports, routers, node services): the same statements run on PostgreSQL. */
  sql: SqlClient;
  /** Typed client for everything else (API, reports, CLI). */
  prisma: PrismaClient;
  close(): Promise<void>;
  /**
   * Runs `hook` before the connections close: whoever started work on this file in the
   * background (the engine's checkpoint thread) stops it first.
   */
  onClose(hook: () => Promise<void> | void): void;
}

function checkWritable(path: string): void {
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new DatabaseStartupError(`cannot create the database folder ${dir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const target = existsSync(path) ? path : dir;
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new DatabaseStartupError(`database path ${path} is a folder; point DATABASE_PATH at a file`);
  }
  try {
    accessSync(target, constants.R_OK | constants.W_OK);
  } catch (error) {
    throw new DatabaseStartupError(
      `database ${path} is not writable (${(error as NodeJS.ErrnoException).code}); fix its permissions or set DATABASE_PATH to a writable file`,
      { cause: error },
    );
  }
}

function openRaw(path: string): BetterSqlite3.Database {
  let sqlite: BetterSqlite3.Database | undefined;
  try {
    sqlite = new BetterSqlite3(path);
    // Reading the schema fails at once on a file that is not a SQLite database.
    sqlite.prepare('SELECT count(*) FROM sqlite_master').get();
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    return sqlite;
  } catch (error) {
    sqlite?.close();
    const detail = (error as Error).message;
    const hint = /not a database|malformed|corrupt/i.test(detail)
      ? 'the file is not a valid SQLite database (corrupt or another kind of file); restore it from a backup or point DATABASE_PATH at a new file'
      : 'check the path and its permissions';
    throw new DatabaseStartupError(`cannot open database ${path}: ${detail}; ${hint}`, { cause: error });
  }
}

/**
 * Opens (creating if needed) the SQLite database, checks it is usable, applies pending migrations,
 * and returns both the raw connection and the Prisma client. Fails with DatabaseStartupError and
 * a clear message on a corrupt or unwritable path, before anything is written.
 */
export async function openDatabase(
  pathInput: string,
  options: { logger?: Logger; now?: () => number } = {},
): Promise<Database> {
  const path = resolve(pathInput);
  checkWritable(path);
  // Check the file, then close it again: the schema engine takes an exclusive lock, which an open
  // WAL connection would block (after a crash the WAL is not empty and start-up timed out).
  const check = openRaw(path);
  let upToDate: boolean;
  try {
    upToDate = migrationsUpToDate(check);
  } finally {
    check.close();
  }
  const url = `file:${path}`;
  try {
    // Nothing to apply (every start but the first after an upgrade): no schema engine, ~0.3–1 s less
    // before the port opens, and a CLI command works beside a running server.
    if (!upToDate) await applyMigrations(url);
  } catch (error) {
    throw new DatabaseStartupError(`database ${path}: ${(error as Error).message}`, { cause: error });
  }
  const sqlite = openRaw(path);
  try {
    runDataSteps(sqlite, { now: (options.now ?? Date.now)(), logger: options.logger });
  } catch (error) {
    sqlite.close();
    // Rolled back: the step runs again at the next start, once the cause is fixed.
    throw new DatabaseStartupError(`database ${path}: data step failed: ${(error as Error).message}`, { cause: error });
  }
  const gate = new SqliteWriteGate();
  const prisma = new PrismaClient({
    adapter: gatedPrismaAdapter(new PrismaBetterSqlite3({ url, timeout: 5000 }), gate),
  });
  const closeHooks: Array<() => Promise<void> | void> = [];
  return {
    dialect: 'sqlite',
    path,
    sqlite,
    sql: sqliteSqlClient(sqlite, gate),
    prisma,
    async close() {
      for (const hook of closeHooks.splice(0)) await hook();
      await prisma.$disconnect();
      sqlite.close();
    },
    onClose(hook) {
      closeHooks.push(hook);
    },
  };
}
