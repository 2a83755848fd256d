// Finished outbox rows are pruned after OUTBOX_RETENTION_DAYS, on SQLite and PostgreSQL: sent and
// skipped ones only, old ones only, in slices; failed, pending and unknown ones and the step log stay.
import { createNodeRegistry } from '@siyu/shared';
import { samplePackage } from '@siyu/shared/testing';
import { describe, expect, it } from 'vitest';
import { graphOf } from '../../testing/fixtures.ts';
import { sampleExecutorsOn } from '../../testing/sample-nodes.ts';
import { seedEither } from '../../testing/seed-either.ts';
import type { AppDatabase } from '../db/app-database.ts';
import type { SqlClient } from '../db/sql-client.ts';
import { freshBackends } from '../db/both-backends.test-helper.ts';
import { cleanupAfterEach } from '../db/scratch-database.test-helper.ts';
import { createLogger } from '../logger.ts';
import { ManualClock } from './api.ts';
import { createEngine } from './engine.ts';
import { outboxPruner } from './outbox-retention.ts';

const DAY = 86_400_000;
const welcome = graphOf(
  [
    ['entry', 'sample.apiEntry', {}],
    ['hello', 'sample.send', { text: '欢迎' }],
  ],
  [['entry', 'next', 'hello']],
);
const logger = createLogger('silent');
const cleanups = cleanupAfterEach();

/** Six customers through the welcome journey on `db`: six sent messages, six done outbox rows. */
async function sixWelcomed(db: AppDatabase, clock: ManualClock, retentionDays?: number) {
  await seedEither(db, { welcome }, { prefix: 'c', from: 0, to: 6 });
  const engine = createEngine({
    db,
    registry: createNodeRegistry([samplePackage]),
    executors: sampleExecutorsOn(db),
    clock,
    logger,
    ...(retentionDays === undefined ? {} : { outboxRetentionDays: retentionDays }),
  });
  cleanups.push(() => engine.stop());
  await engine.enrollMany('welcome', ['c0', 'c1', 'c2', 'c3', 'c4', 'c5']);
  await engine.tick();
  return engine;
}

const statuses = async (db: AppDatabase) =>
  (
    await db.sql.all<{ idempotencyKey: string; status: string }>(
      'SELECT idempotencyKey, status FROM OutboxEffect ORDER BY id',
    )
  ).map((r) => r.status);
const count = async (db: AppDatabase, sql: string) => Number((await db.sql.get<{ n: number }>(sql))?.n);

describe.each(freshBackends('outbox-retention', cleanups))('outbox retention on %s', (_name, openDb) => {
  it('deletes sent and skipped rows older than the retention, a slice at a time; keeps the rest', async () => {
    const db = await openDb();
    const clock = new ManualClock();
    await sixWelcomed(db, clock, 0);
    expect(await statuses(db)).toEqual(['done', 'done', 'done', 'done', 'done', 'done']);
    // Rows 1–2 stay done, 3 skipped, 4 failed, 5 pending (a retry later), 6 unknown (waits for an operator).
    const ids = (await db.sql.all<{ id: number }>('SELECT id FROM OutboxEffect ORDER BY id')).map((r) => r.id);
    const set = (i: number, status: string) =>
      db.sql.run('UPDATE OutboxEffect SET status = ? WHERE id = ?', [status, ids[i] as number]);
    await set(2, 'skipped');
    await set(3, 'failed');
    await set(4, 'pending');
    await set(5, 'unknown');
    await db.sql.run('UPDATE OutboxEffect SET nextAttemptAt = ?', [clock.now() + DAY]); // the pending one is not due
    const stepLogRows = await count(db, 'SELECT count(*) AS n FROM StepLog');

    const prune = outboxPruner({ sql: db.sql, logger, retentionDays: 30, slice: 1 });
    // 29 days on: nothing is old enough.
    expect(await prune(clock.now() + 30 * DAY)).toBe(0);
    expect(await statuses(db)).toHaveLength(6);
    // An hour after that look, 31 days after the rows: one done and one skipped row per slice of one…
    const later = clock.now() + 31 * DAY + 3_600_000;
    expect(await prune(later)).toBe(2);
    expect(await statuses(db)).toEqual(['done', 'failed', 'pending', 'unknown']);
    // …a full slice means more may be left: the next tick goes on at once, and takes the last done row.
    expect(await prune(later + 1000)).toBe(1);
    expect(await statuses(db)).toEqual(['failed', 'pending', 'unknown']);
    // Nothing left to prune: the next look is an hour away.
    expect(await prune(later + 2000)).toBe(0);
    await db.sql.run('UPDATE OutboxEffect SET status = ? WHERE status = ?', ['done', 'failed']);
    expect(await prune(later + 60_000)).toBe(0);
    expect(await prune(later + 2000 + 3_600_000)).toBe(1);
    expect(await statuses(db)).toEqual(['pending', 'unknown']);
    // What happened is still in the step log and the sent messages.
    expect(await count(db, 'SELECT count(*) AS n FROM StepLog')).toBe(stepLogRows);
    expect(await count(db, 'SELECT count(*) AS n FROM Message')).toBe(6);
  });

  it('a failed pass is logged and tried again in an hour; it never throws into the tick', async () => {
    const db = await openDb();
    const clock = new ManualClock();
    await sixWelcomed(db, clock, 0);
    const failing: SqlClient = {
      ...db.sql,
      run: async (sql, params) => {
        if (sql.startsWith('DELETE')) throw new Error('database is locked');
        return db.sql.run(sql, params);
      },
    };
    const warnings: string[] = [];
    const warnLogger = Object.assign(Object.create(logger), {
      warn: (_: unknown, message: string) => warnings.push(message),
    });
    const broken = outboxPruner({ sql: failing, logger: warnLogger, retentionDays: 30 });
    const later = clock.now() + 31 * DAY;
    expect(await broken(later)).toBe(0);
    expect(warnings).toEqual(['pruning finished outbox rows failed; trying again in an hour']);
    expect(await broken(later + 1000)).toBe(0);
    expect(warnings).toHaveLength(1); // not again before the hour
    expect(await statuses(db)).toHaveLength(6);
  });

  it('the engine prunes by itself from its tick (30 days by default); 0 keeps every row', async () => {
    const kept = await openDb();
    const keptClock = new ManualClock();
    const keeping = await sixWelcomed(kept, keptClock, 0);
    keptClock.advance(400 * DAY);
    await keeping.tick();
    expect(await statuses(kept)).toHaveLength(6);

    const db = await openDb();
    const clock = new ManualClock();
    const engine = await sixWelcomed(db, clock);
    clock.advance(29 * DAY);
    await engine.tick();
    expect(await statuses(db)).toHaveLength(6);
    clock.advance(2 * DAY);
    await engine.tick();
    expect(await statuses(db)).toEqual([]);
    expect(await count(db, 'SELECT count(*) AS n FROM Message')).toBe(6);
  });
});
