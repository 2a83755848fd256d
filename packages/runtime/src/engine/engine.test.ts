import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNodeRegistry, defineNode, defineNodePackage, PermanentError, RetryableError, t } from '@siyu/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addCustomers, benchmarkJourney, graphOf, publishJourney } from '../../bench/fixtures.ts';
import { type SandboxOptions, sampleExecutors, samplePackage } from '../../bench/sample-nodes.ts';
import { createNaiveEngine } from '../../bench/naive-engine.ts';
import { type Database, openDatabase } from '../db/database.ts';
import { createLogger } from '../logger.ts';
import { ManualClock } from './api.ts';
import { createEngine } from './engine.ts';

const DAY = 86_400_000;
// A node whose decide throws for one customer: a failing step must not poison its batch.
const flaky = defineNode({
  type: 'testonly.flaky',
  version: 1,
  category: 'flow',
  icon: 'bug',
  label: t('会出错', 'Flaky'),
  config: z.object({}),
  defaultConfig: {},
  outputs: [{ id: 'next', label: t('继续', 'Next') }],
  decide: (_c, ctx) => {
    if (ctx.customer.id === 'c3') throw new Error('decide blew up');
    return 'next';
  },
});
const registry = createNodeRegistry([
  samplePackage,
  defineNodePackage({ name: 'testonly', label: t('测试', 'Test'), nodes: [flaky] }),
]);
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup(sandbox: SandboxOptions = {}, clock = new ManualClock(), mode: 'batched' | 'naive' = 'batched') {
  const dir = mkdtempSync(join(tmpdir(), 'siyu-engine-'));
  const db: Database = await openDatabase(join(dir, 'test.db'));
  cleanups.push(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  // The naive baseline lives with the benchmark; this file checks it does the product's work.
  const make = () =>
    (mode === 'naive' ? createNaiveEngine : createEngine)({
      db,
      registry,
      executors: sampleExecutors(db.sqlite, sandbox),
      clock,
      logger: createLogger('silent'),
    });
  return { db, clock, engine: make(), make };
}

const q = (db: Database, sql: string, ...params: unknown[]) =>
  db.sqlite.prepare(sql).all(...params) as Array<Record<string, unknown>>;
const one = (db: Database, sql: string, ...params: unknown[]) =>
  db.sqlite.prepare(sql).get(...params) as Record<string, unknown>;

describe('engine: the benchmark journey end to end', () => {
  it('sends once, waits durably, branches, and ends every customer in the right state', async () => {
    const { db, clock, engine } = await setup();
    publishJourney(db.sqlite, 'j1', benchmarkJourney());
    const ids = addCustomers(db.sqlite, 'c', 0, 40);
    // Customer c0 is already a buyer: the branch sends them straight to the exit after the wait.
    db.sqlite
      .prepare(
        "INSERT INTO CustomerTag (customerId, tag, createdAt) VALUES ('c0', 'buyer', '2026-01-01T00:00:00.000+00:00')",
      )
      .run();
    const outcomes = engine.enrollMany('j1', ids);
    expect(outcomes.every((o) => o.status === 'enrolled')).toBe(true);

    let tick = await engine.tick();
    expect(tick.effectsRun).toBe(80); // welcome + tag per customer
    expect(one(db, 'SELECT count(*) n FROM Message').n).toBe(40);
    expect(one(db, "SELECT count(*) n FROM CustomerTag WHERE tag = 'new'").n).toBe(40);
    expect(one(db, "SELECT count(*) n FROM Instance WHERE nodeId = 'wait1d' AND status = 'active'").n).toBe(40);
    expect(one(db, 'SELECT count(*) n FROM Timer').n).toBe(40);

    clock.advance(DAY - 1);
    expect((await engine.tick()).timersFired).toBe(0);
    clock.advance(1);
    tick = await engine.tick();
    expect(tick.timersFired).toBe(40);
    expect(one(db, "SELECT count(*) n FROM Instance WHERE nodeId = 'waitOrder'").n).toBe(39);
    expect(one(db, "SELECT status, exitReason FROM Instance WHERE customerId = 'c0'")).toEqual({
      status: 'exited',
      exitReason: 'node:exit',
    });

    // Half the waiting customers order within the week.
    for (let i = 1; i < 20; i++) {
      const r = await engine.ingestEvent({
        id: `o${i}`,
        type: 'order.placed',
        customerId: `c${i}`,
        occurredAt: new Date(clock.now()),
        data: { amount: 99 },
      });
      expect(r).toMatchObject({ status: 'accepted', delivered: 1 });
    }
    await engine.tick();
    clock.advance(7 * DAY);
    tick = await engine.tick();
    expect(tick.timersFired).toBe(20); // only the customers still waiting
    expect(q(db, 'SELECT status, nodeId, count(*) n FROM Instance GROUP BY status, nodeId ORDER BY nodeId')).toEqual([
      { status: 'exited', nodeId: 'exit', n: 21 },
      { status: 'completed', nodeId: 'repurchase', n: 19 },
    ]);
    expect(one(db, "SELECT count(*) n FROM CustomerTag WHERE tag = 'repurchase'").n).toBe(19);
    expect(one(db, 'SELECT count(*) n FROM Timer').n).toBe(0);
    expect(one(db, "SELECT count(*) n FROM OutboxEffect WHERE status != 'done'").n).toBe(0);
  });

  it('records a timeline of states, effects and events for one instance', async () => {
    const { db, clock, engine } = await setup();
    publishJourney(db.sqlite, 'j1', benchmarkJourney());
    addCustomers(db.sqlite, 'c', 0, 1);
    const out = await engine.enroll('j1', 'c0');
    if (out.status !== 'enrolled') throw new Error('not enrolled');
    await engine.tick();
    clock.advance(DAY);
    await engine.tick();
    await engine.ingestEvent({ id: 'o1', type: 'order.placed', customerId: 'c0', occurredAt: new Date(clock.now()) });
    await engine.tick();
    const timeline = await engine.timeline(out.instanceId);
    const moves = timeline.filter((e) => e.kind === 'move').map((e) => [e.fromNodeId, e.port, e.nodeId]);
    // Every move names the port it left by (per-edge counts and A/B reports read it).
    expect(moves).toEqual([
      [null, null, 'entry'],
      ['entry', 'next', 'welcome'],
      ['welcome', 'sent', 'tagNew'],
      ['tagNew', 'next', 'wait1d'],
      ['wait1d', 'next', 'ordered'],
      ['ordered', 'else', 'coupon'],
      ['coupon', 'issued', 'waitOrder'],
      ['waitOrder', 'matched', 'repurchase'],
    ]);
    expect(timeline.map((e) => e.kind)).toContain('timer');
    expect(timeline.find((e) => e.kind === 'event')?.detail).toEqual({ event: 'o1', type: 'order.placed' });
    expect(timeline.at(-1)?.kind).toBe('complete');
  });
});

describe('engine: batch enrolment', () => {
  it('skips and reports unknown customers instead of failing the whole batch', async () => {
    const { db, engine } = await setup();
    publishJourney(db.sqlite, 'j1', benchmarkJourney());
    addCustomers(db.sqlite, 'c', 0, 3);
    const outcomes = engine.enrollMany('j1', ['c0', 'ghost', 'c1', 'c2']);
    expect(outcomes.map((o) => o.status)).toEqual(['enrolled', 'skipped', 'enrolled', 'enrolled']);
    expect(outcomes[1]).toEqual({ status: 'skipped', reason: 'unknownCustomer' });
    expect(one(db, 'SELECT count(*) n FROM Instance').n).toBe(3);
    // A single enrolment of an unknown id is still an input error.
    await expect(engine.enroll('j1', 'ghost')).rejects.toThrow(/unknown customer ghost/);
  });
});

describe('engine: bad input', () => {
  it('rejects malformed events and unknown customers, and de-duplicates event ids', async () => {
    const { db, clock, engine } = await setup();
    publishJourney(db.sqlite, 'j1', benchmarkJourney());
    addCustomers(db.sqlite, 'c', 0, 1);
    await engine.enroll('j1', 'c0');
    await engine.tick();
    clock.advance(DAY);
    await engine.tick();

    const bad = await engine.ingestEvent({
      id: 'x',
      type: 'Not A Type',
      customerId: 'c0',
      occurredAt: new Date(),
    } as never);
    expect(bad.status).toBe('rejected');
    expect(bad.reason).toMatch(/type/);
    const unknown = await engine.ingestEvent({
      id: 'u1',
      type: 'order.placed',
      customerId: 'ghost',
      occurredAt: new Date(),
    });
    expect(unknown).toMatchObject({ status: 'rejected', reason: 'unknown customer ghost' });

    const event = { id: 'o1', type: 'order.placed', customerId: 'c0', occurredAt: new Date(clock.now()) };
    expect((await engine.ingestEvent(event)).status).toBe('accepted');
    const snapshot = one(db, 'SELECT snapshot, nodeId FROM Instance');
    expect(await engine.ingestEvent(event)).toMatchObject({ status: 'duplicate', delivered: 0 });
    expect(one(db, 'SELECT snapshot, nodeId FROM Instance')).toEqual(snapshot);
    expect(one(db, 'SELECT count(*) n FROM Event').n).toBe(1);
  });

  it('skips journeys that are not live and enrolments blocked by re-entry', async () => {
    const { db, engine } = await setup();
    addCustomers(db.sqlite, 'c', 0, 1);
    expect(await engine.enroll('nope', 'c0')).toEqual({ status: 'skipped', reason: 'journeyNotLive' });
    await expect(engine.enroll('nope', 'ghost')).resolves.toMatchObject({ status: 'skipped' });
    publishJourney(db.sqlite, 'once', benchmarkJourney());
    expect((await engine.enroll('once', 'c0')).status).toBe('enrolled');
    expect(await engine.enroll('once', 'c0')).toEqual({ status: 'skipped', reason: 'reEntryOnce' });
    await expect(engine.enroll('once', 'ghost')).rejects.toThrow(/unknown customer ghost/);
  });
});

const simple = (settings: Record<string, unknown> = {}) =>
  graphOf(
    [
      ['entry', 'sample.apiEntry', {}],
      ['msg', 'sample.send', { channel: 'wecom', text: 'hi' }],
      ['done', 'sample.exit', {}],
    ],
    [
      ['entry', 'next', 'msg'],
      ['msg', 'sent', 'done'],
    ],
    { quietHours: { enabled: false }, ...settings },
  );

describe('engine: re-entry and holdout', () => {
  it('afterExit allows a new run only after the previous one ended and the gap passed', async () => {
    const { db, clock, engine } = await setup();
    publishJourney(
      db.sqlite,
      'j',
      graphOf(
        [
          ['entry', 'sample.apiEntry', {}],
          ['w', 'sample.wait', { duration: { amount: 1, unit: 'hours' } }],
        ],
        [['entry', 'next', 'w']],
        { reEntry: { policy: 'afterExit', minGap: { amount: 2, unit: 'hours' } } },
      ),
    );
    addCustomers(db.sqlite, 'c', 0, 1);
    expect((await engine.enroll('j', 'c0')).status).toBe('enrolled');
    expect(await engine.enroll('j', 'c0')).toEqual({ status: 'skipped', reason: 'alreadyActive' });
    clock.advance(3_600_000);
    await engine.tick();
    expect(await engine.enroll('j', 'c0')).toEqual({ status: 'skipped', reason: 'minGap' });
    clock.advance(3_600_000);
    expect((await engine.enroll('j', 'c0')).status).toBe('enrolled');
  });

  it('holds out a deterministic share of customers who then receive nothing', async () => {
    const { db, engine } = await setup();
    publishJourney(db.sqlite, 'j', simple({ holdoutPercent: 20 }));
    const ids = addCustomers(db.sqlite, 'c', 0, 500);
    const outcomes = engine.enrollMany('j', ids);
    const held = outcomes.filter((o) => o.status === 'enrolled' && o.holdout).length;
    expect(held).toBeGreaterThan(60);
    expect(held).toBeLessThan(140);
    await engine.tick();
    expect(one(db, 'SELECT count(*) n FROM Message').n).toBe(500 - held);
  });
});

describe('engine: splits', () => {
  it('picks the same branch for the same customer every time (hash of customer and node)', async () => {
    const graph = graphOf(
      [
        ['entry', 'sample.apiEntry', {}],
        [
          'ab',
          'sample.split',
          {
            variants: [
              { id: 'a', weight: 1 },
              { id: 'b', weight: 1 },
            ],
          },
        ],
        ['ea', 'sample.exit', {}],
        ['eb', 'sample.exit', {}],
      ],
      [
        ['entry', 'next', 'ab'],
        ['ab', 'a', 'ea'],
        ['ab', 'b', 'eb'],
      ],
    );
    const runs: string[] = [];
    for (let r = 0; r < 2; r++) {
      const { db, engine } = await setup();
      publishJourney(db.sqlite, 'j', graph);
      engine.enrollMany('j', addCustomers(db.sqlite, 'c', 0, 200));
      runs.push(JSON.stringify(q(db, 'SELECT customerId, nodeId FROM Instance ORDER BY customerId')));
      const counts = q(db, 'SELECT nodeId, count(*) n FROM Instance GROUP BY nodeId');
      for (const c of counts) expect(c.n as number).toBeGreaterThan(70);
    }
    expect(runs[0]).toEqual(runs[1]);
  });
});

describe('engine: dispatcher', () => {
  it('retries retryable errors with backoff, then succeeds once', async () => {
    let calls = 0;
    const { db, clock, engine } = await setup({
      beforeSend: (_key, attempt) => {
        calls++;
        if (attempt < 3) throw new RetryableError('provider busy');
      },
    });
    publishJourney(db.sqlite, 'j', simple());
    addCustomers(db.sqlite, 'c', 0, 1);
    await engine.enroll('j', 'c0');
    await engine.tick();
    expect(one(db, 'SELECT status, attempts FROM OutboxEffect')).toEqual({ status: 'pending', attempts: 1 });
    for (let i = 0; i < 10 && calls < 3; i++) {
      clock.advance(3_600_000);
      await engine.tick();
    }
    expect(calls).toBe(3);
    expect(one(db, 'SELECT status, attempts FROM OutboxEffect')).toEqual({ status: 'done', attempts: 3 });
    expect(one(db, 'SELECT status FROM Instance').status).toBe('exited');
    expect(one(db, 'SELECT count(*) n FROM Message').n).toBe(1);
  });

  it('follows the failure port on a permanent error, or exits with a reason when there is none', async () => {
    const { db, engine } = await setup({
      beforeSend: () => {
        throw new PermanentError('number is blocked', { code: 'blocked' });
      },
    });
    publishJourney(
      db.sqlite,
      'with',
      graphOf(
        [
          ['entry', 'sample.apiEntry', {}],
          ['msg', 'sample.send', { text: 'hi' }],
          ['tagFail', 'sample.tag', { add: ['unreachable'] }],
        ],
        [
          ['entry', 'next', 'msg'],
          ['msg', 'failed', 'tagFail'],
        ],
        { quietHours: { enabled: false } },
      ),
    );
    publishJourney(db.sqlite, 'without', simple());
    addCustomers(db.sqlite, 'c', 0, 1);
    await engine.enroll('with', 'c0');
    await engine.enroll('without', 'c0');
    const tick = await engine.tick();
    expect(tick.effectsFailed).toBe(2);
    expect(one(db, "SELECT status, nodeId FROM Instance WHERE journeyId = 'with'")).toEqual({
      status: 'completed',
      nodeId: 'tagFail',
    });
    expect(one(db, "SELECT status, exitReason FROM Instance WHERE journeyId = 'without'")).toEqual({
      status: 'exited',
      exitReason: 'effectFailed:msg',
    });
    expect(one(db, "SELECT count(*) n FROM CustomerTag WHERE tag = 'unreachable'").n).toBe(1);
  });

  it('defers messages during quiet hours until the window ends', async () => {
    // 14:00 UTC = 22:00 in Shanghai: inside the default 21:00–08:00 quiet window.
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 14, 0));
    const { db, engine } = await setup({}, clock);
    publishJourney(db.sqlite, 'j', simple({ quietHours: { enabled: true, action: 'defer' } }));
    addCustomers(db.sqlite, 'c', 0, 1);
    await engine.enroll('j', 'c0');
    await engine.tick();
    expect(one(db, 'SELECT count(*) n FROM Message').n).toBe(0);
    expect(one(db, 'SELECT nextAttemptAt FROM OutboxEffect').nextAttemptAt).toBe(Date.UTC(2026, 0, 6, 0, 0));
    clock.set(Date.UTC(2026, 0, 6, 0, 0));
    await engine.tick();
    expect(one(db, 'SELECT count(*) n FROM Message').n).toBe(1);
  });

  it('skips during quiet hours with action skip, and caps messages per channel across journeys', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 14, 0));
    const { db, engine } = await setup({}, clock);
    publishJourney(db.sqlite, 'quiet', simple({ quietHours: { enabled: true, action: 'skip' } }));
    const cap = { frequencyCaps: [{ channel: 'wecom', max: 1, per: { amount: 1, unit: 'days' } }] };
    publishJourney(db.sqlite, 'a', simple(cap));
    publishJourney(db.sqlite, 'b', simple(cap));
    addCustomers(db.sqlite, 'c', 0, 1);
    await engine.enroll('quiet', 'c0');
    await engine.tick();
    expect(one(db, 'SELECT status FROM OutboxEffect').status).toBe('skipped');
    await engine.enroll('a', 'c0');
    await engine.tick();
    await engine.enroll('b', 'c0');
    await engine.tick();
    expect(one(db, 'SELECT count(*) n FROM Message').n).toBe(1);
    expect(q(db, 'SELECT status FROM OutboxEffect ORDER BY id').map((r) => r.status)).toEqual([
      'skipped',
      'done',
      'skipped',
    ]);
    expect(one(db, "SELECT status FROM Instance WHERE journeyId = 'b'").status).toBe('exited');
  });

  it('holds the cap when several journeys message the same customer within one dispatcher batch', async () => {
    const { db, engine } = await setup();
    const cap = { frequencyCaps: [{ channel: 'wecom', max: 2, per: { amount: 1, unit: 'days' } }] };
    for (const id of ['a', 'b', 'c', 'd']) publishJourney(db.sqlite, id, simple(cap));
    addCustomers(db.sqlite, 'c', 0, 3);
    // All twelve effects are due together, so they land in the same batch.
    for (const id of ['a', 'b', 'c', 'd']) engine.enrollMany(id, ['c0', 'c1', 'c2']);
    await engine.tick();
    expect(q(db, 'SELECT customerId, count(*) n FROM Message GROUP BY customerId ORDER BY customerId')).toEqual([
      { customerId: 'c0', n: 2 },
      { customerId: 'c1', n: 2 },
      { customerId: 'c2', n: 2 },
    ]);
    expect(q(db, 'SELECT status, count(*) n FROM OutboxEffect GROUP BY status ORDER BY status')).toEqual([
      { status: 'done', n: 6 },
      { status: 'skipped', n: 6 },
    ]);
  });
});

