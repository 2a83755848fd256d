import { type Config, ConfigError } from '../config.ts';
import { credentialKeysFor } from '../credentials/keys.ts';
import type { AppDatabase } from '../db/app-database.ts';
import { openDatabase } from '../db/database.ts';
import { openPostgresDatabase } from '../db/postgres-database.ts';
import { redactPassword } from '../db/postgres-server.ts';
import type { Logger } from '../logger.ts';
import type { RateLimitStore } from '../node-packages/provider-rate-limits.ts';
import { type EngineLock, takeEngineLock } from './engine-lock.ts';
import { withImmediateTransactions } from './immediate-transactions.ts';
import type { RolePlan } from './roles.ts';

export interface OpenedForRole {
  db: AppDatabase;
  /** SQLite: the lock that makes this the one process running the engine on the file. */
  engineLock?: EngineLock;
  /** Where provider rate-limit buckets live: every worker shares PostgreSQL's. */
  rateLimitStore: RateLimitStore;
  /** The database for the log, without a password. */
  where: string;
}

/**
 * Opens the database the config selects, as the process's role needs it. PostgreSQL
 * (`DATABASE_URL`): migrated under an advisory lock, any number of web and worker processes,
 * provider rate limits shared in the database; CREDENTIALS_KEY must be set (there is no file to
 * generate a key beside, and every process must read credentials with one key). SQLite
 * (`DATABASE_PATH`): one process runs the engine on the file (the engine lock), and web and
 * worker processes sharing it begin their transactions IMMEDIATE.
 */
export async function openForRole(config: Config, role: RolePlan, logger: Logger): Promise<OpenedForRole> {
  if (config.DATABASE_URL) {
    if (!config.CREDENTIALS_KEY) {
      throw new ConfigError([
        'CREDENTIALS_KEY: must be set when DATABASE_URL selects PostgreSQL (every process reads stored credentials with it; generate one with `openssl rand -base64 32`)',
      ]);
    }
    const db = await openPostgresDatabase(config.DATABASE_URL, {
      applicationName: `siyu-${config.SIYU_ROLE}`,
      onWaitingForMigration: () => logger.info('another process is migrating the database; waiting for it'),
    });
    return { db, rateLimitStore: { kind: 'postgres', pool: db.pool }, where: redactPassword(config.DATABASE_URL) };
  }
  const opened = await openDatabase(config.DATABASE_PATH, { logger });
  // Web and worker processes share the file with other processes: writers must queue, not fail.
  const db = config.SIYU_ROLE === 'all' ? opened : { ...opened, sqlite: withImmediateTransactions(opened.sqlite) };
  let engineLock: EngineLock | undefined;
  try {
    engineLock = role.runsEngine ? takeEngineLock(db.path) : undefined;
  } catch (error) {
    await db.close();
    throw error;
  }
  // Resolve the credentials key now: a generated one is announced once, where it was written.
  credentialKeysFor(db.path, process.env, (path) =>
    logger.warn(
      { path },
      'CREDENTIALS_KEY is not set: generated a credentials key file (back it up with the database; set CREDENTIALS_KEY in production)',
    ),
  );
  // One process runs the engine on a SQLite file (the engine lock), so its buckets can live in memory.
  return { db, engineLock, rateLimitStore: { kind: 'memory' }, where: db.path };
}
