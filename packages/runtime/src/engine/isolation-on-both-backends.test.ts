// Isolation (isolation.ts) through createEngine on SQLite and PostgreSQL: a journey whose node
// package is missing is paused with its timers held; the healthy one carries on; once resumed with
// the package back, its held timers return and the events it missed are replayed, by one engine
// even when two share the database.
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
import { addCustomersPg, publishJourneyPg } from '../../testing/postgres-fixtures.ts';
import { sampleExecutorsOn } from '../../testing/sample-nodes.ts';
import { freshBackends } from '../db/both-backends.test-helper.ts';
import { cleanupAfterEach } from '../db/scratch-database.test-helper.ts';
import { createLogger } from '../logger.ts';
import { ManualClock } from './api.ts';
import { createEngine, type DurableEngine } from './engine.ts';

const DAY = 86_400_000;
const draws: string[] = [];
const draw = defineNode({
  type: 'lottery.draw',
  category: 'offer',
  icon: 'gift',
  label: t('抽奖', 'Lucky draw'),
  outputs: [{ id: 'done', label: t('完成', 'Done'), required: false }],
  effect: {},
  version: 1,
  config: z.object({ prize: z.string() }),
  defaultConfig: { prize: '券' },
});
const lottery = defineNodePackage({ name: 'lottery', label: t('抽奖', 'Lottery'), nodes: [draw] });
const drawExecutor: NodeExecutor = defineExecutor(draw, async ({ customer }) => {
  draws.push(customer.id);
  return { port: 'done' };
});
const healthy = graphOf(
  [
    ['start', 'sample.eventEntry', { event: 'order.placed' }],
    ['thanks', 'sample.send', { text: '谢谢' }],
  ],
  [['start', 'next', 'thanks']],
);
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

describe.each(freshBackends('isolation', cleanups))('isolation on %s', (_name, openDb) => {
  it('pauses the journey whose package is missing, holds its timers, and replays what it missed once resumed', async () => {
    const db = await openDb();
    const clock = new ManualClock();
    if (db.dialect === 'sqlite') {
      publishJourney(db.sqlite, 'healthy', healthy);
      publishJourney(db.sqlite, 'lucky', usesLottery);
      addCustomers(db.sqlite, 'c', 0, 6);
    } else {
      await publishJourneyPg(db.pool, 'healthy', healthy);
      await publishJourneyPg(db.pool, 'lucky', usesLottery);
      await addCustomersPg(db.pool, 'c', 0, 6);
    }
    await db.sql.run("UPDATE Journey SET name = '抽奖旅程' WHERE id = 'lucky'");
    const engineOf = (withLottery: boolean): DurableEngine => {
      const engine = createEngine({
        db,
        registry: createNodeRegistry(withLottery ? [samplePackage, lottery] : [samplePackage]),
        executors: [...sampleExecutorsOn(db), ...(withLottery ? [drawExecutor] : [])],
        clock,
        logger: createLogger('silent'),
      });
      cleanups.push(() => engine.stop());
      return engine;
    };
    const event = (id: string, type: string, customerId: string) => ({
      id,
      type,
      customerId,
      occurredAt: new Date(clock.now()),
    });

    const before = engineOf(true);
    for (const id of ['c0', 'c1', 'c2', 'c3']) await before.ingestEvent(event(`s-${id}`, 'signup.done', id));
    await before.tick();
    await before.stop();

    // Restarted without the package: the first touch pauses the journey; intake and the healthy one go on.
    const broken = engineOf(false);
    for (const id of ['c0', 'c1']) {
      expect(await broken.ingestEvent(event(`r-${id}`, 'coupon.redeemed', id))).toMatchObject({
        status: 'accepted',
        delivered: 0,
      });
    }
    await broken.ingestEvent(event('o-c5', 'order.placed', 'c5'));
    expect((await broken.tick()).effectsRun).toBe(1);
    const [journey] = await db.sql.all<{ status: string; pausedReason: string }>(
      "SELECT status, pausedReason FROM Journey WHERE id = 'lucky'",
    );
    expect(journey?.status).toBe('paused');
    expect(parsePauseReason(journey?.pausedReason as string)).toMatchObject({
      kind: 'packageMissing',
      journey: { id: 'lucky', name: '抽奖旅程' },
      version: { id: 'lucky-v1', number: 1 },
      node: { id: 'draw', type: 'lottery.draw' },
    });
    const count = async (sql: string) => (await db.sql.get<{ n: number }>(sql))?.n;
    expect(await count("SELECT count(*) AS n FROM HeldTimer WHERE journeyId = 'lucky'")).toBe(4);
    expect(await count('SELECT count(*) AS n FROM Timer')).toBe(0);
    expect(await count("SELECT count(*) AS n FROM Message WHERE customerId = 'c5'")).toBe(1);
    await broken.stop();

    // The package is back and an operator resumes the journey: two engines tick, one replays.
    const [fixedA, fixedB] = [engineOf(true), engineOf(true)];
    await db.sql.run("UPDATE Journey SET status = 'live' WHERE id = 'lucky'");
    await Promise.all([fixedA.tick(), fixedB.tick()]);
    expect(draws.sort()).toEqual(['c0', 'c1']);
    expect(await count('SELECT count(*) AS n FROM HeldTimer')).toBe(0);
    expect(await count('SELECT count(*) AS n FROM Journey WHERE pausedReason IS NOT NULL')).toBe(0);
    // The other two time out as they would have.
    clock.advance(DAY);
    await Promise.all([fixedA.tick(), fixedB.tick()]);
    expect(
      await db.sql.all(
        "SELECT status, count(*) AS n FROM Instance WHERE journeyId = 'lucky' GROUP BY status ORDER BY status",
      ),
    ).toEqual([
      { status: 'completed', n: 2 },
      { status: 'exited', n: 2 },
    ]);
    expect(draws).toHaveLength(2);
  });
});
