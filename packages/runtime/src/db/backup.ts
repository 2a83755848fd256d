// Backup and restore of the SQLite database. A backup is taken with SQLite's online backup API
// (better-sqlite3's db.backup) from its own connection, so the server keeps running and writing;
// a restore replaces the file only when no process has it open, and keeps the file it replaces.
import { copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { appliedMigrations, MIGRATIONS_DIR, migrationNames } from './migrations.ts';

export type BackupProblem =
  | 'notFound'
  | 'exists'
  | 'notSqlite'
  | 'corrupt'
  | 'notOurs'
  | 'migrationsIncomplete'
  | 'newerSchema'
  | 'inUse';

/** Why a backup or restore did not happen; `code` for scripts, the message for people. */
export class BackupError extends Error {
  constructor(
    readonly code: BackupProblem,
    message: string,
  ) {
    super(message);
    this.name = 'BackupError';
  }
}

export interface DatabaseInfo {
  path: string;
  bytes: number;
  /** Migrations applied in the file. */
  migrations: number;
  latestMigration: string | null;
  /** Migrations this version has that the file has not: applied when the server next starts. */
  pendingMigrations: string[];
  /** Rows per table (the product's tables, not SQLite's or Prisma's bookkeeping). */
  tables: Record<string, number>;
}

/** Pages per backup step: all of them, so each step copies one consistent snapshot (see below). */
const ALL_PAGES = 0x7fffffff;

/** Rows per table of the product's schema, by name. */
export function tableCounts(sqlite: BetterSqlite3.Database): Record<string, number> {
  const tables = sqlite
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> '_prisma_migrations' ORDER BY name",
    )
    .all();
  return Object.fromEntries(
    tables.map(({ name }) => [
      name,
      (sqlite.prepare(`SELECT count(*) AS n FROM "${name.replaceAll('"', '""')}"`).get() as { n: number }).n,
    ]),
  );
}

/**
 * Checks that `path` is a sound database of this product: SQLite, integrity_check ok, every
 * migration it records finished, none newer than this version knows. Throws BackupError otherwise.
 */
