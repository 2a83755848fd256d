// The lottery through the real runtime: discovered from this folder the way `pnpm start` finds it
// (no registration anywhere else), assembled with the built-in packages, run by the durable
// engine on SQLite with a hand-moved clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createEngine,
  createExtensionStorage,
  createLogger,
  type Database,
  type DurableEngine,
  discoverRuntimeNodePackages,
  ManualClock,
  openDatabase,
  runtimeNodes,
} from '@siyu/runtime';
import { addCustomers, graphOf, publishJourney } from '@siyu/runtime/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drawPrize, LotteryConfigSchema, lotteryPackage } from '../index.ts';
import { drawKey } from './draw-executor.ts';

const logger = createLogger('silent');
let dir: string;
let db: Database;
let clock: ManualClock;
let engine: DurableEngine;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lottery-journey-'));
  db = await openDatabase(join(dir, 'test.db'));
  clock = new ManualClock(Date.UTC(2026, 2, 2, 2, 0, 0));
  const discovered = await discoverRuntimeNodePackages(logger);
  const nodes = runtimeNodes(logger, discovered)(db, clock);
  engine = createEngine({
    db,
    registry: nodes.registry,
    executors: nodes.serverPackages.flatMap((p) => p.executors),
    clock,
    logger,
  });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const spin = {
  poolId: 'launch',
  prizes: [
    { id: 'gold', label: '金奖', weight: 1, stock: 2 },
    { id: 'coupon', label: '满减券', weight: 1 },
  ],
  noPrizeWeight: 1,
};

function publishLottery() {
  publishJourney(
    db.sqlite,
    'lucky',
    graphOf(
      [
        ['entry', 'core.apiEntry', {}],
        ['spin', 'lottery.draw', spin],
        ['tagWinner', 'core.updateTags', { add: ['中奖:金奖'] }],
        ['gold', 'core.exit', { reason: 'gold' }],
        ['coupon', 'core.exit', { reason: 'coupon' }],
        ['none', 'core.exit', { reason: 'none' }],
        ['failed', 'core.exit', { reason: 'failed' }],
      ],
      [
        ['entry', 'next', 'spin'],
        ['spin', 'gold', 'tagWinner'],
        ['tagWinner', 'next', 'gold'],
        ['spin', 'coupon', 'coupon'],
        ['spin', 'none', 'none'],
        ['spin', 'failed', 'failed'],
      ],
    ),
  );
}

const sql = <T>(query: string, ...params: unknown[]) => db.sqlite.prepare(query).all(...params) as T[];
const exitReasons = () =>
  Object.fromEntries(
    sql<{ customerId: string; exitReason: string }>('SELECT customerId, exitReason FROM Instance').map((r) => [
      r.customerId,
      r.exitReason,
    ]),
  );

describe('lottery package in the runtime', () => {
  it('is discovered from its package.json marker alongside the built-in packages', async () => {
    const discovered = await discoverRuntimeNodePackages(logger);
    expect(discovered.map((p) => p.name)).toContain('@siyu-example/lottery');
    const nodes = runtimeNodes(logger, discovered)(db, clock);
    expect(nodes.registry.get('lottery.draw')?.label['zh-CN']).toBe('抽奖');
    expect(nodes.registry.get('core.wait')).toBeDefined();
    // After the built-ins (other discovered packages may be there too).
    const names = nodes.serverPackages.map((p) => p.name);
    expect(names.slice(0, 4)).toEqual(['core', 'sms', 'wecom', 'coupons']);
    expect(names).toContain('lottery');
    // The discovered module is this very file's package (one module instance: instanceof works).
    expect(nodes.registry.packages).toContain(lotteryPackage);
  });

  it('draws in a journey: every port, stock held over 30 customers, winners tagged', async () => {
    publishLottery();
    const ids = addCustomers(db.sqlite, 'c', 0, 30);
    await engine.enrollMany('lucky', ids);
    await engine.tick();

    // Predict each customer's draw from the step's idempotency key, then apply the stock of 2.
    const config = LotteryConfigSchema.parse(spin);
    const effects = sql<{ idempotencyKey: string; instanceId: number }>(
      "SELECT idempotencyKey, instanceId FROM OutboxEffect WHERE nodeType = 'lottery.draw' ORDER BY id",
    );
    expect(effects).toHaveLength(30);
    const drawn = effects.map((e) => drawPrize(config, e.idempotencyKey)?.id ?? 'none');
    expect(drawn.filter((d) => d === 'gold').length).toBeGreaterThan(2); // so stock matters

    const reasons = Object.values(exitReasons());
    const count = (reason: string) => reasons.filter((r) => r === reason).length;
    expect(count('gold')).toBe(2);
    expect(count('coupon')).toBe(drawn.filter((d) => d === 'coupon').length);
    expect(count('none')).toBe(drawn.filter((d) => d !== 'coupon').length - 2);
    expect(count('failed')).toBe(0);

    const winners = sql<{ customerId: string }>("SELECT customerId FROM CustomerTag WHERE tag = '中奖:金奖'");
    expect(winners.map((w) => exitReasons()[w.customerId])).toEqual(['gold', 'gold']);
    const outOfStock = sql<{ result: string }>("SELECT result FROM OutboxEffect WHERE result LIKE '%outOfStock%'");
    expect(outOfStock).toHaveLength(drawn.filter((d) => d === 'gold').length - 2);
  });

  it('a permanent failure follows "failed"', async () => {
    publishLottery();
    addCustomers(db.sqlite, 'c', 0, 1);
    await engine.enrollMany('lucky', ['c0']);
    // The step was drawn before with a prize this version does not have (e.g. before a migration).
    const [effect] = sql<{ idempotencyKey: string }>('SELECT idempotencyKey FROM OutboxEffect');
    await createExtensionStorage(db, 'lottery', clock).transaction((tx) =>
      tx.set(drawKey(effect!.idempotencyKey), { prizeId: 'retired' }),
    );
    await engine.tick();
    expect(exitReasons()).toEqual({ c0: 'failed' });
    expect(sql<{ lastError: string }>('SELECT lastError FROM OutboxEffect')[0]?.lastError).toContain('retired');
  });
});