describe('engine: events, goals and exit conditions', () => {
  it('enrols on event-triggered entries and exits from any state on an exit condition', async () => {
    const { db, engine } = await setup();
    publishJourney(
      db.sqlite,
      'j',
      graphOf(
        [
          ['entry', 'sample.eventEntry', { event: 'wecom.contactAdded' }],
          ['w', 'sample.wait', { duration: { amount: 3, unit: 'days' } }],
        ],
        [['entry', 'next', 'w']],
        {
          exitConditions: [{ event: 'sms.optedOut' }],
          goal: { event: 'order.placed', window: { amount: 7, unit: 'days' } },
        },
      ),
    );
    const added = await engine.ingestEvent({
      id: 'e1',
      type: 'wecom.contactAdded',
      identities: { wecomExternalUserId: 'wm123' },
      occurredAt: new Date(),
    });
    expect(added).toMatchObject({ status: 'accepted', enrolled: 1 });
    const customerId = added.customerId as string;
    const order = await engine.ingestEvent({
      id: 'e2',
      type: 'order.placed',
      identities: { wecomExternalUserId: 'wm123' },
      occurredAt: new Date(),
    });
    expect(order).toMatchObject({ customerId, delivered: 1 });
    expect(one(db, 'SELECT goalAt IS NOT NULL g, status FROM Instance')).toEqual({ g: 1, status: 'active' });
    await engine.ingestEvent({ id: 'e3', type: 'sms.optedOut', customerId, occurredAt: new Date() });
    expect(one(db, 'SELECT status, exitReason FROM Instance')).toEqual({
      status: 'exited',
      exitReason: 'exitCondition:sms.optedOut',
    });
    expect(one(db, 'SELECT count(*) n FROM Timer').n).toBe(0);
  });

  it('records the goal and applies exit conditions even when a waiting node consumes the same event', async () => {
    const { db, engine } = await setup();
    // Both waits listen for exactly the events the journey-wide rules care about.
    publishJourney(
      db.sqlite,
      'j',
      graphOf(
        [
          ['entry', 'sample.apiEntry', {}],
          ['waitOrder', 'sample.waitForEvent', { event: 'order.paid', timeout: { amount: 7, unit: 'days' } }],
          ['waitAny', 'sample.waitForEvent', { event: 'sms.optedOut', timeout: { amount: 7, unit: 'days' } }],
          ['after', 'sample.wait', { duration: { amount: 1, unit: 'days' } }],
        ],
        [
          ['entry', 'next', 'waitOrder'],
          ['waitOrder', 'matched', 'waitAny'],
          ['waitAny', 'matched', 'after'],
        ],
        {
          exitConditions: [{ event: 'sms.optedOut' }],
          goal: { event: 'order.paid', window: { amount: 7, unit: 'days' } },
        },
      ),
    );
    const [customerId] = addCustomers(db.sqlite, 'c', 0, 1) as [string];
    engine.enrollMany('j', [customerId]);
    await engine.tick();
    await engine.ingestEvent({ id: 'paid', type: 'order.paid', customerId, occurredAt: new Date() });
    // The wait took the order (moved on) and the goal counted it.
    expect(one(db, 'SELECT goalAt IS NOT NULL g, nodeId, status FROM Instance')).toEqual({
      g: 1,
      nodeId: 'waitAny',
      status: 'active',
    });
    expect(one(db, "SELECT count(*) n FROM StepLog WHERE kind = 'goal'").n).toBe(1);
    // The exit condition wins over the wait that listens for the same event.
    await engine.ingestEvent({ id: 'out', type: 'sms.optedOut', customerId, occurredAt: new Date() });
    expect(one(db, 'SELECT status, nodeId, exitReason FROM Instance')).toMatchObject({
      status: 'exited',
      exitReason: 'exitCondition:sms.optedOut',
    });
    expect(one(db, "SELECT count(*) n FROM StepLog WHERE nodeId = 'after'").n).toBe(0);
  });
});

