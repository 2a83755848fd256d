// Work notifications on a real PostgreSQL: an engine started with a 10 s poll runs an effect
// written by another batch within milliseconds (NOTIFY with the COMMIT wakes its loop), the
// listener comes back after its connection is killed, and a batch with nothing due announces nothing.
import { createNodeRegistry } from '@siyu/shared';
import { samplePackage } from '@siyu/shared/testing';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { benchmarkJourney } from '../../../../testing/fixtures.ts';
import { addCustomersPg, publishJourneyPg } from '../../../../testing/postgres-fixtures.ts';
import { recordingExecutors } from '../../../../testing/store-engine.ts';
import { openPostgresDatabase, type PostgresDatabase } from '../../../db/postgres-database.ts';
import { postgresDatabaseForFile } from '../../../db/postgres-for-tests.test-helper.ts';
import { createLogger, type Logger } from '../../../logger.ts';
import { ManualClock } from '../../api.ts';
import { createEngine, type DurableEngine } from '../../engine.ts';
import { createPostgresStore } from './postgres-store.ts';
import { listenForWork, WORK_CHANNEL, type WorkListener } from './work-notifier.ts';

const DAY = 86_400_000;
const POLL_MS = 10_000;
const url = postgresDatabaseForFile('work_notify');
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function open(): Promise<PostgresDatabase> {
  const db = await openPostgresDatabase(url());
  cleanups.push(() => db.close());
  return db;
}

async function until(what: string, done: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function listener(onWork: () => void, logger: Logger = createLogger('silent')): WorkListener {
  const l = listenForWork({ url: url(), logger, onWork, backoffMs: 20 });
  cleanups.push(() => l.stop());
  return l;
}

describe('work notifications on PostgreSQL', () => {
  it('two workers polling every 10 s run an effect from an ingested event within well under the poll', async () => {
    const dbs = [await open(), await open()];
    const [first] = dbs as [PostgresDatabase];
    await publishJourneyPg(first.pool, 'j1', benchmarkJourney());
    const [customer] = (await addCustomersPg(first.pool, 'c', 0, 1)) as [string];
    const clock = new ManualClock();
    const calls: string[] = [];
    const ranAt = new Map<string, number>();
    const registry = createNodeRegistry([samplePackage]);
    const engines = dbs.map((db, i) =>
      createEngine({
        db,
        registry,
        executors: recordingExecutors(calls, { onCall: (key) => ranAt.set(key, Date.now()) }),
        clock,
        logger: createLogger('silent'),
        workerId: `worker-${i}`,
        pollMs: POLL_MS,
      }),
    );
    const [a, b] = engines as [DurableEngine, DurableEngine];
    cleanups.push(() => Promise.all(engines.map((e) => e.stop())));
    // To the wait for an order: welcome (and the tag in its result's step), a day, the coupon.
    await a.enroll('j1', customer);
    await a.tick();
    clock.advance(DAY);
    await a.tick();
    expect(calls).toHaveLength(2);

    a.start();
    b.start();
    // Both first ticks (run at start) end and both loops sleep for the 10 s poll.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const ingestedAt = Date.now();
    const outcome = await a.ingestEvent({
      id: 'o-1',
      type: 'order.placed',
      customerId: customer,
      occurredAt: new Date(clock.now()),
    });
    expect(outcome).toMatchObject({ status: 'accepted', delivered: 1 });
    await until('the thank-you message to run', () => calls.some((k) => k.includes(':thanks:')), POLL_MS / 2);
    const key = calls.find((k) => k.includes(':thanks:')) as string;
    const latencyMs = (ranAt.get(key) as number) - ingestedAt;
    console.log(`event → effect with a ${POLL_MS} ms poll, woken by NOTIFY: ${latencyMs} ms`);
    expect(latencyMs).toBeLessThan(POLL_MS / 5);
    expect(new Set(calls).size).toBe(calls.length); // each effect once
  });

  it('the listener reconnects after its connection is terminated and wakes again', async () => {
    const db = await open();
    let woken = 0;
    const logged: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => logged.push(JSON.parse(line).msg) });
    const l = listener(() => woken++, logger);
    await l.ready();
    const pid = l.pid as number;
    await db.pool.query(`NOTIFY ${WORK_CHANNEL}`);
    await until('the first wake', () => woken === 1);

    await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
    await until('a new listening connection', () => l.pid !== undefined && l.pid !== pid);
    // Reconnecting wakes once (work may have been announced while it was down), then on notifications.
    await until('the catch-up wake', () => woken === 2);
    await db.pool.query(`NOTIFY ${WORK_CHANNEL}`);
    await until('a wake after the reconnect', () => woken === 3);
    expect(logged).toEqual([
      'work notifications: the LISTEN connection dropped; reconnecting (polling covers the gap)',
      'work notifications: listening again',
    ]);
  });

  it('a batch that writes work due now notifies once; one that writes nothing due does not', async () => {
    const db = await open();
    await publishJourneyPg(db.pool, 'j2', benchmarkJourney());
    const ids = await addCustomersPg(db.pool, 'n', 0, 3);
    let woken = 0;
    const l = listener(() => woken++);
    await l.ready();
    const store = createPostgresStore(db.pool, { notifyWithinMs: 250 });
    const quiet = async (what: string) => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(woken, what).toBe(0);
    };

    await store.batch(() => store.claimDueEffects(Date.now(), 10)); // reads only
    await quiet('a batch that wrote nothing');

    const clock = new ManualClock();
    const engine = createEngine({
      db,
      registry: createNodeRegistry([samplePackage]),
      executors: recordingExecutors([]),
      clock,
      logger: createLogger('silent'),
      pollMs: 250,
    });
    cleanups.push(() => engine.stop());
    await engine.enrollMany('j2', ids); // three welcome messages due now: one batch, one wake
    await until('the wake', () => woken >= 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(woken).toBe(1);
    woken = 0;
    // Runs the messages, whose outcomes' steps apply the tags and write only the waits' timers, a
    // day away: no wake.
    await engine.tick();
    await quiet('outcomes that write only timers a day away');
    await engine.tick(); // nothing due
    await quiet('a tick with nothing due');
  });
});
