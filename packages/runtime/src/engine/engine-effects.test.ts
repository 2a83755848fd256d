import { PermanentError, RetryableError } from '@siyu/shared';
import { describe, expect, it } from 'vitest';
import { addCustomers, benchmarkJourney, graphOf, publishJourney } from '../../testing/fixtures.ts';
import { ManualClock } from './api.ts';
import { DAY, one, q, setup, simple } from './engine.test-helper.ts';

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
    for (const id of ['a', 'b', 'c', 'd']) await engine.enrollMany(id, ['c0', 'c1', 'c2']);
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
    await engine.enrollMany('j', [customerId]);
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
    await engine.enrollMany('j1', addCustomers(db.sqlite, 'c', 0, 10));
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
    await engine.enrollMany('j1', addCustomers(db.sqlite, 'c', 0, 5));
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
    await engine.enrollMany('j1', addCustomers(db.sqlite, 'c', 5, 7));
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
      await engine.enrollMany('j1', addCustomers(db.sqlite, 'c', 0, 20));
      await engine.tick();
      clock.advance(DAY);
      await engine.tick();
      await engine.ingestMany(
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
    // 5 to the wait for an order each; the buyers 3 more (order, tag, thank-you), the others 1.
    expect((results[0] as { steps: number }).steps).toBe(20 * 5 + 5 * 3 + 15);
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
    await engine.enrollMany('j', addCustomers(db.sqlite, 'c', 0, 6));
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
    await engine.enrollMany('j', ids);
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

describe('engine: the background loop runs at once on work from outside it', () => {
  // A poll a minute long: a message sent within the test's few seconds was sent because the
  // enrolment or the event woke the loop, not because its poll came round.
  const POLL_MS = 60_000;
  const sent = (db: Awaited<ReturnType<typeof setup>>['db']) =>
    one(db, "SELECT count(*) n FROM OutboxEffect WHERE status = 'done'").n;

  it('sends an enrolled customer their message without waiting for the poll', async () => {
    const { db, engine } = await setup({}, new ManualClock(), 'batched', { pollMs: POLL_MS });
    publishJourney(db.sqlite, 'j', simple());
    addCustomers(db.sqlite, 'c', 0, 3);
    engine.start();
    await engine.tick(); // the start-up tick, with nothing due yet
    await engine.enrollMany('j', ['c0', 'c1']);
    await engine.enroll('j', 'c2');
    await expect.poll(() => sent(db), { timeout: 5_000 }).toBe(3);
    await engine.stop();
  });

  it('sends the message an event leads to without waiting for the poll', async () => {
    const { db, engine } = await setup({}, new ManualClock(), 'batched', { pollMs: POLL_MS });
    const graph = graphOf(
      [
        ['entry', 'sample.apiEntry', {}],
        ['waitOrder', 'sample.waitForEvent', { event: 'order.placed', timeout: { amount: 7, unit: 'days' } }],
        ['thanks', 'sample.send', { channel: 'wecom', text: 'thanks' }],
        ['done', 'sample.exit', {}],
      ],
      [
        ['entry', 'next', 'waitOrder'],
        ['waitOrder', 'matched', 'thanks'],
        ['waitOrder', 'timeout', 'done'],
        ['thanks', 'sent', 'done'],
      ],
      { quietHours: { enabled: false } },
    );
    publishJourney(db.sqlite, 'j', graph);
    addCustomers(db.sqlite, 'c', 0, 1);
    await engine.enroll('j', 'c0');
    engine.start();
    await engine.tick();
    expect(sent(db)).toBe(0);
    await engine.ingestEvent({ id: 'o1', type: 'order.placed', customerId: 'c0', occurredAt: new Date() });
    await expect.poll(() => sent(db), { timeout: 5_000 }).toBe(1);
    await engine.stop();
  });
});
