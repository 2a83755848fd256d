// Browser-safe half of the lottery package: the node definition the editor builds its palette and
// form from, and the runtime compiles journeys with. No I/O here — the draw itself runs on the
// server (./server), because prize stock lives in storage.
import { defineNode, defineNodePackage, hashToUnit, pickWeighted, t } from '@siyu/shared';
import { z } from 'zod';

/** Ports every lottery node has besides one per prize; a prize may not use these ids. */
export const NO_PRIZE_PORT = 'none';
export const FAILED_PORT = 'failed';
const RESERVED_IDS = new Set([NO_PRIZE_PORT, FAILED_PORT]);

const PrizeSchema = z.object({
  // The id is the output port an edge connects to, so it must stay short and stable.
  id: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, {
      message: '奖品编号只能是 1–40 个字母、数字、_ 或 - / prize id: 1–40 letters, digits, _ or -',
    })
    .meta({ label: t('奖品编号（出口）', 'Prize id (port)') }),
  label: z
    .string()
    .trim()
    .min(1, { message: '请填写奖品名称 / prize name is required' })
    .max(40, { message: '奖品名称最多 40 个字 / prize name: at most 40 characters' })
    .meta({ label: t('奖品名称', 'Prize name') }),
  weight: z
    .number({ message: '中奖权重须为数字 / weight must be a number' })
    .min(0, { message: '中奖权重不能为负数 / weight must not be negative' })
    .max(1_000_000, { message: '中奖权重最大 1000000 / weight: at most 1000000' })
    .meta({ label: t('中奖权重', 'Weight') }),
  /** How many of this prize the pool gives away in total; omitted = unlimited. */
  stock: z
    .number({ message: '库存须为整数 / stock must be a whole number' })
    .int({ message: '库存须为整数 / stock must be a whole number' })
    .min(0, { message: '库存不能为负数 / stock must not be negative' })
    .max(100_000_000)
    .optional()
    .meta({ label: t('库存（不填为不限量）', 'Stock (empty: unlimited)') }),
});

export const LotteryConfigSchema = z
  .object({
    /**
     * Stock is counted per pool, not per node: every lottery node with this id (in any journey or
     * published version) draws from the same stock. Use a new id to start a fresh campaign.
     */
    poolId: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{1,60}$/, {
        message: '奖池编号只能是 1–60 个字母、数字、_ 或 - / pool id: 1–60 letters, digits, _ or -',
      })
      .meta({ label: t('奖池编号（库存按奖池计）', 'Prize pool id (stock is per pool)') }),
    prizes: z
      .array(PrizeSchema)
      .min(1, { message: '至少设置一个奖品 / add at least one prize' })
      .max(20, { message: '最多 20 个奖品 / at most 20 prizes' })
      .meta({ label: t('奖品', 'Prizes') }),
    noPrizeWeight: z
      .number({ message: '未中奖权重须为数字 / no-prize weight must be a number' })
      .min(0, { message: '未中奖权重不能为负数 / no-prize weight must not be negative' })
      .max(1_000_000)
      .meta({ label: t('未中奖权重', 'Weight of "no prize"') }),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.prizes.forEach((prize, index) => {
      if (RESERVED_IDS.has(prize.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['prizes', index, 'id'],
          message: `奖品编号 "${prize.id}" 已被保留 / prize id "${prize.id}" is reserved`,
        });
      } else if (seen.has(prize.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['prizes', index, 'id'],
          message: `奖品编号 "${prize.id}" 重复 / duplicate prize id "${prize.id}"`,
        });
      }
      seen.add(prize.id);
    });
    // A negative weight is already reported on its own field: no second message about the sum.
    if (config.prizes.some((p) => p.weight < 0) || config.noPrizeWeight < 0) return;
    const total = config.prizes.reduce((sum, p) => sum + p.weight, config.noPrizeWeight);
    if (!(total > 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['prizes'],
        message: '奖品与未中奖的权重之和须大于 0 / prize and no-prize weights must add up to more than 0',
      });
    }
  });
export type LotteryConfig = z.output<typeof LotteryConfigSchema>;
export type Prize = LotteryConfig['prizes'][number];

/**
 * The draw before stock is checked: a prize, or undefined for "no prize". Deterministic in the
 * pool and the key (the step's idempotency key), so a retried step draws the same thing and a
 * test can predict it; different steps spread over the weights.
 */
export function drawPrize(config: LotteryConfig, key: string): Prize | undefined {
  const weights = [...config.prizes.map((p) => p.weight), config.noPrizeWeight];
  return config.prizes[pickWeighted(weights, hashToUnit(`${config.poolId}:${key}`))];
}

export const lotteryDraw = defineNode({
  type: 'lottery.draw',
  version: 1,
  category: 'offer',
  icon: 'gift',
  label: t('抽奖', 'Lottery draw'),
  description: t(
    '按权重抽取奖品，每个奖品一个出口；奖品库存用完按"未中奖"处理；同一步骤重试结果不变',
    'Draws a weighted prize, one port per prize; a prize out of stock counts as "no prize"; a retried step keeps its result',
  ),
  config: LotteryConfigSchema,
  defaultConfig: {
    poolId: 'spring-2026',
    prizes: [
      { id: 'grand', label: '一等奖', weight: 1, stock: 10 },
      { id: 'coupon', label: '满减券', weight: 20 },
    ],
    noPrizeWeight: 79,
  },
  outputs: (config) => [
    ...config.prizes.map((p) => ({ id: p.id, label: t(p.label, p.label) })),
    { id: NO_PRIZE_PORT, label: t('未中奖', 'No prize') },
    { id: FAILED_PORT, label: t('抽奖失败', 'Failed'), required: false },
  ],
  // The draw is a server-side effect (it counts stock); no channel, so quiet hours and frequency
  // caps do not apply. A permanent failure follows "failed".
  effect: { failurePort: FAILED_PORT, quietHours: false },
});

export const lotteryPackage = defineNodePackage({
  name: 'lottery',
  label: t('抽奖', 'Lottery'),
  nodes: [lotteryDraw],
});
