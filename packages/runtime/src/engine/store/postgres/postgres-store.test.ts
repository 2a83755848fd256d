import { createNodeRegistry } from '@siyu/shared';
import { samplePackage } from '@siyu/shared/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { benchmarkJourney } from '../../../../testing/fixtures.ts';
import { type Backend, postgresBackend, sqliteBackend } from '../../../../testing/store-backends.ts';
import { recordingExecutors, storeEngine } from '../../../../testing/store-engine.ts';
import { postgresDatabaseForFile } from '../../../db/postgres-for-tests.test-helper.ts';
import { ManualClock } from '../../api.ts';
import type { PostgresEngineStore } from './postgres-store.ts';

const DAY = 86_400_000;
const registry = createNodeRegistry([samplePackage]);
const postgresUrl = postgresDatabaseForFile('engine_store');
let backend: Backend | undefined;
afterEach(async () => {
  await backend?.close();
  backend = undefined;
});

const count = async (b: Backend, sql: string, ...params: unknown[]) => Number((await b.rows(sql, ...params))[0]?.n);

/** Each instance's step log as one line of kind@node, oldest first. */
async function stepLines(b: Backend): Promise<Map<number, string>> {
  const lines = new Map<number, string[]>();
  for (const r of await b.rows('SELECT "instanceId", kind, "nodeId" FROM "StepLog" ORDER BY id'))
    lines.set(Number(r.instanceId), [...(lines.get(Number(r.instanceId)) ?? []), `${r.kind}@${r.nodeId}`]);
  return new Map([...lines].map(([id, l]) => [id, l.join(' ')]));
}

describe.each([
  ['SQLite', sqliteBackend],
  ['PostgreSQL', () => postgresBackend(postgresUrl())],
] as const)('engine store on %s', (_name, open) => {
  it('runs the benchmark journey: enrols once, sends once, fires timers durably, ends everyone', async () => {
    backend = await open();
    const clock = new ManualClock();
    const calls: string[] = [];
    const engine = storeEngine(backend.store(), registry, recordingExecutors(calls), clock);
    await backend.publish('j1', benchmarkJourney());
    const ids = await backend.customers('c', 0, 40);

    expect((await engine.enrollMany('j1', ids)).every((o) => o.status === 'enrolled')).toBe(true);
    // Re-entry "once": the same customers again in one batch are all skipped.
    expect(new Set((await engine.enrollMany('j1', [...ids, 'ghost'])).map((o) => o.status))).toEqual(
      new Set(['skipped']),
    );
    // The welcome; the tag after it is applied in the step that takes the welcome's result.
    expect((await engine.drain()).effectsRun).toBe(40);
    expect(await count(backend, `SELECT count(*) n FROM "CustomerTag" WHERE tag = 'new'`)).toBe(40);
    expect(
      await count(backend, `SELECT count(*) n FROM "Instance" WHERE "nodeId" = 'wait1d' AND status = 'active'`),
    ).toBe(40);
    expect(await count(backend, 'SELECT count(*) n FROM "Timer"')).toBe(40);

    clock.advance(DAY - 1);
    expect((await engine.drain()).timersFired).toBe(0);
    clock.advance(1);
    const day = await engine.drain();
    expect(day).toMatchObject({ timersFired: 40, effectsRun: 40 }); // the coupon
    expect(await count(backend, `SELECT count(*) n FROM "Instance" WHERE "nodeId" = 'waitOrder'`)).toBe(40);

    // Half of them order within the week (one batch; one id twice, one for an unknown customer).
    const order = (id: string) => ({
      id: `o-${id}`,
      type: 'order.placed',
      customerId: id,
      occurredAt: new Date(clock.now()),
    });
    const orders = await engine.ingestMany([...ids.slice(0, 20).map(order), order('c0'), order('ghost')]);
    expect(orders.filter((o) => o.status === 'accepted' && o.delivered === 1)).toHaveLength(20);
    expect(orders.slice(20).map((o) => o.status)).toEqual(['duplicate', 'rejected']);
    expect(await count(backend, 'SELECT count(*) n FROM "Order"')).toBe(20);
    // A new customer known only by a phone number is created and stored with the event.
    const scan = await engine.ingestMany([
      {
        id: 'new-1',
        type: 'profile.updated',
        identities: { phone: '+8613900000001' },
        occurredAt: new Date(clock.now()),
      },
    ]);
    expect(scan[0]).toMatchObject({ status: 'accepted', delivered: 0 });
    expect(await count(backend, `SELECT count(*) n FROM "CustomerIdentity" WHERE value = '+8613900000001'`)).toBe(1);
    // The orders' steps applied the repurchase tag; the thank-you messages after it are left.
    expect(await count(backend, `SELECT count(*) n FROM "CustomerTag" WHERE tag = 'repurchase'`)).toBe(20);
    expect((await engine.drain()).effectsRun).toBe(20);

    clock.advance(7 * DAY);
    expect((await engine.drain()).timersFired).toBe(20);
    expect(
      await backend.rows(
        'SELECT status, "exitReason", count(*) n FROM "Instance" GROUP BY status, "exitReason" ORDER BY status',
      ),
    ).toEqual([
      { status: 'completed', exitReason: null, n: 20 },
      { status: 'exited', exitReason: 'node:exit', n: 20 },
    ]);
    expect(await count(backend, 'SELECT count(*) n FROM "Timer"')).toBe(0);
    expect(await count(backend, `SELECT count(*) n FROM "OutboxEffect" WHERE status != 'done'`)).toBe(0);
    expect(calls).toHaveLength(100); // welcome and coupon each, 20 thank-you messages: once each
    expect(new Set(calls).size).toBe(100);
    // The customers who ordered took one path, the others another, step by step.
    expect(new Set((await stepLines(backend)).values()).size).toBe(2);
  });

  it('moves waiting customers to a new version in one batch, their timers with them', async () => {
    backend = await open();
    const clock = new ManualClock();
    const engine = storeEngine(backend.store(), registry, recordingExecutors([]), clock);
    await backend.publish('j1', benchmarkJourney());
    await engine.enrollMany('j1', await backend.customers('c', 0, 10));
    await engine.drain();
    await backend.publish('j1', benchmarkJourney(), 2);
    expect(await engine.migrateInstances('j1', 'j1-v2', { wait1d: 'wait1d' })).toEqual({ moved: 10 });
    expect(await count(backend, `SELECT count(*) n FROM "Instance" WHERE "versionId" = 'j1-v2'`)).toBe(10);
    expect(await count(backend, 'SELECT count(*) n FROM "Timer"')).toBe(10);
    clock.advance(86_400_000);
    expect((await engine.drain()).timersFired).toBe(10);
    expect(await count(backend, `SELECT count(*) n FROM "Instance" WHERE "nodeId" = 'waitOrder'`)).toBe(10);
  });
});

