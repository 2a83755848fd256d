// The executor against the runtime's real extension storage (SQLite in a temp folder): each port,
// stock held across retries and concurrent steps, retryable vs permanent failures.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createExtensionStorage, type Database, ManualClock, openDatabase } from '@siyu/runtime';
import { type ExecutorContext, type ExtensionStorage, PermanentError, RetryableError } from '@siyu/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drawPrize, type LotteryConfig, LotteryConfigSchema } from '../index.ts';
import { drawExecutor, drawKey, stockKey } from './draw-executor.ts';

let dir: string;
let db: Database;
let storage: ExtensionStorage;
const clock = new ManualClock(Date.UTC(2026, 2, 2, 2, 0, 0));

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lottery-'));
  db = await openDatabase(join(dir, 'test.db'));
  storage = createExtensionStorage(db, 'lottery', clock);
});
afterEach(() => {
  if (db.sqlite.open) db.sqlite.close();
  rmSync(dir, { recursive: true, force: true });
});

const lottery = (input: Partial<LotteryConfig>): LotteryConfig =>
  LotteryConfigSchema.parse({
    poolId: 'p',
    prizes: [{ id: 'a', label: '奖品A', weight: 1 }],
    noPrizeWeight: 0,
    ...input,
  });

function run(config: LotteryConfig, idempotencyKey: string, attempt = 1) {
  const ctx: ExecutorContext<LotteryConfig> = {
    config,
    customer: { id: 'c1', tags: [], attributes: {}, identities: {} },
    idempotencyKey,
    attempt,
    journey: { id: 'j', versionId: 'j-v1' },
    instanceId: '1',
    nodeId: 'spin',
    now: new Date(clock.now()),
    signal: new AbortController().signal,
  };
  return drawExecutor(storage).run(ctx);
}

/** Keys whose draw lands on `prizeId` (or on "no prize" for undefined) before stock, for predictable tests. */
function keysDrawing(config: LotteryConfig, prizeId: string | undefined, count: number): string[] {
  const keys: string[] = [];
  for (let i = 0; keys.length < count; i++) if (drawPrize(config, `k${i}`)?.id === prizeId) keys.push(`k${i}`);
  return keys;
}

describe('lottery.draw executor', () => {
  const two = lottery({
    prizes: [
      { id: 'gold', label: '金奖', weight: 1, stock: 1 },
      { id: 'coupon', label: '满减券', weight: 1 },
    ],
    noPrizeWeight: 1,
  });

  it('follows the drawn prize\'s port with its label, and "none" for no prize', async () => {
    const [goldKey] = keysDrawing(two, 'gold', 1);
    const [couponKey] = keysDrawing(two, 'coupon', 1);
    const [noneKey] = keysDrawing(two, undefined, 1);
    expect(await run(two, goldKey!)).toEqual({
      port: 'gold',
      data: { poolId: 'p', prizeId: 'gold', prizeLabel: '金奖', repeated: false },
    });
    expect((await run(two, couponKey!)).port).toBe('coupon');
    expect(await run(two, noneKey!)).toEqual({
      port: 'none',
      data: { poolId: 'p', prizeId: null, prizeLabel: null, repeated: false },
    });
  });

  it('a prize out of stock goes to "none" and says which prize ran out', async () => {
    const [first, second] = keysDrawing(two, 'gold', 2);
    expect((await run(two, first!)).port).toBe('gold');
    expect(await run(two, second!)).toEqual({
      port: 'none',
      data: { poolId: 'p', prizeId: null, prizeLabel: null, outOfStock: 'gold', repeated: false },
    });
    expect(await storage.get(stockKey('p', 'gold'))).toBe(1);
  });

  it('a retried step gets the same prize and does not count stock again, even after stock ran out', async () => {
    const config = lottery({ prizes: [{ id: 'a', label: 'A', weight: 1, stock: 1 }] });
    const first = await run(config, 'retry-me', 1);
    expect(first.port).toBe('a');
    const again = await run(config, 'retry-me', 2);
    expect(again).toEqual({ ...first, data: { ...first.data, repeated: true } });
    expect(await storage.get(stockKey('p', 'a'))).toBe(1);
    expect(await storage.get(drawKey('retry-me'))).toEqual({ prizeId: 'a' });
  });

  it('concurrent steps never give more than the stock', async () => {
    const config = lottery({ prizes: [{ id: 'a', label: 'A', weight: 1, stock: 3 }] });
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => run(config, `c${i}`)));
    expect(results.filter((r) => r.port === 'a')).toHaveLength(3);
    expect(results.filter((r) => r.port === 'none' && r.data?.outOfStock === 'a')).toHaveLength(37);
  });

  it('stock is per pool: another pool id starts from zero', async () => {
    const spring = lottery({ prizes: [{ id: 'a', label: 'A', weight: 1, stock: 1 }] });
    expect((await run(spring, 's1')).port).toBe('a');
    expect((await run(spring, 's2')).port).toBe('none');
    expect((await run({ ...spring, poolId: 'autumn' }, 's3')).port).toBe('a');
  });

  it('storage that cannot be reached is a retryable failure naming the cause', async () => {
    db.sqlite.close();
    const error = await run(two, 'k1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as Error).message).toMatch(/could not record the draw: .*database connection is not open/);
  });

  it('an earlier draw of a prize this node no longer has is a permanent failure', async () => {
    const config = lottery({ prizes: [{ id: 'a', label: 'A', weight: 1 }] });
    expect((await run(config, 'moved')).port).toBe('a');
    const edited = lottery({ prizes: [{ id: 'b', label: 'B', weight: 1 }] });
    const error = await run(edited, 'moved').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect(error).toMatchObject({ code: 'unknownPrize', message: expect.stringContaining('earlier draw "a"') });
  });

  it('a malformed stored draw is a permanent failure', async () => {
    await storage.transaction((tx) => tx.set(drawKey('bad'), { prize: 'a' }));
    await expect(run(two, 'bad')).rejects.toMatchObject({ name: 'PermanentError', code: 'badRecord' });
  });
});
