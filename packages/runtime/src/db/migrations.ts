import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import type BetterSqlite3 from 'better-sqlite3';

/** packages/runtime/prisma: the schema and its standard `migrations/` folder. */
export const PRISMA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'prisma');
export const SCHEMA_PATH = join(PRISMA_DIR, 'schema.prisma');
export const MIGRATIONS_DIR = join(PRISMA_DIR, 'migrations');
/** The PostgreSQL variant of the same model (derived by postgres-schema.ts) and its own migrations. */
export const POSTGRES_SCHEMA_PATH = join(PRISMA_DIR, 'schema.postgres.prisma');
export const POSTGRES_MIGRATIONS_DIR = join(PRISMA_DIR, 'migrations-postgres');

export type DatabaseProvider = 'sqlite' | 'postgresql';

/** Where each provider's schema and migrations live. */
export const PROVIDER_FILES: Record<DatabaseProvider, { schemaPath: string; migrationsDir: string }> = {
  sqlite: { schemaPath: SCHEMA_PATH, migrationsDir: MIGRATIONS_DIR },
  postgresql: { schemaPath: POSTGRES_SCHEMA_PATH, migrationsDir: POSTGRES_MIGRATIONS_DIR },
};

/** Names of the `prisma/migrations/<name>/` folders, in order. */
export function migrationNames(baseDir: string = MIGRATIONS_DIR): string[] {
  return existsSync(baseDir)
    ? readdirSync(baseDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort()
    : [];
}

/** What `_prisma_migrations` records: finished migrations by name, and any that never finished. */
export function appliedMigrations(sqlite: BetterSqlite3.Database): { finished: string[]; unfinished: string[] } {
  const table = sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'")
    .get();
  if (!table) return { finished: [], unfinished: [] };
  const rows = sqlite
    .prepare<[], { name: string; finished: string | null }>(
      'SELECT migration_name AS name, finished_at AS finished FROM _prisma_migrations WHERE rolled_back_at IS NULL ORDER BY migration_name',
    )
    .all();
  return {
    finished: rows.filter((r) => r.finished !== null).map((r) => r.name),
    unfinished: rows.filter((r) => r.finished === null).map((r) => r.name),
  };
}

/**
 * Whether every migration folder is recorded as finished (and none failed): then start-up need not
 * load the schema engine, whose exclusive lock also fails while another process has the file open.
 */
export function migrationsUpToDate(sqlite: BetterSqlite3.Database, baseDir: string = MIGRATIONS_DIR): boolean {
  return recordedMigrationsComplete(appliedMigrations(sqlite), baseDir);
}

/** Whether `_prisma_migrations` (read by either provider) records every folder finished, none failed. */
export function recordedMigrationsComplete(
  recorded: { finished: string[]; unfinished: string[] },
  baseDir: string,
): boolean {
  const applied = new Set(recorded.finished);
  return recorded.unfinished.length === 0 && migrationNames(baseDir).every((name) => applied.has(name));
}

/** Reads `prisma/migrations/<name>/migration.sql` folders in name order, as `prisma migrate` does. */
export function readMigrationList(baseDir: string = MIGRATIONS_DIR): MigrationList {
  const lockPath = join(baseDir, 'migration_lock.toml');
  const directories = migrationNames(baseDir);
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: directories.map((name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok', value: readFileSync(join(baseDir, name, 'migration.sql'), 'utf8') },
      },
    })),
  };
}
