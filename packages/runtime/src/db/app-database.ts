import type { Database } from './database.ts';
import type { PostgresDatabase } from './postgres-database.ts';

/**
 * Either database the product runs on: SQLite (`DATABASE_PATH`, the embedded default) or
 * PostgreSQL (`DATABASE_URL`, scale-out). Code that needs only `sql`, `prisma` and `dialect` takes
 * this; code tied to one (the SQLite file's backup, the engine's store) narrows on `dialect`.
 */
export type AppDatabase = Database | PostgresDatabase;
