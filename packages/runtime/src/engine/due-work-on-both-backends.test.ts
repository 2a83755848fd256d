// The look the engine's loop takes before claiming (store.dueWork), on SQLite and PostgreSQL: it
// says a kind is due exactly when a claim of it would find something, so the loop never skips work
// by asking first (and on SQLite, where an empty claim still cost a transaction, asks instead).
import { createNodeRegistry } from '@siyu/shared';
import { samplePackage } from '@siyu/shared/testing';
import { describe, expect, it } from 'vitest';
import { graphOf } from '../../testing/fixtures.ts';
import { sampleExecutorsOn } from '../../testing/sample-nodes.ts';
import { seedEither } from '../../testing/seed-either.ts';
import { freshBackends } from '../db/both-backends.test-helper.ts';
import { cleanupAfterEach } from '../db/scratch-database.test-helper.ts';
import { createLogger } from '../logger.ts';
import { ManualClock } from './api.ts';
import { createEngine } from './engine.ts';
import { createPostgresStore } from './store/postgres/postgres-store.ts';
import { createSqliteStore } from './store/sqlite/sqlite-store.ts';

const DAY = 86_400_000;
const welcome = graphOf(
  [
    ['entry', 'sample.apiEntry', {}],
    ['hello', 'sample.send', { text: '欢迎' }],
  ],
  [['entry', 'next', 'hello']],
);
const waitADay = graphOf(
  [
    ['entry', 'sample.apiEntry', {}],
    ['wait', 'sample.wait', { duration: { amount: 1, unit: 'days' } }],
    ['bye', 'sample.exit', {}],
  ],
  [
    ['entry', 'next', 'wait'],
    ['wait', 'next', 'bye'],
  ],
);

const cleanups = cleanupAfterEach();

describe.each(freshBackends('due-work', cleanups))('what is due, asked before claiming, on %s', (_name, openDb) => {
  it('is due exactly when a claim would find work: pending and due effects, timers past due', async () => {
    const db = await openDb();
    const clock = new ManualClock();
    await seedEither(db, { welcome, wait: waitADay }, { prefix: 'c', from: 0, to: 4 });
    const engine = createEngine({
      db,
      registry: createNodeRegistry([samplePackage]),
      executors: sampleExecutorsOn(db),
      clock,
      logger: createLogger('silent'),
    });
    cleanups.push(() => engine.stop());
    const store = db.dialect === 'sqlite' ? createSqliteStore(db.sqlite) : createPostgresStore(db.pool);
    const due = (at = clock.now()) => store.dueWork?.(at);

    expect(await due()).toEqual({ timers: false, effects: false });
    // Enrolled, not yet ticked: the welcomes wait in the outbox, due now; the day's timers are not due.
    await engine.enrollMany('welcome', ['c0', 'c1']);
    await engine.enrollMany('wait', ['c2', 'c3']);
    expect(await due()).toEqual({ timers: false, effects: true });
    expect(await due(clock.now() + DAY)).toEqual({ timers: true, effects: true });
    // Sent: nothing pending; the timers come due with the day.
    await engine.tick();
    expect(await db.sql.get<{ n: number }>('SELECT count(*) AS n FROM Message')).toMatchObject({ n: 2 });
    expect(await due()).toEqual({ timers: false, effects: false });
    clock.advance(DAY);
    expect(await due()).toEqual({ timers: true, effects: false });
    await engine.tick();
    expect(await due()).toEqual({ timers: false, effects: false });
    const ended = await db.sql.get<{ n: number }>(
      "SELECT count(*) AS n FROM Instance WHERE journeyId = 'wait' AND status = 'exited'",
    );
    expect(Number(ended?.n)).toBe(2);
  });
});