describe('engine: restarts and versions', () => {
  it('fires timers that came due while the process was down when a new engine starts', async () => {
    const { db, clock, engine, make } = await setup();
    publishJourney(db.sqlite, 'j1', benchmarkJourney());
    engine.enrollMany('j1', addCustomers(db.sqlite, 'c', 0, 10));
    await engine.tick();
    await engine.stop();
    clock.advance(2 * DAY);
    const restarted = make();
    restarted.start();
    await new Promise((r) => setTimeout(r, 200));
    await restarted.stop();
    expect(one(db, "SELECT count(*) n FROM Instance WHERE nodeId = 'waitOrder'").n).toBe(10);
  });

  it('leaves running customers on their version and moves them with a node mapping on request', async () => {
    const { db, clock, engine } = await setup();
    const v1 = publishJourney(db.sqlite, 'j1', benchmarkJourney(), 1);
    engine.enrollMany('j1', addCustomers(db.sqlite, 'c', 0, 5));
    await engine.tick();
    const g2 = benchmarkJourney();
    g2.nodes = g2.nodes.map((n) =>
      n.id === 'wait1d' ? { ...n, id: 'wait2d', config: { duration: { amount: 2, unit: 'days' } } } : n,
    );
    g2.edges = g2.edges.map((e) => ({
      ...e,
      source: e.source === 'wait1d' ? 'wait2d' : e.source,
      target: e.target === 'wait1d' ? 'wait2d' : e.target,
    }));
    const v2 = publishJourney(db.sqlite, 'j1', g2, 2);
    engine.enrollMany('j1', addCustomers(db.sqlite, 'c', 5, 7));
    expect(q(db, 'SELECT versionId, count(*) n FROM Instance GROUP BY versionId')).toEqual([
      { versionId: v1, n: 5 },
      { versionId: v2, n: 2 },
    ]);
    expect(await engine.migrateInstances('j1', v2, { wait1d: 'wait2d' })).toEqual({ moved: 5 });
    expect(one(db, "SELECT count(*) n FROM Instance WHERE versionId = ? AND nodeId = 'wait2d'", v2).n).toBe(5);
    expect(one(db, "SELECT count(*) n FROM StepLog WHERE versionId = ? AND kind = 'move'", v1).n).toBeGreaterThan(0);
    clock.advance(DAY);
    await engine.tick();
    // The moved customers restarted the 2-day wait; the new ones are on it too.
    expect(one(db, "SELECT count(*) n FROM Instance WHERE nodeId = 'wait2d'").n).toBe(7);
    clock.advance(2 * DAY);
    await engine.tick();
    expect(one(db, "SELECT count(*) n FROM Instance WHERE nodeId = 'waitOrder'").n).toBe(7);
  });
});

