// Crash safety, the engine's core promise: SIGKILL the runtime at random points while thousands of
// customers move through a journey, restart it, and prove from the sandbox provider's own record (the
// Message table, unique by idempotency key) that every customer got each message exactly once and reached
// the expected end state.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '@siyu/runtime';
import { type CrashChild, spawnCrashChild } from '@siyu/runtime/testing';
import { afterAll, describe, expect, it } from 'vitest';

const CUSTOMERS = 2000;
const KILLS = 8;
const child = fileURLToPath(new URL('./runtime-crash-child.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'siyu-crash-'));
const dbPath = join(dir, 'crash.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (mode: 'kill' | 'finish'): CrashChild => spawnCrashChild(child, [dbPath, String(CUSTOMERS), mode]);

describe('runtime crash safety', () => {
  it('survives repeated SIGKILLs: every message exactly once, every customer in the expected end state', async () => {
    let killedWith = 0;
    for (let i = 0; i < KILLS; i++) {
      const { proc, ready, exited } = run('kill');
      await ready;
      // Random point: somewhere in the first 1.5 s of work after start-up.
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 1400));
      proc.kill('SIGKILL');
      await exited;
      if (proc.signalCode === 'SIGKILL') killedWith++;
    }
    expect(killedWith).toBe(KILLS);
    const final = run('finish');
    expect(await final.exited).toBe(0);

    const database = await openDatabase(dbPath);
    const db = database.sqlite;
    try {
      const perCustomerNode = db
        .prepare('SELECT customerId, nodeId, count(*) n FROM Message GROUP BY customerId, nodeId HAVING n != 1')
        .all();
      expect(perCustomerNode).toEqual([]);
      expect(
        db.prepare('SELECT nodeId, count(DISTINCT customerId) n FROM Message GROUP BY nodeId ORDER BY nodeId').all(),
      ).toEqual([
        { nodeId: 'reminder', n: CUSTOMERS },
        { nodeId: 'welcome', n: CUSTOMERS },
      ]);
      expect(db.prepare('SELECT count(*) n FROM Instance').get()).toEqual({ n: CUSTOMERS });
      const ends = db
        .prepare(
          `SELECT CAST(substr(customerId, 2) AS INTEGER) % 2 AS odd, status, nodeId, count(*) n
             FROM Instance GROUP BY odd, status, nodeId ORDER BY odd`,
        )
        .all();
      expect(ends).toEqual([
        { odd: 0, status: 'completed', nodeId: 'repurchase', n: CUSTOMERS / 2 },
        { odd: 1, status: 'exited', nodeId: 'exit', n: CUSTOMERS / 2 },
      ]);
      expect(db.prepare("SELECT count(*) n FROM CustomerTag WHERE tag = 'repurchase'").get()).toEqual({
        n: CUSTOMERS / 2,
      });
      expect(db.prepare("SELECT count(*) n FROM OutboxEffect WHERE status != 'done'").get()).toEqual({ n: 0 });
      expect(db.prepare('SELECT count(*) n FROM Timer').get()).toEqual({ n: 0 });
    } finally {
      await database.close();
    }
  }, 120_000);
});
