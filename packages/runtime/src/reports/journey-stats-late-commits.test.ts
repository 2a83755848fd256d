// PostgreSQL hands out StepLog ids when a row is inserted, not when its transaction commits: a
// batch holding id 1 may commit after another batch's id 2, and after a roll-up has looked. These
// tests hold a transaction open on a second connection, as a worker's batch does, and check that the
// roll-up counts its row once it commits (SQLite has one writer at a time: ids commit in order).
import type pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPostgresDatabase, type PostgresDatabase } from '../db/postgres-database.ts';
import { postgresDatabaseForFile } from '../db/postgres-for-tests.test-helper.ts';
import { rollUpStepCounts } from './journey-stats.ts';

const databaseUrl = postgresDatabaseForFile('reports_late_commits');
let db: PostgresDatabase;
let held: pg.PoolClient[];

beforeEach(async () => {
  db = await openPostgresDatabase(databaseUrl(), { poolSize: 6 });
  await db.pool.query('TRUNCATE "StepLog", "StepCount", "StatsWatermark" RESTART IDENTITY');
  held = [];
});
afterEach(async () => {
  for (const client of held) {
    await client.query('ROLLBACK').catch(() => {});
    client.release();
  }
  await db.close();
});

const INSERT_STEP = `INSERT INTO "StepLog" ("instanceId", "journeyId", "versionId", at, kind, "nodeId", "fromNodeId")
  VALUES ($1, 'j', 'v', 0, 'move', 'b', 'a') RETURNING id`;

/** A batch on its own connection: its step row is inserted (its id taken) and not yet committed. */
async function openBatchWithStep(
  instanceId: number,
): Promise<{ id: number; commit: () => Promise<void>; rollBack: () => Promise<void> }> {
  const client = await db.pool.connect();
  held.push(client);
  await client.query('BEGIN');
  const { rows } = await client.query<{ id: number }>(INSERT_STEP, [instanceId]);
  return {
    id: Number(rows[0]?.id),
    commit: async () => void (await client.query('COMMIT')),
    rollBack: async () => void (await client.query('ROLLBACK')),
  };
}

const visitsAtB = async () =>
  Number(
    (
      await db.sql.get<{ n: number | null }>(
        "SELECT sum(count) AS n FROM StepCount WHERE kind = 'visit' AND nodeId = 'b'",
      )
    )?.n ?? 0,
  );

describe('rollUpStepCounts on PostgreSQL, transactions committing out of id order', () => {
  it('counts a row whose transaction commits after a later id was committed and rolled up', async () => {
    const early = await openBatchWithStep(1);
    const late = await openBatchWithStep(2);
    expect(late.id).toBeGreaterThan(early.id);
    await late.commit();
    await rollUpStepCounts(db.sql);
    await early.commit();
    await rollUpStepCounts(db.sql);
    expect(await visitsAtB()).toBe(2);
    // Counted once: more roll-ups add nothing.
    expect(await rollUpStepCounts(db.sql)).toBe(0);
    expect(await visitsAtB()).toBe(2);
  });

  it('keeps counting while batches overlap without a pause (one is always open)', async () => {
    // Batch A is open while row 2 commits; then B opens before A commits, and so on: at no roll-up
    // is the database free of open transactions, yet every committed row is counted a roll-up later.
    const a = await openBatchWithStep(1);
    await (await openBatchWithStep(2)).commit();
    await rollUpStepCounts(db.sql);
    const b = await openBatchWithStep(3);
    await a.commit();
    await (await openBatchWithStep(4)).commit();
    await rollUpStepCounts(db.sql);
    // Rows 1 and 2 were taken before the first roll-up, and every batch open then has ended.
    expect(await visitsAtB()).toBe(2);
    await b.commit();
    await rollUpStepCounts(db.sql);
    expect(await visitsAtB()).toBe(4);
  });

  it('never counts a row whose transaction rolled back, and moves past its id', async () => {
    const undone = await openBatchWithStep(1);
    await (await openBatchWithStep(2)).commit();
    await rollUpStepCounts(db.sql);
    await undone.rollBack();
    await rollUpStepCounts(db.sql);
    expect(await visitsAtB()).toBe(1);
    await (await openBatchWithStep(3)).commit();
    await rollUpStepCounts(db.sql);
    expect(await visitsAtB()).toBe(2);
  });
});