describe('engine: naive mode (the benchmark baseline)', () => {
  it('does the same work as the batched engine: same steps, messages and end states', async () => {
    const results: unknown[] = [];
    for (const mode of ['batched', 'naive'] as const) {
      const { db, clock, engine } = await setup({}, new ManualClock(), mode);
      publishJourney(db.sqlite, 'j1', benchmarkJourney());
      engine.enrollMany('j1', addCustomers(db.sqlite, 'c', 0, 20));
      await engine.tick();
      clock.advance(DAY);
      await engine.tick();
      engine.ingestMany(
        [0, 1, 2, 3, 4].map((i) => ({
          id: `o${i}`,
          type: 'order.placed',
          customerId: `c${i}`,
          occurredAt: new Date(),
        })),
      );
      await engine.tick();
      clock.advance(7 * DAY);
      await engine.tick();
      results.push({
        steps: engine.steps,
        messages: one(db, 'SELECT count(*) n FROM Message').n,
        log: one(db, 'SELECT count(*) n FROM StepLog').n,
        states: q(db, 'SELECT status, nodeId, count(*) n FROM Instance GROUP BY status, nodeId ORDER BY nodeId'),
      });
    }
    expect(results[1]).toEqual(results[0]);
    expect((results[0] as { steps: number }).steps).toBe(20 * 5 + 5 * 2 + 15);
  });
});

