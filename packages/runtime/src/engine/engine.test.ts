import { describe, expect, it } from 'vitest';
import { addCustomers, benchmarkJourney, graphOf, publishJourney } from '../../testing/fixtures.ts';
import { DAY, one, q, setup, simple } from './engine.test-helper.ts';

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
    const outcomes = await engine.enrollMany('j1', ids);
    expect(outcomes.every((o) => o.status === 'enrolled')).toBe(true);

    let tick = await engine.tick();
    // The welcome per customer; the tag after it is applied in the step that takes the welcome's result.
    expect(tick.effectsRun).toBe(40);
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
      { status: 'completed', nodeId: 'thanks', n: 19 },
    ]);
    expect(one(db, "SELECT count(*) n FROM CustomerTag WHERE tag = 'repurchase'").n).toBe(19);
    expect(one(db, 'SELECT count(*) n FROM Timer').n).toBe(0);
    expect(one(db, "SELECT count(*) n FROM OutboxEffect WHERE status != 'done'").n).toBe(0);
    expect(one(db, "SELECT count(*) n FROM OutboxEffect WHERE nodeType = 'sample.tag'").n).toBe(0);
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
      ['repurchase', 'next', 'thanks'],
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
    const outcomes = await engine.enrollMany('j1', ['c0', 'ghost', 'c1', 'c2']);
    expect(outcomes.map((o) => o.status)).toEqual(['enrolled', 'skipped', 'enrolled', 'enrolled']);
    expect(outcomes[1]).toEqual({ status: 'skipped', reason: 'unknownCustomer' });
    expect(one(db, 'SELECT count(*) n FROM Instance').n).toBe(3);
    // A single enrolment of an unknown id is still an input error.
    await expect(engine.enroll('j1', 'ghost')).rejects.toThrow(/No customer "ghost"/);
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
    await expect(engine.enroll('once', 'ghost')).rejects.toThrow(/No customer "ghost"/);
  });
});

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
    const outcomes = await engine.enrollMany('j', ids);
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
      await engine.enrollMany('j', addCustomers(db.sqlite, 'c', 0, 200));
      runs.push(JSON.stringify(q(db, 'SELECT customerId, nodeId FROM Instance ORDER BY customerId')));
      const counts = q(db, 'SELECT nodeId, count(*) n FROM Instance GROUP BY nodeId');
      for (const c of counts) expect(c.n as number).toBeGreaterThan(70);
    }
    expect(runs[0]).toEqual(runs[1]);
  });
});