describe('engine store on PostgreSQL: round trips', () => {
  it('an idle drain is one statement; a batch sends BEGIN with its first read and COMMIT with its writes', async () => {
    backend = await postgresBackend(postgresUrl());
    const store = backend.store() as PostgresEngineStore;
    const calls: string[] = [];
    const engine = storeEngine(store, registry, recordingExecutors(calls), new ManualClock());
    await backend.publish('j1', benchmarkJourney());
    const ids = await backend.customers('c', 0, 5);
    const trips = async (work: () => Promise<unknown>) => {
      const before = store.roundTrips;
      await work();
      return store.roundTrips - before;
    };
    // Nothing due: one look, no transaction.
    expect(await trips(() => engine.drain())).toBe(1);
    // BEGIN + journeys + the locked customers, their runs, instance ids, the graph; the writes + COMMIT.
    expect(await trips(async () => engine.enrollMany('j1', ids))).toBe(5);
    expect(await count(backend, 'SELECT count(*) n FROM "OutboxEffect"')).toBe(5);
    await engine.drain();
    expect(calls.length).toBe(5); // the welcome for each (the tag is applied in its result's step)
    expect(await count(backend, `SELECT count(*) n FROM "CustomerTag" WHERE tag = 'new'`)).toBe(5);
  });
});

