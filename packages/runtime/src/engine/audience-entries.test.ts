import { corePackage } from '@siyu/nodes-core';
import { createNodeRegistry } from '@siyu/shared';
import { describe, expect, it } from 'vitest';
import { addCustomers, graphOf, publishJourney } from '../../testing/fixtures.ts';
import { addCustomersPg, publishJourneyPg } from '../../testing/postgres-fixtures.ts';
import type { AppDatabase } from '../db/app-database.ts';
import { freshBackends } from '../db/both-backends.test-helper.ts';
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

describe.each(freshBackends('audience', cleanups))('audience entry runs on %s', (_name, openDb) => {
  /** An audience runner as the engine wires it; `crashOnSlice` throws inside that slice's batch. */
  function runner(db: AppDatabase, crashOnSlice?: number) {
    const store = db.dialect === 'sqlite' ? createSqliteStore(db.sqlite) : createPostgresStore(db.pool);
    const stepper = new Stepper(store, registry);
    const tx = batchRunner(store, stepper, logger);
    const enrol = enrolment({ store, stepper, clock: new ManualClock(), usable: (_j, v) => stepper.compiled(v) });
    let slices = 0;
    return audienceEntries({
      db,
      store,
      batch: (work) => tx(work)(),
      compiled: (versionId) => stepper.compiled(versionId),
      enroll: (journeyId, ids, entryNodeId) => {
        if (++slices === crashOnSlice) throw new Error('process killed');
        return enrol.enrollBatch(journeyId, ids, { entryNodeId });
      },
      logger,
    });
  }

  /** `count` tagged customers and a live journey whose audience entry picks them all. */
  async function members(db: AppDatabase, count: number, reEntry?: { policy: 'always' }) {
    const graph = graphOf(
      [
        ['entry', 'core.audienceEntry', { filter: { conditions: [{ field: 'tags', op: 'hasTag', value: '会员' }] } }],
        ['end', 'core.exit', { reason: 'done' }],
      ],
      [['entry', 'next', 'end']],
      reEntry ? { reEntry } : {},
    );
    if (db.dialect === 'sqlite') {
      addCustomers(db.sqlite, 'c', 0, count);
      publishJourney(db.sqlite, 'blast', graph);
    } else {
      await addCustomersPg(db.pool, 'c', 0, count);
      await publishJourneyPg(db.pool, 'blast', graph);
    }
    await db.sql.run(
      "INSERT INTO CustomerTag (customerId, tag, source, createdAt) SELECT id, '会员', 'import', createdAt FROM Customer",
    );
  }

  const count = async (db: AppDatabase, sql: string) => (await db.sql.get<{ n: number }>(sql))?.n;

  it('enrol a large segment slice by slice and resume after a crash without enrolling anyone twice', async () => {
    const db = await openDb();
    await members(db, 5000, { policy: 'always' }); // three slices of at most 2,000
    const now = Date.UTC(2026, 10, 23);
    await expect(runner(db, 2)(now)).rejects.toThrow('process killed');
    // The first slice is committed and remembered; the second rolled back with the "crash".
    const afterCrash = await db.sql.get<{ matched: number; enrolled: number; cursor: string }>(
      'SELECT matched, enrolled, cursor FROM AudienceRun',
    );
    expect(afterCrash).toMatchObject({ matched: 5000, enrolled: 2000 });
    expect(afterCrash?.cursor).not.toBe('');
    expect(await count(db, 'SELECT count(*) AS n FROM Instance')).toBe(2000);

    const [report] = await runner(db)(now + 1000); // a restarted engine
    expect(report).toMatchObject({ matched: 5000, enrolled: 3000, runEnrolled: 5000 });
    expect(await count(db, 'SELECT count(*) AS n FROM Instance')).toBe(5000);
    expect(
      await count(
        db,
        'SELECT count(*) AS n FROM (SELECT customerId FROM Instance GROUP BY customerId HAVING count(*) > 1) d',
      ),
    ).toBe(0);
    expect(await db.sql.get('SELECT cursor FROM AudienceRun')).toEqual({ cursor: null });
    // Finished: a "once" entry does not run again.
    expect(await runner(db)(now + 2000)).toEqual([]);
  });

  it('goes on slice by slice when given a budget (the engine dispatches between slices)', async () => {
    const db = await openDb();
    await members(db, 4500);
    const run = runner(db);
    const now = Date.UTC(2026, 10, 23);
    const calls = [];
    for (let i = 0; i < 4; i++) calls.push(await run(now, 1));
    expect(calls.map((reports) => reports.map((r) => [r.enrolled, r.runEnrolled, r.finished]))).toEqual([
      [[2000, 2000, false]],
      [[2000, 4000, false]],
      [[500, 4500, true]],
      [],
    ]);
    expect(await count(db, 'SELECT count(*) AS n FROM Instance')).toBe(4500);
  });

  it('two engines on one database enrol each member once', async () => {
    const db = await openDb();
    await members(db, 4500, { policy: 'always' });
    const now = Date.UTC(2026, 10, 23);
    const [a, b] = [runner(db), runner(db)];
    await Promise.all([a(now, 1), b(now, 1)]);
    await Promise.all([a(now), b(now)]);
    expect(await count(db, 'SELECT count(*) AS n FROM Instance')).toBe(4500);
    expect(await db.sql.get('SELECT enrolled, cursor FROM AudienceRun')).toEqual({ enrolled: 4500, cursor: null });
  });
});
