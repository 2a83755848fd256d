// One broken journey must not stall the others: a journey whose node package went missing sits next to a
// healthy journey under load. The broken one is paused with a reason and its customers wait (not failed);
// intake and the healthy journey carry on; once the package is back and the journey resumed, its held
// timers fire and the events it missed are replayed.
import {
  createNodeRegistry,
  defineExecutor,
  defineNode,
  defineNodePackage,
  type NodeExecutor,
  parsePauseReason,
  t,
} from '@siyu/shared';
import { samplePackage } from '@siyu/shared/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addCustomers, graphOf, publishJourney } from '../../testing/fixtures.ts';
import { sampleExecutors } from '../../testing/sample-nodes.ts';
import type { Database } from '../db/database.ts';
import { cleanupAfterEach, scratchDatabase } from '../db/scratch-database.test-helper.ts';
import { createLogger } from '../logger.ts';
import { type IngestOutcome, ManualClock } from './api.ts';
import { createEngine, type DurableEngine } from './engine.ts';

const DAY = 86_400_000;
const draws: string[] = [];
const drawBase = {
  type: 'lottery.draw',
  category: 'offer',
  icon: 'gift',
  label: t('抽奖', 'Lucky draw'),
  outputs: [{ id: 'done', label: t('完成', 'Done'), required: false }],
  effect: {},
} as const;
const draw = defineNode({
  ...drawBase,
  version: 1,
  config: z.object({ prize: z.string() }),
  defaultConfig: { prize: '券' },
});
const lottery = defineNodePackage({ name: 'lottery', label: t('抽奖', 'Lottery'), nodes: [draw] });
const drawExecutor: NodeExecutor = defineExecutor(draw, async ({ customer }) => {
  draws.push(customer.id);
  return { port: 'done' };
});

// Healthy: every order gets a message, a day's wait and another message.
const healthy = graphOf(
  [
    ['start', 'sample.eventEntry', { event: 'order.placed' }],
    ['thanks', 'sample.send', { text: '谢谢' }],
    ['wait', 'sample.wait', { duration: { amount: 1, unit: 'days' } }],
    ['again', 'sample.send', { text: '再来' }],
  ],
  [
    ['start', 'next', 'thanks'],
    ['thanks', 'sent', 'wait'],
    ['wait', 'next', 'again'],
  ],
);
// Uses the third-party lottery package: sign up, then a draw for those who redeem within a day.
const usesLottery = graphOf(
  [
    ['start', 'sample.eventEntry', { event: 'signup.done' }],
    ['redeem', 'sample.waitForEvent', { event: 'coupon.redeemed', timeout: { amount: 1, unit: 'days' } }],
    ['draw', 'lottery.draw', { prize: '券' }],
    ['bye', 'sample.exit', {}],
  ],
  [
    ['start', 'next', 'redeem'],
    ['redeem', 'matched', 'draw'],
    ['redeem', 'timeout', 'bye'],
  ],
);

const cleanups = cleanupAfterEach();
afterEach(() => {
  draws.length = 0;
});

const openDb = (): Promise<Database> => scratchDatabase('isolation', cleanups);

/** How often an engine asked its registry for the lottery's node type (each compile of its version asks). */
const lotteryLookups = { n: 0 };

function engineOf(db: Database, clock: ManualClock, withLottery: boolean): DurableEngine {
  const registry = createNodeRegistry(withLottery ? [samplePackage, lottery] : [samplePackage]);
  const get = registry.get;
  registry.get = (type) => {
    if (type === 'lottery.draw') lotteryLookups.n++;
    return get(type);
  };
  const engine = createEngine({
    db,
    registry,
    executors: [...sampleExecutors(db.sqlite), ...(withLottery ? [drawExecutor] : [])],
    clock,
    logger: createLogger('silent'),
  });
  cleanups.push(() => engine.stop());
  return engine;
}

const event = (id: string, type: string, customerId: string, clock: ManualClock) => ({
  id,
  type,
  customerId,
  occurredAt: new Date(clock.now()),
});
const one = (db: Database, sql: string, ...params: unknown[]) =>
  db.sqlite.prepare(sql).get(...params) as Record<string, unknown>;

