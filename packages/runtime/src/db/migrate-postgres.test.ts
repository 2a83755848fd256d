import { spawn } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { MIGRATION_LOCK_KEY, migratePostgres } from './migrate-postgres.ts';
import { migrationNames, POSTGRES_MIGRATIONS_DIR, PRISMA_DIR } from './migrations.ts';
import { freshPostgresDatabase } from './postgres-for-tests.test-helper.ts';
import { cleanupAfterEach } from './scratch-database.test-helper.ts';

const cleanups = cleanupAfterEach();

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('migratePostgres', () => {
  it('N processes starting together on a fresh database: all succeed, each migration applied once', async () => {
    const database = await freshPostgresDatabase('concurrent_migrate', cleanups, { migrate: false });
    const starters = 4;
    let waiting = 0;
    // Each call has its own connections, as separate processes would: the advisory lock is per session.
    const results = await Promise.all(
      Array.from({ length: starters }, () => migratePostgres(database.url, { onWaiting: () => waiting++ })),
    );

    const expected = migrationNames(POSTGRES_MIGRATIONS_DIR);
    expect(expected.length).toBeGreaterThan(0);
    const appliers = results.filter((r) => r.applied.length > 0);
    expect(appliers).toHaveLength(1);
    expect(appliers[0]?.applied).toEqual(expected);
    // The others found the work done: they waited on the lock, or checked after it was done.
    expect(results.filter((r) => r.applied.length === 0)).toHaveLength(starters - 1);
    expect(waiting).toBeLessThanOrEqual(starters - 1);

    const recorded = await query<{ migration_name: string; finished: boolean }>(
      database.url,
      'SELECT migration_name, finished_at IS NOT NULL AS finished FROM _prisma_migrations ORDER BY migration_name',
    );
    expect(recorded).toEqual(expected.map((name) => ({ migration_name: name, finished: true })));
    // The lock is released: nobody holds it once every starter is done.
    const held = await query(
      database.url,
      `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    expect(held).toEqual([]);
  }, 60_000);

  it('separate processes started together: all exit 0, one applies, the migrations are recorded once', async () => {
    const database = await freshPostgresDatabase('process_migrate', cleanups, { migrate: false });
    const runtimeDir = join(PRISMA_DIR, '..');
    const runOne = () =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/migrate-postgres.ts', database.url], {
          cwd: runtimeDir,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk) => (stdout += chunk));
        child.stderr.on('data', (chunk) => (stderr += chunk));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    // Three: enough to have waiters; each process loads tsx and the wasm engine (~1 s of CPU).
    const runs = await Promise.all([runOne(), runOne(), runOne()]);
    for (const run of runs) expect(run, run.stderr).toMatchObject({ code: 0 });
    const results = runs.map((run) => JSON.parse(run.stdout) as { applied: string[] });
    const expected = migrationNames(POSTGRES_MIGRATIONS_DIR);
    expect(results.filter((r) => r.applied.length > 0).map((r) => r.applied)).toEqual([expected]);
    const recorded = await query<{ n: string }>(database.url, 'SELECT count(*) AS n FROM _prisma_migrations');
    expect(Number(recorded[0]?.n)).toBe(expected.length);
  }, 120_000);

  it('waits while another process holds the migration lock, then finds nothing left to do', async () => {
    const database = await freshPostgresDatabase('lock_wait', cleanups, { migrate: false });
    await migratePostgres(database.url);
    // Pretend a newer release is migrating: hold the lock, and remove the record of the last migration.
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
      const [last] = migrationNames(POSTGRES_MIGRATIONS_DIR).slice(-1);
      await holder.query('UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = $1', [last]);
      let waited = false;
      const starting = migratePostgres(database.url, { onWaiting: () => (waited = true) });
      // It connects, finds a migration missing and waits for the lock (seconds on a loaded machine).
      await expect.poll(() => waited, { timeout: 15_000 }).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 200));
      // The "other process" finishes its migration and lets go.
      await holder.query('UPDATE _prisma_migrations SET rolled_back_at = NULL WHERE migration_name = $1', [last]);
      await holder.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]);
      const result = await starting;
      expect(result.applied).toEqual([]);
      expect(result.waitedForLockMs).toBeGreaterThanOrEqual(150);
    } finally {
      await holder.end();
    }
  }, 60_000);
});
