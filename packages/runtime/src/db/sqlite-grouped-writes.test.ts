// The SQL port's single writes on SQLite commit in groups: together when issued together, each
// still alone in what it changes and in how it fails, and durable when its promise resolves.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteSqlClient } from './sqlite-sql.ts';

const dirs: string[] = [];
const open: BetterSqlite3.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function database() {
  const dir = mkdtempSync(join(tmpdir(), 'siyu-grouped-'));
  dirs.push(dir);
  const path = join(dir, 'g.db');
  const sqlite = new BetterSqlite3(path);
  open.push(sqlite);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('wal_autocheckpoint = 0'); // the WAL keeps every frame: it counts the commits' pages
  sqlite.exec('CREATE TABLE Claim (id INTEGER PRIMARY KEY, messageKey TEXT NOT NULL UNIQUE, note TEXT)');
  const walFrames = () => {
    const size = statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0;
    return size === 0 ? 0 : (size - 32) / (4096 + 24);
  };
  return { sqlite, sql: sqliteSqlClient(sqlite), path, walFrames };
}

const insert = 'INSERT INTO Claim (messageKey, note) VALUES (?, ?)';

describe('grouped writes (SQLite SQL port)', () => {
  it('fifty writes issued together commit once: the WAL grows by a few pages, not fifty commits', async () => {
    const { sql, walFrames } = database();
    const before = walFrames();
    await Promise.all(Array.from({ length: 50 }, (_, i) => sql.run(insert, [`k${i}`, 'together'])));
    const together = walFrames() - before;
    // The same fifty rows one after another: each write is its own commit (its own pages in the WAL).
    const middle = walFrames();
    for (let i = 0; i < 50; i++) await sql.run(insert, [`s${i}`, 'alone']);
    const alone = walFrames() - middle;
    expect(together).toBeLessThanOrEqual(5);
    expect(alone).toBeGreaterThanOrEqual(50);
  });

  it('a write that fails rejects its caller only; the others of its group are stored', async () => {
    const { sql, sqlite } = database();
    await sql.run(insert, ['taken', 'first']);
    const results = await Promise.allSettled([
      sql.run(insert, ['a', 'x']),
      sql.run(insert, ['taken', 'again']),
      sql.run("UPDATE Claim SET note = 'updated' WHERE messageKey = ?", ['taken']),
      // Two rows in one statement, the second taken: neither is stored (the statement is backed out whole).
      sql.run('INSERT INTO Claim (messageKey, note) VALUES (?, ?), (?, ?)', ['b', 'half', 'a', 'again']),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    expect((results[2] as PromiseFulfilledResult<{ changes: number }>).value).toEqual({ changes: 1 });
    expect(sqlite.prepare('SELECT messageKey, note FROM Claim ORDER BY id').all()).toEqual([
      { messageKey: 'taken', note: 'updated' },
      { messageKey: 'a', note: 'x' },
    ]);
  });

  it('is committed when it resolves: another connection reads it at once', async () => {
    const { sql, path } = database();
    const reader = new BetterSqlite3(path, { readonly: true });
    open.push(reader);
    await Promise.all([sql.run(insert, ['r1', null]), sql.run(insert, ['r2', null])]);
    expect(reader.prepare('SELECT count(*) AS n FROM Claim').get()).toEqual({ n: 2 });
  });

  it('waits for a port transaction open across awaits, and lands after it', async () => {
    const { sql, sqlite } = database();
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let began: () => void = () => {};
    const begun = new Promise<void>((resolve) => {
      began = resolve;
    });
    const transaction = sql.transaction(async (tx) => {
      await tx.run(insert, ['in-tx', 'first']);
      began();
      await held; // a microtask chain only: no event-loop turn
    });
    await begun;
    const outside = sql.run(insert, ['outside', 'second']);
    for (let i = 0; i < 10; i++) await Promise.resolve();
    // Not written inside the open transaction (it would have been committed or undone with it).
    expect(sqlite.prepare("SELECT count(*) AS n FROM Claim WHERE messageKey = 'outside'").get()).toEqual({ n: 0 });
    release();
    await Promise.all([transaction, outside]);
    expect(sqlite.prepare('SELECT messageKey FROM Claim ORDER BY id').all()).toEqual([
      { messageKey: 'in-tx' },
      { messageKey: 'outside' },
    ]);
  });
});
