import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withImmediateTransactions } from './immediate-transactions.ts';

let dir: string;
let a: BetterSqlite3.Database;
let b: BetterSqlite3.Database;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'siyu-immediate-'));
  const open = () => {
    const db = new BetterSqlite3(join(dir, 'x.db'), { timeout: 2000 });
    db.pragma('journal_mode = WAL');
    return db;
  };
  a = open();
  b = open();
  a.exec('CREATE TABLE t (n INTEGER)');
});
afterEach(() => {
  a.close();
  b.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A read-then-write transaction on `first` while the other connection tries to commit in between
 * (on one thread it cannot wait, so it gives up at once: busy_timeout 0). Returns whether that
 * other commit went through.
 */
function readThenWrite(first: BetterSqlite3.Database): boolean {
  let otherCommitted = false;
  first.transaction(() => {
    first.prepare('SELECT count(*) FROM t').get();
    try {
      b.prepare('INSERT INTO t VALUES (1)').run();
      otherCommitted = true;
    } catch {
      // The other process would wait for the lock here (busy_timeout) and commit after us.
    }
    first.prepare('INSERT INTO t VALUES (2)').run();
  })();
  return otherCommitted;
}

describe('immediate transactions for processes sharing a SQLite file', () => {
  it('a deferred transaction fails when another connection committed after its read; an immediate one holds the lock first', () => {
    b.pragma('busy_timeout = 0');
    // Deferred (better-sqlite3's default): the other commit lands, then this write fails at once.
    expect(() => readThenWrite(a)).toThrow(/database is locked/);
    expect(a.prepare('SELECT n FROM t').all()).toEqual([{ n: 1 }]);
    // Immediate: this transaction commits whole; the other writer is the one that waits.
    expect(readThenWrite(withImmediateTransactions(a))).toBe(false);
    expect(a.prepare('SELECT n FROM t ORDER BY rowid').all()).toEqual([{ n: 1 }, { n: 2 }]);
  });
});
