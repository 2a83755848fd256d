import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startCheckpointer } from './checkpointer.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('background checkpointer', () => {
  it('moves committed WAL frames into the database file from its own thread while the writer goes on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'siyu-ckpt-'));
    dirs.push(dir);
    const path = join(dir, 'c.db');
    const db = new BetterSqlite3(path);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0'); // only the worker checkpoints
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run('x'.repeat(200));
    })();
    const sizeBefore = statSync(path).size;
    const checkpointer = startCheckpointer(path, { intervalMs: 10 });
    await until(() => (checkpointer.stats.last?.log ?? 0) > 0);
    const last = checkpointer.stats.last as { log: number; checkpointed: number };
    expect(last.checkpointed).toBe(last.log);
    expect(statSync(path).size).toBeGreaterThan(sizeBefore);
    // The writer is never blocked: it keeps committing while the worker runs.
    for (let i = 0; i < 50; i++) insert.run('y');
    expect((db.prepare('SELECT count(*) n FROM t').get() as { n: number }).n).toBe(2050);
    await checkpointer.stop();
    expect(checkpointer.stats.lastError).toBeUndefined();
    db.close();
  });

  it('ends by itself when the database file is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'siyu-ckpt-'));
    const path = join(dir, 'gone.db');
    const db = new BetterSqlite3(path);
    db.pragma('journal_mode = WAL');
    db.close();
    const checkpointer = startCheckpointer(path, { intervalMs: 10 });
    rmSync(dir, { recursive: true, force: true });
    await checkpointer.exited; // without stop(): the test times out if the worker lingers
    expect(checkpointer.stats.lastError).toBeUndefined();
  });
});