describe('engine store on PostgreSQL: two workers', () => {
  it('never step one instance twice or at once, take each event once and dispatch each effect once (1,000 customers)', async () => {
    backend = await postgresBackend(postgresUrl());
    const clock = new ManualClock();
    const calls: string[] = [];
    const workers = ['w1', 'w2'].map((workerId) =>
      storeEngine(backend?.store({ workerId }) as never, registry, recordingExecutors(calls), clock),
    );
    await backend.publish('j1', benchmarkJourney());
    const ids = await backend.customers('c', 0, 1000);
    const both = <T>(run: (w: (typeof workers)[number]) => Promise<T>) => Promise.all(workers.map(run));

    // Both workers enrol the same customers at once, in batches: each is enrolled once (re-entry "once").
    const outcomes = await both(async (w) => {
      const all = [];
      for (let i = 0; i < ids.length; i += 250) all.push(...(await w.enrollMany('j1', ids.slice(i, i + 250))));
      return all;
    });
    expect(outcomes.flat().filter((o) => o.status === 'enrolled')).toHaveLength(1000);
    await both((w) => w.drain());
    clock.advance(DAY);
    const day = await both((w) => w.drain());
    expect(day.reduce((n, o) => n + o.timersFired, 0)).toBe(1000);
    // Both workers receive the same orders of half the customers (as two web processes behind a
    // balancer might, after a provider's retry), in batches of 100, while both drain effects.
    const order = (id: string) => ({
      id: `o-${id}`,
      type: 'order.placed',
      customerId: id,
      occurredAt: new Date(clock.now()),
    });
    const received = await both(async (w) => {
      const outcomes = [];
      for (let i = 0; i < 500; i += 100) {
        outcomes.push(...(await w.ingestMany(ids.slice(i, i + 100).map(order))));
        await w.drain();
      }
      return outcomes;
    });
    const accepted = received.flat().filter((o) => o.status === 'accepted');
    expect(accepted).toHaveLength(500);
    expect(accepted.every((o) => o.delivered === 1)).toBe(true);
    await both((w) => w.drain());
    clock.advance(7 * DAY);
    const week = await both((w) => w.drain());
    expect(week.reduce((n, o) => n + o.timersFired, 0)).toBe(500);

    expect(await backend.rows('SELECT status, count(*) n FROM "Instance" GROUP BY status ORDER BY status')).toEqual([
      { status: 'completed', n: 500 },
      { status: 'exited', n: 500 },
    ]);
    // Each effect dispatched once: welcome and coupon per customer, 500 thank-you messages (the tags
    // are applied in the steps).
    expect(calls).toHaveLength(2500);
    expect(new Set(calls).size).toBe(2500);
    expect(await count(backend, `SELECT count(*) n FROM "CustomerTag" WHERE tag = 'new'`)).toBe(1000);
    expect(await count(backend, `SELECT count(*) n FROM "CustomerTag" WHERE tag = 'repurchase'`)).toBe(500);
    // Each instance's log is one of the two paths, whole: no step twice, no two workers interleaved.
    const lines = await stepLines(backend);
    expect(lines.size).toBe(1000);
    expect(new Set(lines.values()).size).toBe(2);
    // Both workers did part of the work.
    expect(workers.every((w) => w.steps > 0)).toBe(true);
  });
});

describe('engine store on PostgreSQL: a worker that dies', () => {
  it('holds the effects it claimed no longer than its lease; another worker then runs them once', async () => {
    backend = await postgresBackend(postgresUrl());
    const clock = new ManualClock();
    const calls: string[] = [];
    const dead = backend.store({ workerId: 'dead', leaseMs: 60_000 });
    const alive = storeEngine(backend.store({ workerId: 'alive' }), registry, recordingExecutors(calls), clock);
    await backend.publish('j1', benchmarkJourney());
    await alive.enrollMany('j1', await backend.customers('c', 0, 20));
    // The dead worker claimed the welcome messages and never stored an outcome.
    const claimed = await dead.batch(() => dead.claimDueEffects(clock.now(), 100));
    expect(claimed).toHaveLength(20);
    expect((await alive.drain()).effectsRun).toBe(0);
    clock.advance(60_001);
    expect((await alive.drain()).effectsRun).toBe(20); // the welcome messages (the tags follow in their steps)
    expect(new Set(calls).size).toBe(20);
    expect(await count(backend, `SELECT count(*) n FROM "CustomerTag" WHERE tag = 'new'`)).toBe(20);
    expect(await count(backend, `SELECT count(*) n FROM "OutboxEffect" WHERE "claimedBy" IS NOT NULL`)).toBe(0);
  });
});

describe('engine store on PostgreSQL: a step whose writes fail', () => {
  it('fails that instance alone (a careful re-run, one SAVEPOINT per step); the batch goes on', async () => {
    backend = await postgresBackend(postgresUrl());
    const clock = new ManualClock();
    const engine = storeEngine(backend.store(), registry, recordingExecutors([]), clock);
    await backend.publish('j1', benchmarkJourney());
    await engine.enrollMany('j1', await backend.customers('c', 0, 5));
    // A write the database refuses for one customer only (a constraint, a full disk, …).
    await backend.rows(`CREATE OR REPLACE FUNCTION refuse_c3() RETURNS trigger AS $$ BEGIN
      IF NEW."customerId" = 'c3' AND NEW."nodeId" = 'wait1d' THEN RAISE EXCEPTION 'refused for c3'; END IF;
      RETURN NEW; END $$ LANGUAGE plpgsql`);
    await backend.rows(
      'CREATE TRIGGER refuse_c3 BEFORE UPDATE ON "Instance" FOR EACH ROW EXECUTE FUNCTION refuse_c3()',
    );
    try {
      await engine.drain();
    } finally {
      await backend.rows('DROP TRIGGER refuse_c3 ON "Instance"');
    }
    expect(
      await backend.rows('SELECT "customerId", status, "exitReason" FROM "Instance" WHERE status != \'active\''),
    ).toEqual([{ customerId: 'c3', status: 'failed', exitReason: 'error: refused for c3' }]);
    expect(
      await count(backend, `SELECT count(*) n FROM "Instance" WHERE "nodeId" = 'wait1d' AND status = 'active'`),
    ).toBe(4);
    expect(await count(backend, 'SELECT count(*) n FROM "Timer"')).toBe(4);
    expect(await count(backend, `SELECT count(*) n FROM "StepLog" WHERE kind = 'error'`)).toBe(1);
  });
});
