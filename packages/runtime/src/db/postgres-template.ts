// A migrated database to copy from: tests and benches that need many fresh, migrated databases
// copy this one (`CREATE DATABASE … TEMPLATE`, a file copy of ~100 ms) instead of running every
// migration on each (1.3–1.6 s each, most of it the schema engine).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { migratePostgres } from './migrate-postgres.ts';
import { migrationNames, POSTGRES_MIGRATIONS_DIR } from './migrations.ts';
import { createScratchDatabase } from './postgres-scratch.ts';

/** Templates are named `siyu_template_<hash of the migrations>`: a changed migration gets a new one. */
export const TEMPLATE_PREFIX = 'siyu_template_';
/** Serialises template builds across processes on one server (ASCII "siyutmpl"). */
const TEMPLATE_LOCK_KEY = '8316311732287795308';

/** A short hash of every migration's name and SQL, in order. */
export function migrationsFingerprint(migrationsDir: string = POSTGRES_MIGRATIONS_DIR): string {
  const hash = createHash('sha256');
  for (const name of migrationNames(migrationsDir)) {
    hash.update(name);
    for (const file of readdirSync(join(migrationsDir, name)).sort()) {
      hash.update(file);
      hash.update(readFileSync(join(migrationsDir, name, file)));
    }
  }
  return hash.digest('hex').slice(0, 16);
}

const built = new Map<string, Promise<string>>();

/**
 * The name of a database on the server at `serverUrl` holding the current migrations and no data,
 * built once per server and set of migrations (by whichever process asks first; the others wait on
 * an advisory lock and find it). It is built under a scratch name and renamed when complete, so a
 * process killed mid-build leaves a scratch database, never a half-migrated template.
 */
export function migratedTemplate(serverUrl: string): Promise<string> {
  const name = `${TEMPLATE_PREFIX}${migrationsFingerprint()}`;
  const key = `${serverUrl}|${name}`;
  let pending = built.get(key);
  if (!pending) {
    pending = buildTemplate(serverUrl, name);
    built.set(key, pending);
    pending.catch(() => built.delete(key));
  }
  return pending;
}

async function buildTemplate(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const exists = async () =>
      ((await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount ?? 0) > 0;
    if (await exists()) return name;
    await client.query('SELECT pg_advisory_lock($1::bigint)', [TEMPLATE_LOCK_KEY]);
    try {
      if (await exists()) return name;
      const scratch = await createScratchDatabase(serverUrl, 'template_build');
      await migratePostgres(scratch.url);
      await client.query(
        `ALTER DATABASE ${client.escapeIdentifier(scratch.name)} RENAME TO ${client.escapeIdentifier(name)}`,
      );
      return name;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [TEMPLATE_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}
