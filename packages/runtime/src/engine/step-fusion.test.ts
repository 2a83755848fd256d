import { describe, expect, it } from 'vitest';
import { addCustomers, graphOf, publishJourney } from '../../testing/fixtures.ts';
import { one, q, setup } from './engine.test-helper.ts';

describe('a first step that cannot be computed', () => {
  it('a customer update that throws or names an unknown port fails only that run, naming the node; nothing of the step is written', async () => {
    const { db, engine } = await setup();
    const journey = (mode: string) =>
      graphOf(
        [
          ['entry', 'sample.apiEntry', {}],
          ['tag', 'sample.tag', { add: ['seen'] }],
          ['bad', 'testonly.badUpdate', { mode }],
          ['done', 'sample.exit', {}],
        ],
        [
          ['entry', 'next', 'tag'],
          ['tag', 'next', 'bad'],
          ['bad', 'next', 'done'],
        ],
      );
    publishJourney(db.sqlite, 'throws', journey('throw'));
    publishJourney(db.sqlite, 'port', journey('port'));
    addCustomers(db.sqlite, 'c', 0, 3);
    await engine.enrollMany('throws', ['c0', 'c1']);
    await engine.enrollMany('port', ['c2']);

    expect(q(db, 'SELECT customerId, status, exitReason FROM Instance ORDER BY customerId')).toEqual([
      {
        customerId: 'c0',
        status: 'failed',
        exitReason: 'error: node bad (testonly.badUpdate): customer update failed: boom',
      },
      {
        customerId: 'c1',
        status: 'failed',
        exitReason: 'error: node bad (testonly.badUpdate): customer update failed: boom',
      },
      {
        customerId: 'c2',
        status: 'failed',
        exitReason: 'error: node bad (testonly.badUpdate): customer update chose unknown port "nowhere"',
      },
    ]);
    // The step that would have applied the tag before the bad node was not written: no tag, no outbox row.
    expect(one(db, 'SELECT count(*) n FROM CustomerTag').n).toBe(0);
    expect(one(db, 'SELECT count(*) n FROM OutboxEffect').n).toBe(0);
  });

  it('a decide that throws on the entry step fails that customer alone, not the enrolment batch', async () => {
    const { db, engine } = await setup();
    publishJourney(
      db.sqlite,
      'j',
      graphOf(
        [
          ['entry', 'sample.apiEntry', {}],
          ['flaky', 'testonly.flaky', {}],
          ['done', 'sample.exit', {}],
        ],
        [
          ['entry', 'next', 'flaky'],
          ['flaky', 'next', 'done'],
        ],
      ),
    );
    addCustomers(db.sqlite, 'c', 2, 5); // the flaky node throws for c3
    const outcomes = await engine.enrollMany('j', ['c2', 'c3', 'c4']);
    expect(outcomes.map((o) => o.status)).toEqual(['enrolled', 'enrolled', 'enrolled']);
    expect(q(db, 'SELECT customerId, status, exitReason FROM Instance ORDER BY customerId')).toEqual([
      { customerId: 'c2', status: 'exited', exitReason: 'node:done' },
      { customerId: 'c3', status: 'failed', exitReason: 'error: decide blew up' },
      { customerId: 'c4', status: 'exited', exitReason: 'node:done' },
    ]);
    expect(q(db, "SELECT kind, detail FROM StepLog WHERE kind = 'error'")).toEqual([
      { kind: 'error', detail: JSON.stringify({ error: 'decide blew up', cause: 'enter' }) },
    ]);
  });
});
