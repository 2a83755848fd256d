import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseStartupError, openDatabase } from './database.ts';
import { applyMigrations } from './migrate.ts';
import { migrationsUpToDate, readMigrationList } from './migrations.ts';

const dirs: string[] = [];
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'siyu-db-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) {
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('migrations', () => {
  it('apply to an empty SQLite file, then re-apply as a no-op', async () => {
    const url = `file:${join(scratch(), 'fresh.db')}`;
    const all = readMigrationList().migrationDirectories.map((d) => d.path);
    expect(all.length).toBeGreaterThan(0);
    expect(await applyMigrations(url)).toEqual(all);
    expect(await applyMigrations(url)).toEqual([]);
  });

  it('leave a database the typed client can read and write', async () => {
    const db = await openDatabase(join(scratch(), 'app.db'));
    try {
      await db.prisma.customer.create({
        data: { id: 'c1', identities: { create: { kind: 'phone', value: '+8613800000000' } } },
      });
      const found = await db.prisma.customerIdentity.findUnique({
        where: { kind_value: { kind: 'phone', value: '+8613800000000' } },
      });
      expect(found?.customerId).toBe('c1');
      const row = db.sqlite.prepare('SELECT count(*) AS n FROM _prisma_migrations').get() as { n: number };
      expect(row.n).toBe(readMigrationList().migrationDirectories.length);
    } finally {
      await db.close();
    }
  });
});

describe('opening a migrated database', () => {
  it('does not need the exclusive lock, so the CLI opens it beside a running server', async () => {
    const path = join(scratch(), 'busy.db');
    await (await openDatabase(path)).close();
    // The server's connection (WAL) stays open while a CLI command opens the same file.
    const server = await openDatabase(path);
    try {
      const cli = await openDatabase(path);
      expect(await cli.prisma.customer.count()).toBe(0);
      await cli.close();
    } finally {
      await server.close();
    }
  });

  it('goes through the schema engine whenever a migration is missing or unfinished', async () => {
    const path = join(scratch(), 'older.db');
    await (await openDatabase(path)).close();
    const raw = new BetterSqlite3(path);
    try {
      expect(migrationsUpToDate(raw)).toBe(true);
      const last = readMigrationList().migrationDirectories.at(-1)?.path as string;
      raw.prepare('UPDATE _prisma_migrations SET finished_at = NULL WHERE migration_name = ?').run(last);
      expect(migrationsUpToDate(raw)).toBe(false);
      raw.prepare('DELETE FROM _prisma_migrations WHERE migration_name = ?').run(last);
      expect(migrationsUpToDate(raw)).toBe(false);
    } finally {
      raw.close();
    }
  });
});

describe('closing', () => {
  it('runs close hooks (the engine stopping its checkpoint thread) while the connection is still open', async () => {
    const db = await openDatabase(join(scratch(), 'hooks.db'));
    const seen: string[] = [];
    db.onClose(async () => {
      await new Promise((r) => setTimeout(r, 10));
      seen.push(`open=${db.sqlite.open}`);
    });
    await db.close();
    expect(seen).toEqual(['open=true']);
    expect(db.sqlite.open).toBe(false);
  });
});

describe('start-up on a bad database path', () => {
  it('refuses a corrupt file with a clear message and leaves it untouched', async () => {
    const path = join(scratch(), 'corrupt.db');
    const garbage = 'this is not a sqlite database, just text that happens to be here '.repeat(100);
    writeFileSync(path, garbage);
    const attempt = openDatabase(path);
    await expect(attempt).rejects.toBeInstanceOf(DatabaseStartupError);
    await expect(attempt).rejects.toThrow(/not a valid SQLite database/);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(path, 'utf8')).toBe(garbage);
  });

  it('refuses an unwritable folder with a clear message', async () => {
    if (process.getuid?.() === 0) {
      // root ignores permission bits; a path under a regular file is unwritable for everyone.
      const file = join(scratch(), 'plain-file');
      writeFileSync(file, 'x');
      await expect(openDatabase(join(file, 'sub', 'app.db'))).rejects.toThrow(/cannot create the database folder/);
      return;
    }
    const dir = scratch();
    chmodSync(dir, 0o500);
    await expect(openDatabase(join(dir, 'app.db'))).rejects.toThrow(/not writable/);
  });

  it('refuses a folder given as the database path', async () => {
    await expect(openDatabase(scratch())).rejects.toThrow(/is a folder/);
  });
});
