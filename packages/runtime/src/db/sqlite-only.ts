import type { AppDatabase } from './app-database.ts';
import type { Database } from './database.ts';

/** A part that still reads SQLite's connection directly was asked to run on PostgreSQL. */
export class SqliteOnlyError extends Error {
  constructor(what: string) {
    super(
      `${what} 暂只支持 SQLite / ${what} runs on SQLite only so far (its raw SQL is not yet ported to PostgreSQL); use DATABASE_PATH`,
    );
    this.name = 'SqliteOnlyError';
  }
}

/**
 * `db` as the SQLite database, for callers whose parts are not ported to the SQL port yet (reports,
 * node services, the engine's event writer): they fail on PostgreSQL with a message naming what,
 * when they are used, not at start-up. Each use goes once its part runs on the port.
 */
export function sqliteDatabaseOf(db: AppDatabase, what: string): Database {
  if (db.dialect === 'sqlite') return db;
  throw new SqliteOnlyError(what);
}
