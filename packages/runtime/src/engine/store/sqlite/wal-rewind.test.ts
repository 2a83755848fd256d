import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { type CheckpointPass, startCheckpointer } from './checkpointer.ts';
import { rewindAfterPass } from './wal-rewind.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function walDatabase() {
  const dir = mkdtempSync(join(tmpdir(), 'siyu-rewind-'));
  dirs.push(dir);
  const path = join(dir, 'w.db');
  const db = new BetterSqlite3(path);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0'); // no backstop: only a rewind can start the WAL over
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  return { db, path };
}

/** The WAL header's checkpoint sequence: SQLite adds one each time a writer starts the file over. */
function walRestarts(path: string): number {
  const header = Buffer.alloc(16);
  const fd = openSync(`${path}-wal`, 'r');
  readSync(fd, header, 0, 16, 0);
  closeSync(fd);
  return header.readUInt32BE(12);
}

/**
 * Commits back to back, yielding only to let the worker's reports in (no pause in which a
 * background pass could finish with every frame copied), for 1.5 s while the checkpointer runs and
 * the rewind follows its passes; returns the largest WAL the passes reported.
 */
async function steadyWrites(db: BetterSqlite3.Database, path: string): Promise<number> {
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  let largest = 0;
  const checkpointer = startCheckpointer(path, {
    intervalMs: 5,
    catchUpFrames: 40,
    onPass: (pass) => {
      largest = Math.max(largest, pass.log);
      rewindAfterPass(db, pass, 40);
    },
  });
  try {
    const end = Date.now() + 1500;
    while (Date.now() < end) {
      db.transaction(() => {
        for (let i = 0; i < 20; i++) insert.run('x'.repeat(300));
      })();
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    await checkpointer.stop();
  }
  expect(checkpointer.stats.lastError).toBeUndefined();
  return largest;
}

describe('rewinding the WAL after a background checkpoint', () => {
  it('keeps the WAL short under a steady stream of commits, which without it grows without end', async () => {
    const { db, path } = walDatabase();
    const largest = await steadyWrites(db, path);
    // Rewound each time a pass found it past 40 frames (~140 times in 1.5 s on a quiet machine). The
    // same stream without the rewind never starts the WAL over on a quiet machine: the passes never
    // find every frame copied, and it grows to 24,000–83,000 frames in 1.5 s (what the engine's
    // backstop used to catch in line). With it the largest WAL a pass saw was 1,500–3,600 frames, and
    // 10,800 on a loaded CI machine whose worker thread was starved of its core.
    expect(walRestarts(path)).toBeGreaterThanOrEqual(3);
    expect(largest).toBeLessThan(20_000);
    expect((db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n).toBeGreaterThan(0);
    db.close();
  });

  it('checkpoints only after a whole pass of a WAL past the threshold, outside a transaction', () => {
    const { db } = walDatabase();
    const whole: CheckpointPass = { busy: 0, log: 9000, checkpointed: 9000 };
    expect(rewindAfterPass(db, { ...whole, busy: 1 })).toBe(false);
    expect(rewindAfterPass(db, { ...whole, checkpointed: 8999 })).toBe(false);
    expect(rewindAfterPass(db, { busy: 0, log: 100, checkpointed: 100 })).toBe(false);
    db.exec('BEGIN');
    expect(rewindAfterPass(db, whole)).toBe(false);
    db.exec('COMMIT');
    expect(rewindAfterPass(db, whole)).toBe(true);
    db.close();
    expect(rewindAfterPass(db, whole)).toBe(false);
  });
});
