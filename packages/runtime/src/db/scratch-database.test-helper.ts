// Throwaway SQLite databases for tests: a migrated one in a scratch folder, or one built by the
// migrations before a given change (a deployment's file as it was), each removed after the test.
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { type Database, openDatabase } from './database.ts';
import { applyMigrations } from './migrate.ts';
import { MIGRATIONS_DIR } from './migrations.ts';

/** Cleanups run after each test, last registered first. Call at the top level of a test file. */
export function cleanupAfterEach(): Array<() => Promise<void>> {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  return cleanups;
}

/** A scratch folder `siyu-<prefix>-…`, removed by `cleanups`. */
function scratchDir(prefix: string, cleanups: Array<() => Promise<void>>): string {
  const dir = mkdtempSync(join(tmpdir(), `siyu-${prefix}-`));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true, maxRetries: 3 }));
  return dir;
}

/** A migrated SQLite database (`test.db`) in a scratch folder; closed and removed by `cleanups`. */
export async function scratchDatabase(prefix: string, cleanups: Array<() => Promise<void>>): Promise<Database> {
  const dir = scratchDir(prefix, cleanups);
  const db = await openDatabase(join(dir, 'test.db'));
  cleanups.push(() => db.close());
  return db;
}

/**
 * A SQLite file (`old.db`) built by the committed migrations up to, not including, the one whose
 * name ends in `_<migration>`: a database as it was before that change. Returns the file and that
 * migration's full name; the folder is removed by `cleanups`.
 */
export async function databaseBeforeMigration(
  migration: string,
  cleanups: Array<() => Promise<void>>,
): Promise<{ file: string; target: string }> {
  const dir = scratchDir(migration, cleanups);
  const before = join(dir, 'migrations');
  cpSync(MIGRATIONS_DIR, before, { recursive: true });
  const target = readdirSync(before).find((name) => name.endsWith(`_${migration}`));
  if (!target) throw new Error(`no committed migration ends in _${migration}`);
  for (const name of readdirSync(before)) if (name >= target) rmSync(join(before, name), { recursive: true });
  const file = join(dir, 'old.db');
  await applyMigrations(`file:${file}`, before);
  return { file, target };
}
