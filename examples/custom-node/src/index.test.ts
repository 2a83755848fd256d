import { createNodeRegistry, outputsOf, parseJourneyGraph, validateGraph } from '@siyu/shared';
import { describe, expect, it } from 'vitest';
import { drawPrize, type LotteryConfig, LotteryConfigSchema, lotteryDraw, lotteryPackage } from './index.ts';

const config = (overrides: Partial<LotteryConfig> = {}) =>
  LotteryConfigSchema.parse({ ...lotteryDraw.defaultConfig, ...overrides });

/** The first issue of a config that must not parse, as "path: message". */
function problem(input: unknown): string {
  const result = LotteryConfigSchema.safeParse(input);
  expect(result.success).toBe(false);
  const issue = result.error?.issues[0];
  return `${issue?.path.join('.')}: ${issue?.message}`;
}

describe('lottery.draw definition', () => {
  it('parses its default config; one port per prize, then "none" and the optional "failed"', () => {
    const parsed = config();
    const ports = outputsOf(lotteryDraw, parsed);
    expect(ports.map((p) => p.id)).toEqual(['grand', 'coupon', 'none', 'failed']);
    expect(ports[0]?.label).toEqual({ 'zh-CN': '一等奖', en: '一等奖' });
    expect(ports.find((p) => p.id === 'none')?.label).toEqual({ 'zh-CN': '未中奖', en: 'No prize' });
    expect(ports.find((p) => p.id === 'failed')?.required).toBe(false);
    expect(lotteryDraw.effect).toEqual({ failurePort: 'failed', quietHours: false });
    expect(lotteryDraw.label).toEqual({ 'zh-CN': '抽奖', en: 'Lottery draw' });
  });

  it('labels its fields in Chinese and English for the editor form', () => {
    expect(LotteryConfigSchema.shape.poolId.meta()).toMatchObject({
      label: { 'zh-CN': expect.stringContaining('奖池') },
    });
    expect(LotteryConfigSchema.shape.noPrizeWeight.meta()).toMatchObject({ label: { en: 'Weight of "no prize"' } });
  });

  it.each([
    [
      { poolId: 'spring 2026' },
      'poolId: 奖池编号只能是 1–60 个字母、数字、_ 或 - / pool id: 1–60 letters, digits, _ or -',
    ],
    [{ prizes: [] }, 'prizes: 至少设置一个奖品 / add at least one prize'],
    [
      { prizes: [{ id: '一等奖', label: 'x', weight: 1 }] },
      'prizes.0.id: 奖品编号只能是 1–40 个字母、数字、_ 或 - / prize id: 1–40 letters, digits, _ or -',
    ],
    [{ prizes: [{ id: 'a', label: ' ', weight: 1 }] }, 'prizes.0.label: 请填写奖品名称 / prize name is required'],
    [
      { prizes: [{ id: 'a', label: 'A', weight: -1 }] },
      'prizes.0.weight: 中奖权重不能为负数 / weight must not be negative',
    ],
    [
      { prizes: [{ id: 'a', label: 'A', weight: 1, stock: 2.5 }] },
      'prizes.0.stock: 库存须为整数 / stock must be a whole number',
    ],
    [
      {
        prizes: [
          { id: 'a', label: 'A', weight: 1 },
          { id: 'a', label: 'B', weight: 1 },
        ],
      },
      'prizes.1.id: 奖品编号 "a" 重复 / duplicate prize id "a"',
    ],
    [
      { prizes: [{ id: 'none', label: 'A', weight: 1 }] },
      'prizes.0.id: 奖品编号 "none" 已被保留 / prize id "none" is reserved',
    ],
    [
      { prizes: [{ id: 'a', label: 'A', weight: 0 }], noPrizeWeight: 0 },
      'prizes: 奖品与未中奖的权重之和须大于 0 / prize and no-prize weights must add up to more than 0',
    ],
    [{ noPrizeWeight: '79' }, 'noPrizeWeight: 未中奖权重须为数字 / no-prize weight must be a number'],
  ])('rejects bad config %j naming the field', (overrides, expected) => {
    expect(problem({ ...lotteryDraw.defaultConfig, ...overrides })).toBe(expected);
  });

  it('reports a negative weight once, on its field (not again as a bad total)', () => {
    const result = LotteryConfigSchema.safeParse({
      ...lotteryDraw.defaultConfig,
      prizes: [{ id: 'a', label: 'A', weight: -1 }],
      noPrizeWeight: 1,
    });
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['prizes.0.weight']);
  });

  it('names the node and field when a journey carries a bad lottery config', () => {
    const registry = createNodeRegistry([lotteryPackage]);
    const problems = validateGraph(
      parseJourneyGraph({
        nodes: [
          {
            id: 'spin',
            type: 'lottery.draw',
            typeVersion: 1,
            position: { x: 0, y: 0 },
            config: { ...lotteryDraw.defaultConfig, noPrizeWeight: -5 },
          },
        ],
        edges: [],
        settings: {},
      }),
      registry,
    );
    expect(problems).toContainEqual(
      expect.objectContaining({
        nodeId: 'spin',
        message: expect.objectContaining({ en: expect.stringContaining('noPrizeWeight') }),
      }),
    );
  });

  it('draws deterministically per key, spread over the weights', () => {
    const c = config({
      prizes: [
        { id: 'a', label: 'A', weight: 1 },
        { id: 'b', label: 'B', weight: 3 },
      ],
      noPrizeWeight: 6,
    });
    expect(drawPrize(c, '7:spin:1')).toBe(drawPrize(c, '7:spin:1'));
    const counts = { a: 0, b: 0, none: 0 };
    for (let i = 0; i < 10_000; i++) counts[(drawPrize(c, `${i}:spin:1`)?.id ?? 'none') as keyof typeof counts]++;
    // 10,000 draws at p = 0.1 / 0.3 / 0.6: σ ≤ 49, allow 4σ.
    expect(Math.abs(counts.a - 1000)).toBeLessThan(200);
    expect(Math.abs(counts.b - 3000)).toBeLessThan(200);
    expect(Math.abs(counts.none - 6000)).toBeLessThan(200);
    // A different pool is a different draw for the same step.
    const other = { ...c, poolId: 'autumn' };
    const differs = Array.from({ length: 100 }, (_, i) => drawPrize(c, `${i}`) !== drawPrize(other, `${i}`));
    expect(differs.some(Boolean)).toBe(true);
  });
});
