import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import { cleanupAfterEach, scratchDatabase } from '../db/scratch-database.test-helper.ts';
import { createApp } from './app.ts';
import { HEALTH_COUNT_CAP } from './health.ts';

const cleanups = cleanupAfterEach();
let db: Database;
beforeEach(async () => {
  db = await scratchDatabase('health', cleanups);
});

function addEffects(count: number, dueAt: number, status = 'pending', offset = 0): void {
  const insert = db.sqlite.prepare(
    `INSERT INTO OutboxEffect (instanceId, nodeId, nodeType, idempotencyKey, payload, status, nextAttemptAt)
     VALUES (?, 'sms', 'sms.send', ?, '{}', ?, ?)`,
  );
  db.sqlite.transaction(() => {
    for (let i = offset; i < offset + count; i++) insert.run(i, `${i}:sms:1`, status, dueAt);
  })();
}

function addTimer(instanceId: number, dueAt: number): void {
  db.sqlite.prepare('INSERT INTO Timer (instanceId, dueAt, key) VALUES (?, ?, ?)').run(instanceId, dueAt, 'wait:1');
}

let NOW: number;
beforeEach(() => {
  NOW = Date.now();
});

/** The app's own /health (on the real clock: the rows are placed relative to NOW). */
async function health() {
  const app = createApp({ db, editorDist: join(dirname(db.path), 'none') });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/health`);
    expect(res.status).toBe(200);
    return (await res.json()) as { ok: boolean; migrations: number; engine: Record<string, number> };
  } finally {
    server.close();
  }
}

describe('GET /health', () => {
  it('says the engine is not behind when nothing is overdue', async () => {
    addEffects(3, NOW + 60_000); // due later
    addEffects(2, NOW - 60_000, 'done', 100); // already run
    addTimer(1, NOW + 1000);
    const body = await health();
    expect(body.ok).toBe(true);
    expect(body.migrations).toBeGreaterThan(0);
    expect(body.engine).toEqual({ lagMs: 0, effectsDue: 0, timersDue: 0, countCap: HEALTH_COUNT_CAP });
  });

  it('reports the age of the oldest due work and how much is due', async () => {
    addEffects(5, NOW - 7_000);
    addEffects(1, NOW - 2_000, 'pending', 50);
    addTimer(1, NOW - 12_000);
    addTimer(2, NOW - 1_000);
    addTimer(3, NOW + 1_000);
    const { engine } = await health();
    expect(engine).toEqual({ lagMs: expect.any(Number), effectsDue: 6, timersDue: 2, countCap: HEALTH_COUNT_CAP });
    // The oldest is the timer 12 s overdue (plus the time this test took to ask).
    expect(engine.lagMs).toBeGreaterThanOrEqual(12_000);
    expect(engine.lagMs).toBeLessThan(20_000);
  });

  it('stops counting at the cap and reads only the indexes, so it stays cheap during a backlog', async () => {
    addEffects(HEALTH_COUNT_CAP + 5, NOW - 1_000);
    expect((await health()).engine.effectsDue).toBe(HEALTH_COUNT_CAP);
    const plans = [
      "SELECT min(nextAttemptAt) FROM OutboxEffect WHERE status = 'pending' AND nextAttemptAt <= 1",
      "SELECT count(*) FROM (SELECT 1 FROM OutboxEffect WHERE status = 'pending' AND nextAttemptAt <= 1 LIMIT 5)",
      'SELECT min(dueAt) FROM Timer WHERE dueAt <= 1',
      'SELECT count(*) FROM (SELECT 1 FROM Timer WHERE dueAt <= 1 LIMIT 5)',
    ].map((sql) =>
      (db.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('; '),
    );
    for (const plan of plans) expect(plan).toMatch(/USING (COVERING )?INDEX/);
  });
});
