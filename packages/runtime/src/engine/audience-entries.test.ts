import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corePackage } from '@siyu/nodes-core';
import { createNodeRegistry, type JourneyGraph } from '@siyu/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addCustomers, graphOf, publishJourney } from '../../testing/fixtures.ts';
import { type Database, openDatabase } from '../db/database.ts';
import { createLogger } from '../logger.ts';
import { type EnrollOutcome, ManualClock } from './api.ts';
import { audienceEntries } from './audience-entries.ts';
import { compileJourney } from './compiler.ts';
import { createEngine, type DurableEngine } from './engine.ts';

const registry = createNodeRegistry([corePackage]);
const logger = createLogger('silent');
let dir: string;
let db: Database;
let engine: DurableEngine;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'siyu-audience-'));
  db = await openDatabase(join(dir, 'test.db'));
  engine = createEngine({ db, registry, executors: [], clock: new ManualClock(), logger });
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** An audience runner as the engine wires it; `crashOnSlice` throws inside that slice's transaction. */
function runner(crashOnSlice?: number) {
  let slices = 0;
  return audienceEntries({
    sqlite: db.sqlite,
    compiled: (versionId) => {
      const row = db.sqlite.prepare('SELECT graph FROM JourneyVersion WHERE id = ?').get(versionId) as {
        graph: string;
      };
      return compileJourney(versionId, JSON.parse(row.graph) as JourneyGraph, registry);
    },
    enroll: (journeyId, ids, entryNodeId) => {
      if (++slices === crashOnSlice) throw new Error('process killed');
      // Audience entries run inside SQLite's synchronous transaction, where enrolment answers at once.
      return engine.enrollMany(journeyId, ids, { entryNodeId }) as EnrollOutcome[];
    },
    logger,
  });
}

/** `count` tagged customers and a live journey whose audience entry picks them all. */
function members(count: number, reEntry?: { policy: 'always' }) {
  addCustomers(db.sqlite, 'c', 0, count);
  db.sqlite.exec(
    "INSERT INTO CustomerTag (customerId, tag, source, createdAt) SELECT id, '会员', 'import', createdAt FROM Customer",
  );
  publishJourney(
    db.sqlite,
    'blast',
    graphOf(
      [
        ['entry', 'core.audienceEntry', { filter: { conditions: [{ field: 'tags', op: 'hasTag', value: '会员' }] } }],
        ['end', 'core.exit', { reason: 'done' }],
      ],
      [['entry', 'next', 'end']],
      reEntry ? { reEntry } : {},
    ),
  );
}

describe('audience entry runs', () => {
  it('enrol a large segment slice by slice and resume after a crash without enrolling anyone twice', () => {
    members(5000, { policy: 'always' }); // three slices of at most 2,000
    const now = Date.UTC(2026, 10, 23);
    expect(() => runner(2)(now)).toThrow('process killed');
    // The first slice is committed and remembered; the second rolled back with the "crash".
    const afterCrash = db.sqlite.prepare('SELECT matched, enrolled, cursor FROM AudienceRun').get() as {
      matched: number;
      enrolled: number;
      cursor: string;
    };
    expect(afterCrash).toMatchObject({ matched: 5000, enrolled: 2000 });
    expect(afterCrash.cursor).not.toBe('');
    const count = () => (db.sqlite.prepare('SELECT count(*) n FROM Instance').get() as { n: number }).n;
    expect(count()).toBe(2000);

    const [report] = runner()(now + 1000); // a restarted engine
    expect(report).toMatchObject({ matched: 5000, enrolled: 3000, runEnrolled: 5000 });
    expect(count()).toBe(5000);
    expect(
      db.sqlite
        .prepare('SELECT count(*) n FROM (SELECT customerId FROM Instance GROUP BY customerId HAVING count(*) > 1)')
        .get(),
    ).toEqual({ n: 0 });
    expect(db.sqlite.prepare('SELECT cursor FROM AudienceRun').get()).toEqual({ cursor: null });
    // Finished: a "once" entry does not run again.
    expect(runner()(now + 2000)).toEqual([]);
  });

  it('goes on slice by slice when given a budget (the engine dispatches between slices)', () => {
    members(4500);
    const run = runner();
    const now = Date.UTC(2026, 10, 23);
    const calls = [run(now, 1), run(now, 1), run(now, 1), run(now, 1)];
    expect(calls.map((reports) => reports.map((r) => [r.enrolled, r.runEnrolled, r.finished]))).toEqual([
      [[2000, 2000, false]],
      [[2000, 4000, false]],
      [[500, 4500, true]],
      [],
    ]);
    expect((db.sqlite.prepare('SELECT count(*) n FROM Instance').get() as { n: number }).n).toBe(4500);
  });
});
