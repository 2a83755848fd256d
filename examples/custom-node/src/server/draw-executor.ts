// lottery.draw on the server: draw (deterministic per step), then — in ONE storage transaction —
// either find this step's earlier result or count the prize against its stock and record the
// result under the step's idempotency key. Retries, crashes between the write and the port, and
// concurrent steps therefore never give a prize twice or beyond its stock.
import { defineExecutor, type ExtensionStorage, PermanentError, RetryableError } from '@siyu/shared';
import { z } from 'zod';
import { drawPrize, type LotteryConfig, lotteryDraw, NO_PRIZE_PORT } from '../index.ts';

/** What a draw stores under `draw:<idempotencyKey>`: the prize given, or null for none. */
const DrawRecordSchema = z.object({
  prizeId: z.string().nullable(),
  /** The prize drawn but out of stock (the customer got "no prize"). */
  outOfStock: z.string().optional(),
});
type DrawRecord = z.output<typeof DrawRecordSchema>;

export const drawKey = (idempotencyKey: string) => `draw:${idempotencyKey}`;
export const stockKey = (poolId: string, prizeId: string) => `given:${poolId}:${prizeId}`;

async function recordDraw(storage: ExtensionStorage, config: LotteryConfig, idempotencyKey: string) {
  const drawn = drawPrize(config, idempotencyKey);
  try {
    return await storage.once<DrawRecord>(drawKey(idempotencyKey), (tx) => {
      if (!drawn) return { prizeId: null };
      if (drawn.stock === undefined) return { prizeId: drawn.id };
      const given = tx.get<number>(stockKey(config.poolId, drawn.id)) ?? 0;
      if (given >= drawn.stock) return { prizeId: null, outOfStock: drawn.id };
      tx.set(stockKey(config.poolId, drawn.id), given + 1);
      return { prizeId: drawn.id };
    });
  } catch (error) {
    // Storage trouble (database busy or restarting) may pass: let the runtime retry the step with
    // the same key. If it never passes, the runtime gives up after its attempts → "failed".
    throw new RetryableError(`抽奖记录写入失败 / could not record the draw: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

export function drawExecutor(storage: ExtensionStorage) {
  return defineExecutor(lotteryDraw, async ({ config, idempotencyKey }) => {
    const { value, created } = await recordDraw(storage, config, idempotencyKey);
    const record = DrawRecordSchema.safeParse(value);
    if (!record.success) {
      throw new PermanentError(`stored draw ${drawKey(idempotencyKey)} is malformed`, { code: 'badRecord' });
    }
    const { prizeId, outOfStock } = record.data;
    // The step was drawn before with a prize this node no longer has (the instance moved to a
    // version with other prizes): retrying cannot change that, so follow "failed".
    const prize = prizeId === null ? undefined : config.prizes.find((p) => p.id === prizeId);
    if (prizeId !== null && !prize) {
      throw new PermanentError(
        `此前抽中的奖品 "${prizeId}" 已不在本节点 / earlier draw "${prizeId}" is not a prize here`,
        {
          code: 'unknownPrize',
        },
      );
    }
    return {
      port: prize?.id ?? NO_PRIZE_PORT,
      data: {
        poolId: config.poolId,
        prizeId,
        prizeLabel: prize?.label ?? null,
        ...(outOfStock ? { outOfStock } : {}),
        repeated: !created,
      },
    };
  });
}