export function inspectDatabase(path: string, migrationsDir: string = MIGRATIONS_DIR): DatabaseInfo {
  if (!existsSync(path) || !statSync(path).isFile()) throw new BackupError('notFound', `file not found: ${path}`);
  let sqlite: BetterSqlite3.Database | undefined;
  try {
    try {
      sqlite = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
      sqlite.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (error) {
      throw new BackupError('notSqlite', `${path} is not a SQLite database (${(error as Error).message})`);
    }
    const integrity = sqlite.pragma('integrity_check', { simple: false }) as { integrity_check: string }[];
    if (integrity[0]?.integrity_check !== 'ok') {
      const detail = integrity
        .slice(0, 3)
        .map((r) => r.integrity_check)
        .join('; ');
      throw new BackupError('corrupt', `${path} failed integrity_check: ${detail}`);
    }
    const hasMigrations = sqlite
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'")
      .get();
    if (!hasMigrations) {
      throw new BackupError(
        'notOurs',
        `${path} is a SQLite database but not a Siyu Journeys one (no _prisma_migrations)`,
      );
    }
    const { finished: names, unfinished } = appliedMigrations(sqlite);
    if (unfinished.length > 0) {
      throw new BackupError(
        'migrationsIncomplete',
        `${path} has migrations that never finished: ${unfinished.join(', ')}`,
      );
    }
    const known = migrationNames(migrationsDir);
    const unknown = names.filter((n) => !known.includes(n));
    if (unknown.length > 0) {
      throw new BackupError(
        'newerSchema',
        `${path} was written by a newer version (migrations this version does not have: ${unknown.join(', ')})`,
      );
    }
    if (names.length === 0) throw new BackupError('notOurs', `${path} has no migrations applied`);
    return {
      path,
      bytes: statSync(path).size,
      migrations: names.length,
      latestMigration: names.at(-1) ?? null,
      pendingMigrations: known.filter((n) => !names.includes(n)),
      tables: tableCounts(sqlite),
    };
  } finally {
    sqlite?.close();
  }
}

function removeWithSidecars(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
}

/**
 * Writes a consistent copy of the database at `sourcePath` to `destPath` while other processes
 * (the server) keep writing. Each backup step copies every page under one read transaction, which
 * in WAL mode does not block writers; had a writer committed between steps, SQLite restarts the
 * copy, and the next step again copies everything. (With the default 100 pages a step, a busy
 * engine would restart a large copy forever.) The copy is written beside the destination, switched
 * to a single self-contained file (no -wal), checked, and only then renamed into place.
 */
export async function backupDatabase(sourcePath: string, destPath: string): Promise<DatabaseInfo> {
  const source = resolve(sourcePath);
  const dest = resolve(destPath);
  if (!existsSync(source)) throw new BackupError('notFound', `database not found: ${source}`);
  if (existsSync(dest)) throw new BackupError('exists', `${dest} already exists; choose a new file name`);
  const partial = `${dest}.partial-${process.pid}`;
  removeWithSidecars(partial);
  const sqlite = new BetterSqlite3(source, { fileMustExist: true });
  try {
    sqlite.pragma('busy_timeout = 5000');
    await sqlite.backup(partial, { progress: () => ALL_PAGES });
  } catch (error) {
    removeWithSidecars(partial);
    throw error;
  } finally {
    sqlite.close();
  }
  try {
    const copy = new BetterSqlite3(partial);
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    const info = inspectDatabase(partial);
    renameSync(partial, dest);
    return { ...info, path: dest };
  } catch (error) {
    removeWithSidecars(partial);
    throw error;
  }
}

/**
 * Throws BackupError('inUse') if any connection (a running server, a CLI import) has the database
 * open: an exclusive lock cannot be had then. With WAL, each open connection holds a shared lock.
 */
function assertNotInUse(path: string): void {
  const probe = new BetterSqlite3(path, { fileMustExist: true, timeout: 0 });
  try {
    probe.pragma('locking_mode = EXCLUSIVE');
    probe.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      throw new BackupError(
        'inUse',
        `${path} is open in another process (is the server running?); stop it, then restore again`,
      );
    }
    throw error;
  } finally {
    // Closing the last connection checkpoints the WAL into the file: the file moved aside below is whole.
    probe.close();
  }
}

export interface RestoreResult {
  restored: DatabaseInfo;
  /** Where the database that was replaced now is (nothing is deleted), or null if there was none. */
  previous: string | null;
}

/**
 * Replaces the database at `targetPath` with the backup at `backupPath`. The backup is copied
 * beside the target and checked (inspectDatabase) first; the target must not be open in any
 * process; the replaced database is kept as `<target>.before-restore-<time>`. Migrations the
 * backup lacks are applied by the next start, as for any older database.
 */
export function restoreDatabase(backupPath: string, targetPath: string, now = new Date()): RestoreResult {
  const backup = resolve(backupPath);
  const target = resolve(targetPath);
  if (!existsSync(backup)) throw new BackupError('notFound', `backup not found: ${backup}`);
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const partial = `${target}.restore-${stamp}`;
  removeWithSidecars(partial);
  copyFileSync(backup, partial);
  try {
    const info = inspectDatabase(partial);
    let previous: string | null = null;
    if (existsSync(target)) {
      assertNotInUse(target);
      previous = `${target}.before-restore-${stamp}`;
      renameSync(target, previous);
      // Left only if a process died with the file open; kept with the file they belong to.
      for (const suffix of ['-wal', '-shm']) {
        if (existsSync(`${target}${suffix}`)) renameSync(`${target}${suffix}`, `${previous}${suffix}`);
      }
    }
    renameSync(partial, target);
    return { restored: { ...info, path: target }, previous };
  } catch (error) {
    removeWithSidecars(partial);
    throw error;
  }
}
