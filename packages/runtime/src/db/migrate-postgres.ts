import pg from 'pg';
import { applyProviderMigrations } from './migrate.ts';
import { POSTGRES_MIGRATIONS_DIR, recordedMigrationsComplete } from './migrations.ts';

/**
 * The advisory lock key every process takes before migrating a PostgreSQL database: the ASCII of
 * "siyumigr" as a bigint. Distinct from the key Prisma's schema engine takes inside
 * applyMigrations (72707369), which we must not hold ourselves: the engine takes it on its own
 * connection and would wait on us. Ours spans the check and the apply, so when N processes start
 * together exactly one migrates and the others wait, re-check, and find nothing to do.
 */
export const MIGRATION_LOCK_KEY = '8316311732170090354';

async function recordedMigrations(client: pg.Client): Promise<{ finished: string[]; unfinished: string[] }> {
  const table = await client.query<{ exists: boolean }>(
    "SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists",
  );
  if (!table.rows[0]?.exists) return { finished: [], unfinished: [] };
  const rows = await client.query<{ name: string; finished: boolean }>(
    'SELECT migration_name AS name, finished_at IS NOT NULL AS finished FROM _prisma_migrations WHERE rolled_back_at IS NULL',
  );
  return {
    finished: rows.rows.filter((r) => r.finished).map((r) => r.name),
    unfinished: rows.rows.filter((r) => !r.finished).map((r) => r.name),
  };
}

export interface PostgresMigrationResult {
  /** Migrations this call applied (empty when the database was up to date or another process did it). */
  applied: string[];
  /** How long this process waited for another one's migration to finish. */
  waitedForLockMs: number;
}

/**
 * Brings the PostgreSQL database at `url` up to prisma/migrations-postgres. Safe to call from any
 * number of processes at once: the up-to-date case is one query and takes no lock; otherwise the
 * work happens under a session advisory lock, released by unlock or by the connection closing
 * (a process killed mid-migration frees it; Prisma then reports the unfinished migration).
 */
export async function migratePostgres(
  url: string,
  options: { migrationsDir?: string; onWaiting?: () => void } = {},
): Promise<PostgresMigrationResult> {
  const migrationsDir = options.migrationsDir ?? POSTGRES_MIGRATIONS_DIR;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    if (recordedMigrationsComplete(await recordedMigrations(client), migrationsDir)) {
      return { applied: [], waitedForLockMs: 0 };
    }
    const waitStarted = performance.now();
    const locked = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [
      MIGRATION_LOCK_KEY,
    ]);
    if (!locked.rows[0]?.locked) {
      options.onWaiting?.();
      await client.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    }
    const waitedForLockMs = Math.round(performance.now() - waitStarted);
    try {
      // Whoever held the lock may have migrated everything while we waited.
      if (recordedMigrationsComplete(await recordedMigrations(client), migrationsDir)) {
        return { applied: [], waitedForLockMs };
      }
      const applied = await applyProviderMigrations({ provider: 'postgresql', url }, migrationsDir);
      return { applied, waitedForLockMs };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}
