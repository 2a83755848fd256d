// createEngine itself (not only its core) over a PostgresDatabase: two engines on one database,
// as two worker processes, run a journey with a message, a wait and a coupon without doing any
// effect twice. Executors are the recording ones (testing/store-engine.ts): a key seen twice is an
// effect dispatched twice.
import { createNodeRegistry } from '@siyu/shared';
import { samplePackage } from '@siyu/shared/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { benchmarkJourney } from '../../testing/fixtures.ts';
import { addCustomersPg, publishJourneyPg } from '../../testing/postgres-fixtures.ts';
import { recordingExecutors } from '../../testing/store-engine.ts';
import { openPostgresDatabase, type PostgresDatabase } from '../db/postgres-database.ts';
import { postgresDatabaseForFile } from '../db/postgres-for-tests.test-helper.ts';
import { createLogger } from '../logger.ts';
import { ManualClock } from './api.ts';
import { createEngine, type DurableEngine } from './engine.ts';

const DAY = 86_400_000;
const url = postgresDatabaseForFile('engine_pg');
const open: PostgresDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.close();
});

describe('createEngine on PostgreSQL', () => {
  it('two engines on one database run a journey with a message, a wait and a coupon, each effect once', async () => {
    const dbs = [await openPostgresDatabase(url()), await openPostgresDatabase(url())];
    open.push(...dbs);
    const [first] = dbs as [PostgresDatabase];
    await publishJourneyPg(first.pool, 'j1', benchmarkJourney());
    const ids = await addCustomersPg(first.pool, 'c', 0, 300);
    const clock = new ManualClock();
    const calls: string[] = [];
    const registry = createNodeRegistry([samplePackage]);
    const engines: DurableEngine[] = dbs.map((db, i) =>
      createEngine({
        db,
        registry,
        executors: recordingExecutors(calls),
        clock,
        logger: createLogger('silent'),
        workerId: `worker-${i}`,
      }),
    );
    const [a, b] = engines as [DurableEngine, DurableEngine];
    // Each worker enrols half (an import split over two processes); both then work everything due.
    const outcomes = await Promise.all([a.enrollMany('j1', ids.slice(0, 150)), b.enrollMany('j1', ids.slice(150))]);
    expect(outcomes.flat().filter((o) => o.status === 'enrolled')).toHaveLength(300);
    const both = async () => {
      const [x, y] = await Promise.all([a.tick(), b.tick()]);
      return { timers: x.timersFired + y.timersFired, effects: x.effectsRun + y.effectsRun };
    };
    // The welcome message once each (the tag after it is applied in its result's step).
    expect((await both()).effects).toBe(300);
    clock.advance(DAY);
    const afterWait = await both();
    expect(afterWait.timers).toBe(300);
    expect(afterWait.effects).toBe(300); // the coupon
    // Both workers claimed some of the work (SKIP LOCKED and leases share it out).
    const byWorker = await first.sql.all<{ claimedBy: string; n: number }>(
      'SELECT claimedBy, count(*) AS n FROM OutboxEffect GROUP BY claimedBy ORDER BY claimedBy',
    );
    expect(byWorker.length).toBeGreaterThanOrEqual(1);

    expect(new Set(calls).size).toBe(calls.length);
    expect(calls).toHaveLength(600);
    const effects = await first.sql.all<{ nodeType: string; status: string; n: number }>(
      'SELECT nodeType, status, count(*) AS n FROM OutboxEffect GROUP BY nodeType, status ORDER BY nodeType',
    );
    expect(effects).toEqual([
      { nodeType: 'sample.coupon', status: 'done', n: 300 },
      { nodeType: 'sample.send', status: 'done', n: 300 },
    ]);
    expect((await first.sql.get<{ n: number }>("SELECT count(*) AS n FROM CustomerTag WHERE tag = 'new'"))?.n).toBe(300);
    const runs = await first.sql.all<{ nodeId: string; n: number }>(
      "SELECT nodeId, count(*) AS n FROM Instance WHERE status = 'active' GROUP BY nodeId",
    );
    expect(runs).toEqual([{ nodeId: 'waitOrder', n: 300 }]);
    await Promise.all(engines.map((e) => e.stop()));
  });
});