/** Ingests one order per customer, one call each (as webhooks arrive); each enrols in the healthy journey. */
function ingestOrders(engine: DurableEngine, ids: string[], clock: ManualClock, tag: string): void {
  for (const id of ids) {
    const [outcome] = engine.ingestMany([event(`${tag}-${id}`, 'order.placed', id, clock)]) as IngestOutcome[]; // SQLite: at once
    expect(outcome).toMatchObject({ status: 'accepted', enrolled: 1 });
  }
}

describe('a broken journey next to a healthy one', () => {
  it('pauses only the broken journey, keeps intake and the healthy journey going, and resumes it once fixed', async () => {
    const db = await openDb();
    const clock = new ManualClock();
    publishJourney(db.sqlite, 'healthy', healthy);
    publishJourney(db.sqlite, 'lucky', usesLottery);
    db.sqlite.prepare("UPDATE Journey SET name = '抽奖旅程' WHERE id = 'lucky'").run();
    const ids = addCustomers(db.sqlite, 'c', 0, 600);

    // Ten customers sign up while the lottery package is installed; they wait for a redemption.
    const before = engineOf(db, clock, true);
    for (const id of ids.slice(0, 10)) await before.ingestEvent(event(`s-${id}`, 'signup.done', id, clock));
    await before.tick();
    await before.stop();
    // Baseline: the healthy journey's intake with nothing broken.
    ingestOrders(before, ids.slice(300, 600), clock, 'base');

    // Restart without the package (a typo in its package.json marker made discovery skip it).
    const broken = engineOf(db, clock, false);
    // Half of the waiting customers redeem: intake accepts it, the broken journey does not step.
    let lookupsAfterPause = 0;
    for (const id of ids.slice(0, 5)) {
      expect(await broken.ingestEvent(event(`r-${id}`, 'coupon.redeemed', id, clock))).toMatchObject({
        status: 'accepted',
        delivered: 0,
      });
      // The first redemption found the package missing; the broken version is not compiled again.
      if (id === ids[0]) lookupsAfterPause = lotteryLookups.n;
      expect(lotteryLookups.n).toBe(lookupsAfterPause);
    }
    expect(lookupsAfterPause).toBeGreaterThan(0);
    ingestOrders(broken, ids.slice(10, 300), clock, 'load');
    // 590 orders in all (300 before the package went missing, 290 after): a message each.
    let tick = await broken.tick();
    expect(tick.effectsRun).toBe(590);
    clock.advance(DAY);
    tick = await broken.tick();
    expect(tick.effectsRun).toBe(590); // the healthy journey's second message: its timers fired
    expect(one(db, "SELECT count(*) n FROM Message WHERE content = '再来'").n).toBe(590);
    // Enrolling by hand in the paused journey is a skip with a reason, not an error.
    expect(await broken.enroll('lucky', 'c50')).toEqual({ status: 'skipped', reason: 'journeyNotLive' });

    const journey = one(db, "SELECT status, pausedReason FROM Journey WHERE id = 'lucky'");
    expect(journey.status).toBe('paused');
    expect(parsePauseReason(journey.pausedReason as string)).toMatchObject({
      kind: 'packageMissing',
      journey: { id: 'lucky', name: '抽奖旅程' },
      version: { id: 'lucky-v1', number: 1 },
      node: { id: 'draw', type: 'lottery.draw', typeVersion: 1 },
      package: { name: 'lottery', installed: false },
    });
    expect(one(db, "SELECT status FROM Journey WHERE id = 'healthy'").status).toBe('live');
    // Its customers wait where they were (not failed) and their timers are held.
    expect(one(db, "SELECT count(*) n FROM Instance WHERE journeyId = 'lucky' AND status = 'active'").n).toBe(10);
    expect(one(db, "SELECT count(*) n FROM HeldTimer WHERE journeyId = 'lucky'").n).toBe(10);
    expect(draws).toEqual([]);
    // Intake with a broken journey costs what it costs without: the broken version is remembered,
    // not compiled again for each of the 290 orders and two ticks since the pause.
    expect(lotteryLookups.n).toBe(lookupsAfterPause);

    // The package is back and an operator resumes the journey.
    await broken.stop();
    const fixed = engineOf(db, clock, true);
    db.sqlite.prepare("UPDATE Journey SET status = 'live' WHERE id = 'lucky'").run();
    await fixed.tick();
    // The five who redeemed while it was paused get their draw (events replayed); the others time out.
    expect(draws.sort()).toEqual(ids.slice(0, 5).sort());
    expect(
      db.sqlite.prepare("SELECT status, count(*) n FROM Instance WHERE journeyId = 'lucky' GROUP BY status").all(),
    ).toEqual([
      { status: 'completed', n: 5 },
      { status: 'exited', n: 5 },
    ]);
    expect(one(db, "SELECT pausedReason FROM Journey WHERE id = 'lucky'").pausedReason).toBeNull();
    expect(one(db, 'SELECT count(*) n FROM HeldTimer').n).toBe(0);
  });

  it('a node bumped without a migration pauses the journey naming node, package and versions', async () => {
    const db = await openDb();
    const clock = new ManualClock();
    // Saved at v1 of a draw whose installed v2 needs `prizes`: no migration was written.
    const drawV2 = defineNode({
      ...drawBase,
      version: 2,
      config: z.object({ prizes: z.array(z.string()).min(1) }),
      defaultConfig: { prizes: ['券'] },
    });
    publishJourney(db.sqlite, 'lucky', usesLottery);
    addCustomers(db.sqlite, 'c', 0, 2);
    const engine = createEngine({
      db,
      registry: createNodeRegistry([samplePackage, defineNodePackage({ ...lottery, nodes: [drawV2] })]),
      executors: sampleExecutors(db.sqlite),
      clock,
      logger: createLogger('silent'),
    });
    cleanups.push(() => engine.stop());
    expect(await engine.ingestEvent(event('s1', 'signup.done', 'c0', clock))).toMatchObject({
      status: 'accepted',
      enrolled: 0,
    });
    expect(
      parsePauseReason(one(db, "SELECT pausedReason FROM Journey WHERE id = 'lucky'").pausedReason as string),
    ).toMatchObject({
      kind: 'versionBroken',
      node: { id: 'draw', title: { en: 'Lucky draw' }, typeVersion: 1, installedVersion: 2 },
      package: { name: 'lottery', installed: true },
    });
  });

  it('a package whose server part did not load pauses the journey; its customers wait instead of failing', async () => {
    const db = await openDb();
    const clock = new ManualClock();
    publishJourney(db.sqlite, 'lucky', usesLottery);
    addCustomers(db.sqlite, 'c', 0, 1);
    // The definitions are there (the editor and compiler know lottery.draw), the executor is not.
    const engine = createEngine({
      db,
      registry: createNodeRegistry([samplePackage, lottery]),
      executors: sampleExecutors(db.sqlite),
      clock,
      logger: createLogger('silent'),
    });
    cleanups.push(() => engine.stop());
    await engine.ingestEvent(event('s1', 'signup.done', 'c0', clock));
    await engine.ingestEvent(event('r1', 'coupon.redeemed', 'c0', clock));
    await engine.tick();
    expect(one(db, "SELECT status FROM Instance WHERE customerId = 'c0'").status).toBe('active');
    expect(one(db, "SELECT status FROM OutboxEffect WHERE nodeId = 'draw'").status).toBe('held');
    expect(
      parsePauseReason(one(db, "SELECT pausedReason FROM Journey WHERE id = 'lucky'").pausedReason as string),
    ).toMatchObject({
      kind: 'packageMissing',
      version: { number: 1 },
      node: { id: 'draw', type: 'lottery.draw', title: { en: 'Lucky draw' } },
      package: { name: 'lottery', installed: false },
    });
  });

  it('a step put back to pending while its journey is held is held again, not re-run in a loop', async () => {
    const db = await openDb();
    const clock = new ManualClock();
    publishJourney(db.sqlite, 'lucky', usesLottery);
    addCustomers(db.sqlite, 'c', 0, 1);
    const engine = createEngine({
      db,
      registry: createNodeRegistry([samplePackage, lottery]),
      executors: sampleExecutors(db.sqlite),
      clock,
      logger: createLogger('silent'),
    });
    cleanups.push(() => engine.stop());
    await engine.ingestEvent(event('s1', 'signup.done', 'c0', clock));
    await engine.ingestEvent(event('r1', 'coupon.redeemed', 'c0', clock));
    await engine.tick();
    expect(one(db, "SELECT status FROM OutboxEffect WHERE nodeId = 'draw'").status).toBe('held');
    // As an operator's decision on a step whose outcome was unknown does: back to pending, due now.
    db.sqlite
      .prepare("UPDATE OutboxEffect SET status = 'pending', nextAttemptAt = ? WHERE nodeId = 'draw'")
      .run(clock.now());
    // The tick ends (it used to defer the step to "now" and pick it again, batch after batch).
    const ended = await Promise.race([
      engine.tick().then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), 2000)),
    ]);
    expect(ended).toBe(true);
    expect(one(db, "SELECT status FROM OutboxEffect WHERE nodeId = 'draw'").status).toBe('held');
    expect(one(db, "SELECT status FROM Instance WHERE customerId = 'c0'").status).toBe('active');
  });

  it('an operator fixes a journey paused for a broken version by moving its customers to a new version', async () => {
    const db = await openDb();
    const clock = new ManualClock();
    publishJourney(db.sqlite, 'lucky', usesLottery);
    addCustomers(db.sqlite, 'c', 0, 3);
    const before = engineOf(db, clock, true);
    for (const id of ['c0', 'c1', 'c2']) await before.ingestEvent(event(`s-${id}`, 'signup.done', id, clock));
    await before.stop();
    // The draw is bumped to v2 without a migration: version 1 no longer compiles.
    const drawV2 = defineNode({
      ...drawBase,
      version: 2,
      config: z.object({ prizes: z.array(z.string()).min(1) }),
      defaultConfig: { prizes: ['券'] },
    });
    const engine = createEngine({
      db,
      registry: createNodeRegistry([samplePackage, defineNodePackage({ ...lottery, nodes: [drawV2] })]),
      executors: [
        ...sampleExecutors(db.sqlite),
        defineExecutor(drawV2, async ({ customer }) => {
          draws.push(customer.id);
          return { port: 'done' };
        }),
      ],
      clock,
      logger: createLogger('silent'),
    });
    cleanups.push(() => engine.stop());
    await engine.ingestEvent(event('r-c0', 'coupon.redeemed', 'c0', clock));
    expect(one(db, "SELECT status FROM Journey WHERE id = 'lucky'").status).toBe('paused');

    // A corrected version 2 is published and the waiting customers are moved onto it.
    const fixed = JSON.parse(JSON.stringify(usesLottery)) as typeof usesLottery;
    const drawNode = fixed.nodes.find((n) => n.id === 'draw');
    if (drawNode) Object.assign(drawNode, { typeVersion: 2, config: { prizes: ['券'] } });
    publishJourney(db.sqlite, 'lucky', fixed, 2);
    expect(await engine.migrateInstances('lucky', 'lucky-v2', { redeem: 'redeem' })).toEqual({ moved: 3 });
    expect(one(db, "SELECT count(*) n FROM Instance WHERE versionId = 'lucky-v2' AND nodeId = 'redeem'").n).toBe(3);
    // Each entered `redeem` afresh on version 2 (its wait scheduled again), not just relabelled.
    expect(
      one(db, "SELECT count(*) n FROM Timer t JOIN Instance i ON i.id = t.instanceId WHERE i.versionId = 'lucky-v2'").n,
    ).toBe(3);
    // The redemption that arrived while it was paused is replayed; the journey stays live.
    await engine.tick();
    expect(draws).toEqual(['c0']);
    expect(one(db, "SELECT status, pausedReason FROM Journey WHERE id = 'lucky'")).toEqual({
      status: 'live',
      pausedReason: null,
    });
    clock.advance(DAY);
    await engine.tick();
    expect(db.sqlite.prepare('SELECT status, count(*) n FROM Instance GROUP BY status').all()).toEqual([
      { status: 'completed', n: 1 },
      { status: 'exited', n: 2 },
    ]);
  });
});