describe('engine: a failing step', () => {
  it('rolls back that step, marks only that instance failed with the reason, and the batch goes on', async () => {
    const { db, clock, engine } = await setup();
    publishJourney(
      db.sqlite,
      'j',
      graphOf(
        [
          ['entry', 'sample.apiEntry', {}],
          ['w', 'sample.wait', { duration: { amount: 1, unit: 'hours' } }],
          ['f', 'testonly.flaky', {}],
          ['msg', 'sample.send', { text: 'hi' }],
        ],
        [
          ['entry', 'next', 'w'],
          ['w', 'next', 'f'],
          ['f', 'next', 'msg'],
        ],
        { quietHours: { enabled: false } },
      ),
    );
    engine.enrollMany('j', addCustomers(db.sqlite, 'c', 0, 6));
    clock.advance(3_600_000);
    expect((await engine.tick()).timersFired).toBe(6);
    expect(q(db, 'SELECT status, count(*) n FROM Instance GROUP BY status ORDER BY status')).toEqual([
      { status: 'completed', n: 5 },
      { status: 'failed', n: 1 },
    ]);
    const failed = one(db, "SELECT id, nodeId, exitReason FROM Instance WHERE status = 'failed'");
    expect(failed).toMatchObject({ nodeId: 'w', exitReason: 'error: decide blew up' });
    // Nothing of the failed step was written: no move to f, no outbox row, no message.
    expect(one(db, "SELECT count(*) n FROM StepLog WHERE instanceId = ? AND nodeId = 'f'", failed.id).n).toBe(0);
    expect(one(db, 'SELECT count(*) n FROM Message').n).toBe(5);
  });

  it('when a step cannot be written, re-runs the batch step by step and fails only that instance', async () => {
    const { db, clock, engine } = await setup();
    publishJourney(
      db.sqlite,
      'j',
      graphOf(
        [
          ['entry', 'sample.apiEntry', {}],
          ['w', 'sample.wait', { duration: { amount: 1, unit: 'hours' } }],
          ['msg', 'sample.send', { text: 'hi' }],
        ],
        [
          ['entry', 'next', 'w'],
          ['w', 'next', 'msg'],
        ],
        { quietHours: { enabled: false } },
      ),
    );
    const ids = addCustomers(db.sqlite, 'c', 0, 6);
    engine.enrollMany('j', ids);
    // The database refuses the outbox row of one customer's step: a real write failure mid-batch.
    const victim = one(db, "SELECT id FROM Instance WHERE customerId = 'c2'").id as number;
    db.sqlite.exec(`CREATE TRIGGER refuse BEFORE INSERT ON OutboxEffect WHEN NEW.instanceId = ${victim}
      BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
    clock.advance(3_600_000);
    expect((await engine.tick()).timersFired).toBe(6);
    expect(q(db, 'SELECT status, count(*) n FROM Instance GROUP BY status ORDER BY status')).toEqual([
      { status: 'completed', n: 5 },
      { status: 'failed', n: 1 },
    ]);
    expect(one(db, 'SELECT id, nodeId, exitReason FROM Instance WHERE status = ?', 'failed')).toEqual({
      id: victim,
      nodeId: 'w',
      exitReason: 'error: disk says no',
    });
    // Nothing of the refused step was written; its error is on the timeline.
    expect(one(db, "SELECT count(*) n FROM StepLog WHERE instanceId = ? AND nodeId = 'msg'", victim).n).toBe(0);
    expect(one(db, "SELECT count(*) n FROM StepLog WHERE instanceId = ? AND kind = 'error'", victim).n).toBe(1);
    expect(one(db, 'SELECT count(*) n FROM Message').n).toBe(5);
    // Every other step-log row of the batch was written exactly once (the rolled-back first run left none).
    expect(one(db, "SELECT count(*) n FROM StepLog WHERE kind = 'timer'").n).toBe(5);
  });
});
