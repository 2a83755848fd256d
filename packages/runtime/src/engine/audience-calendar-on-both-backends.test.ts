import { corePackage } from '@siyu/nodes-core';
import { createNodeRegistry } from '@siyu/shared';
import { describe, expect, it } from 'vitest';
import { addCustomers, graphOf, publishJourney } from '../../testing/fixtures.ts';
import { addCustomersPg, publishJourneyPg } from '../../testing/postgres-fixtures.ts';
import type { AppDatabase } from '../db/app-database.ts';
import { freshBackends } from '../db/both-backends.test-helper.ts';
import { isoDate } from '../db/iso-date.ts';
import { cleanupAfterEach } from '../db/scratch-database.test-helper.ts';
import { createLogger } from '../logger.ts';
import { ManualClock } from './api.ts';
import { audienceEntries } from './audience-entries.ts';
import { batchRunner } from './batch-runner.ts';
import { enrolment } from './enrolment.ts';
import { Stepper } from './stepper.ts';
import { createPostgresStore } from './store/postgres/postgres-store.ts';
import { createSqliteStore } from './store/sqlite/sqlite-store.ts';

const registry = createNodeRegistry([corePackage]);
const logger = createLogger('silent');
const cleanups = cleanupAfterEach();

/** 08:00 in Shanghai on 23 November 2026: the journey is published then. */
const PUBLISHED = Date.UTC(2026, 10, 23, 0, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 10:00 in Shanghai on the day `d` after publishing. */
const tenOclock = (d: number) => PUBLISHED + d * DAY + 2 * HOUR;

describe.each(freshBackends('calendar', cleanups))('calendar audience entries on %s', (_name, openDb) => {
  function runner(db: AppDatabase) {
    const store = db.dialect === 'sqlite' ? createSqliteStore(db.sqlite) : createPostgresStore(db.pool);
    const stepper = new Stepper(store, registry);
    const tx = batchRunner(store, stepper, logger);
    const enrol = enrolment({ store, stepper, clock: new ManualClock(), usable: (_j, v) => stepper.compiled(v) });
    return audienceEntries({
      db,
      store,
      batch: (work) => tx(work)(),
      compiled: (versionId) => stepper.compiled(versionId),
      enroll: (journeyId, ids, entryNodeId) => enrol.enrollBatch(journeyId, ids, { entryNodeId }),
      logger,
    });
  }

  /** A live journey enrolling tagged members daily at 10:00 Shanghai time; they then wait 30 days. */
  async function dailyJourney(db: AppDatabase, members: number) {
    const graph = graphOf(
      [
        [
          'entry',
          'core.audienceEntry',
          {
            filter: { conditions: [{ field: 'tags', op: 'hasTag', value: '会员' }] },
            schedule: 'calendar',
            calendar: { repeat: 'daily', time: '10:00', timeZone: 'Asia/Shanghai' },
          },
        ],
        ['hold', 'core.wait', { duration: { amount: 30, unit: 'days' } }],
      ],
      [['entry', 'next', 'hold']],
      // Re-entry "always": only the calendar's own rule (members already in are left) holds them back.
      { reEntry: { policy: 'always' } },
    );
    if (db.dialect === 'sqlite') {
      addCustomers(db.sqlite, 'c', 0, members);
      publishJourney(db.sqlite, 'daily', graph);
    } else {
      await addCustomersPg(db.pool, 'c', 0, members);
      await publishJourneyPg(db.pool, 'daily', graph);
    }
    await db.sql.run('UPDATE JourneyVersion SET publishedAt = ?', [isoDate(PUBLISHED)]);
    await tag(db);
  }

  const tag = (db: AppDatabase) =>
    db.sql.run(
      `INSERT INTO CustomerTag (customerId, tag, source, createdAt) SELECT id, '会员', 'import', createdAt FROM Customer
       WHERE id NOT IN (SELECT customerId FROM CustomerTag)`,
    );
  const count = async (db: AppDatabase, sql: string) => Number((await db.sql.get<{ n: number }>(sql))?.n);

  it('runs at each run time once, enrolling members not already in, and after downtime once', async () => {
    const db = await openDb();
    await dailyJourney(db, 30);
    const run = runner(db);
    expect(await run(tenOclock(0) - 60_000)).toEqual([]); // 09:59: not yet
    expect(await run(tenOclock(0))).toMatchObject([{ matched: 30, enrolled: 30, finished: true }]);
    expect(await run(tenOclock(0) + HOUR)).toEqual([]); // the same run time is not run twice

    // Five new members; at the next day's 10:00 only they enter (the 30 are still waiting inside).
    if (db.dialect === 'sqlite') addCustomers(db.sqlite, 'd', 0, 5);
    else await addCustomersPg(db.pool, 'd', 0, 5);
    await tag(db);
    expect(await run(tenOclock(1) + 5 * 60_000)).toMatchObject([{ matched: 5, enrolled: 5 }]);
    expect(await count(db, 'SELECT count(*) AS n FROM Instance')).toBe(35);

    // Down from day 1 to day 5 at 13:00: the missed run times (days 2–5) make one run, not four.
    await db.sql.run("UPDATE Instance SET status = 'completed'"); // everyone has left: all may enter again
    expect(await run(tenOclock(5) + 3 * HOUR)).toMatchObject([{ matched: 35, enrolled: 35 }]);
    expect(await run(tenOclock(5) + 4 * HOUR)).toEqual([]);
    expect(await count(db, 'SELECT count(*) AS n FROM Instance')).toBe(70);
    const state = await db.sql.get<{ occurrenceAt: string }>('SELECT occurrenceAt FROM AudienceRun');
    expect(state?.occurrenceAt).toBe(new Date(tenOclock(5)).toISOString());
  });

  it('does not run a run time from before the journey was published', async () => {
    const db = await openDb();
    await dailyJourney(db, 3);
    // Published at 08:00 on day 0; yesterday's 10:00 is in the past and is not made up.
    expect(await runner(db)(PUBLISHED + HOUR)).toEqual([]);
  });

  it('two engines on one database run each run time once', async () => {
    const db = await openDb();
    await dailyJourney(db, 50);
    const [a, b] = [runner(db), runner(db)];
    const first = await Promise.all([a(tenOclock(0)), b(tenOclock(0))]);
    expect(first.flat().filter((r) => r.finished)).toHaveLength(1);
    await db.sql.run("UPDATE Instance SET status = 'completed'");
    const second = await Promise.all([a(tenOclock(1)), b(tenOclock(1) + 1000)]);
    expect(second.flat().filter((r) => r.finished)).toHaveLength(1);
    expect(await count(db, 'SELECT count(*) AS n FROM Instance')).toBe(100);
    expect(
      await count(
        db,
        `SELECT count(*) AS n FROM (SELECT customerId FROM Instance WHERE status = 'active'
         GROUP BY customerId HAVING count(*) > 1) d`,
      ),
    ).toBe(0);
  });
});
