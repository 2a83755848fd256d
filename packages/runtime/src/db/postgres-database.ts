import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { PrismaClient as PostgresPrismaClient } from '../generated/prisma-postgres/client.ts';
import { DatabaseStartupError } from './database.ts';
import { migratePostgres, type PostgresMigrationResult } from './migrate-postgres.ts';
import { redactPassword } from './postgres-server.ts';
import { postgresSqlClient } from './postgres-sql.ts';
import { RAW_POOL_TYPES } from './postgres-types.ts';
import type { SqlClient } from './sql-client.ts';

export { PostgresPrismaClient };

/** The PostgreSQL counterpart of `Database` (database.ts): one pool, shared by raw SQL and Prisma. */
export interface PostgresDatabase {
  readonly dialect: 'postgresql';
  /** The connection URL (log it with redactPassword). */
  url: string;
  /** For the engine's batched statements (one round trip per batch) and LISTEN/NOTIFY clients. */
  pool: pg.Pool;
  /** Portable raw SQL (reports, routers, node services), written once for both databases. */
  sql: SqlClient;
  /**
   * Typed client for everything else, generated from schema.postgres.prisma, on the same pool.
   * Typed as the SQLite client: both are generated from one data model (the schemas differ only in
   * provider and output), so code written against `Database['prisma']` runs on either.
   */
  prisma: PrismaClient;
  /** What start-up's migration did (applied names, time waited for another process). */
  migration: PostgresMigrationResult;
  close(): Promise<void>;
  /** Runs `hook` before the pool closes (a worker stops claiming first). */
  onClose(hook: () => Promise<void> | void): void;
}

export interface OpenPostgresOptions {
  /** Connections in the pool (pg's default is 10). */
  poolSize?: number;
  /** Shown in pg_stat_activity, so an operator tells web and worker connections apart. */
  applicationName?: string;
  /** Called when another process is migrating and this one waits for it. */
  onWaitingForMigration?: () => void;
}

/**
 * Opens the PostgreSQL database at `url` (DATABASE_URL): applies pending migrations under the
 * migration advisory lock (so N processes starting together migrate once), then opens the pool
 * and the Prisma client. Fails with DatabaseStartupError naming the server, never the password.
 */
export async function openPostgresDatabase(url: string, options: OpenPostgresOptions = {}): Promise<PostgresDatabase> {
  const where = redactPassword(url);
  let migration: PostgresMigrationResult;
  try {
    migration = await migratePostgres(url, { onWaiting: options.onWaitingForMigration });
  } catch (error) {
    throw new DatabaseStartupError(`database ${where}: ${(error as Error).message}`, { cause: error });
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize,
    application_name: options.applicationName ?? 'siyu',
    types: RAW_POOL_TYPES,
  });
  // An idle client's error (server restart, network cut) must not crash the process: the pool
  // drops that client and the next query opens a new one.
  pool.on('error', () => {});
  const prisma = new PostgresPrismaClient({ adapter: new PrismaPg(pool) }) as unknown as PrismaClient;
  const closeHooks: Array<() => Promise<void> | void> = [];
  return {
    dialect: 'postgresql',
    url,
    pool,
    sql: postgresSqlClient(pool),
    prisma,
    migration,
    async close() {
      for (const hook of closeHooks.splice(0)) await hook();
      await prisma.$disconnect();
      await pool.end();
    },
    onClose(hook) {
      closeHooks.push(hook);
    },
  };
}
