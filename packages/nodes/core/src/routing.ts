// Nodes that choose a path at once: branch on conditions, A/B split, random split. Splits use
// ctx.random (a hash of customer and node), so a replay or a simulation picks the same path.
import { conditionContext, defineNode, evaluateFilter, FilterSchema, pickWeighted, t } from '@siyu/shared';
import { z } from 'zod';

/** Port ids are the keys edges use: short, stable, and never "else" (taken by the branch). */
/**
 * An output port's key (a branch case's, a variant's, a path's): edges name it, operators never see
 * it — the editor hides the field and gives a new item an unused one (widget 'portId').
 */
const PortIdSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,40}$/, { message: '分支 id 只能包含字母、数字、_ 和 - / letters, digits, _ and - only' })
  .meta({ widget: 'portId' });

function uniqueIds(list: ReadonlyArray<{ id: string }>, ctx: z.RefinementCtx, field: string): void {
  const seen = new Set<string>();
  list.forEach((item, index) => {
    if (seen.has(item.id)) {
      ctx.addIssue({
        code: 'custom',
        path: [field, index, 'id'],
        message: `重复的 id "${item.id}" / duplicate id "${item.id}"`,
      });
    }
    seen.add(item.id);
  });
}

export const branch = defineNode({
  type: 'core.branch',
  version: 1,
  category: 'flow',
  icon: 'branch',
  label: t('条件分支', 'Branch'),
  description: t(
    '按标签、属性、RFM、渠道判断，依次匹配各分支，都不满足走"其他"',
    'Checks tags, attributes, RFM and channel; the first matching case wins, otherwise "else"',
  ),
  config: z
    .object({
      cases: z
        .array(
          z.object({
            id: PortIdSchema,
            label: z.string().trim().min(1).max(40),
            filter: FilterSchema.meta({ widget: 'filter' }),
          }),
        )
        .min(1, { message: '至少一个分支 / at least one case' })
        .max(20),
    })
    .superRefine((c, ctx) => {
      uniqueIds(c.cases, ctx, 'cases');
      c.cases.forEach((k, index) => {
        if (k.id === 'else')
          ctx.addIssue({
            code: 'custom',
            path: ['cases', index, 'id'],
            message: '"else" 已被"其他"分支占用 / "else" is reserved',
          });
      });
    }),
  defaultConfig: {
    cases: [
      {
        id: 'vip',
        label: 'VIP',
        filter: { match: 'all', conditions: [{ field: 'tags', op: 'hasTag', value: 'VIP' }] },
      },
    ],
  },
  outputs: (config) => [
    ...config.cases.map((k) => ({ id: k.id, label: t(k.label, k.label) })),
    { id: 'else', label: t('其他', 'Else') },
  ],
  decide: (config, ctx) =>
    config.cases.find((k) => evaluateFilter(k.filter, conditionContext(ctx.customer, ctx.event)))?.id ?? 'else',
});

const VariantSchema = z.object({
  id: PortIdSchema,
  label: z.string().trim().min(1).max(40),
  weight: z
    .number()
    .min(0)
    .max(100)
    .meta({ label: t('占比（%）', 'Share (%)') }),
});

/**
 * v1 weights were relative (1 : 1, 30 : 70 : 1000): v2 stores percentages that add up to 100,
 * which is what operators read them as. Scaled to two decimals, the remainder on the last
 * variant, so the split stays as it was (within 0.01 %).
 */
export function weightsToPercent(config: Record<string, unknown>): Record<string, unknown> {
  const variants = (Array.isArray(config.variants) ? config.variants : []) as { weight?: unknown }[];
  const weights = variants.map((v) => (typeof v.weight === 'number' && v.weight > 0 ? v.weight : 0));
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0) return config;
  let given = 0;
  const percent = weights.map((w, i) => {
    if (i === weights.length - 1) return Math.round((100 - given) * 100) / 100;
    const p = Math.round((w / total) * 10_000) / 100;
    given += p;
    return p;
  });
  return { ...config, variants: variants.map((v, i) => ({ ...v, weight: percent[i] })) };
}

export const abSplit = defineNode({
  type: 'core.abSplit',
  version: 2,
  category: 'flow',
  icon: 'split',
  label: t('A/B 测试', 'A/B test'),
  description: t(
    '按权重把客户分到各方案（同一客户始终进同一方案）；报表比较各方案转化，可一键推广胜出方案',
    'Splits customers over weighted variants (a customer always gets the same one); the report compares conversions and can promote the winner',
  ),
  config: z
    .object({
      variants: z.array(VariantSchema).min(2, { message: '至少两个方案 / at least two variants' }).max(10),
      /** Set when the test ended: every customer goes to this variant. */
      winner: z
        .string()
        .optional()
        .meta({ label: t('胜出方案（设置后全部走此方案）', 'Winner (everyone goes here once set)') }),
    })
    .superRefine((c, ctx) => {
      uniqueIds(c.variants, ctx, 'variants');
      // Shown live under the variants while the operator types (the inspector validates the config).
      const total = Math.round(c.variants.reduce((sum, v) => sum + v.weight, 0) * 100) / 100;
      if (total !== 100) {
        ctx.addIssue({
          code: 'custom',
          path: ['variants'],
          message: `各方案占比合计须为 100%（现为 ${total}%） / variant shares must add up to 100% (now ${total}%)`,
        });
      }
      if (c.winner !== undefined && !c.variants.some((v) => v.id === c.winner)) {
        ctx.addIssue({
          code: 'custom',
          path: ['winner'],
          message: `没有方案 "${c.winner}" / no variant "${c.winner}"`,
        });
      }
    }),
  defaultConfig: {
    variants: [
      { id: 'a', label: '方案 A', weight: 50 },
      { id: 'b', label: '方案 B', weight: 50 },
    ],
  },
  migrations: [{ from: 1, name: 'weights become percentages', up: weightsToPercent }],
  outputs: (config) => config.variants.map((v) => ({ id: v.id, label: t(v.label, v.label) })),
  decide: (config, ctx) =>
    config.winner ??
    (config.variants[
      pickWeighted(
        config.variants.map((v) => v.weight),
        ctx.random,
      )
    ]?.id as string),
});

export const randomSplit = defineNode({
  type: 'core.randomSplit',
  version: 1,
  category: 'flow',
  icon: 'shuffle',
  label: t('随机分流', 'Random split'),
  description: t(
    '按百分比随机分流（如分批触达、控制发送量），同一客户结果固定',
    'Splits by percentage (e.g. to stagger a send); the same customer always gets the same path',
  ),
  config: z
    .object({
      paths: z
        .array(
          z.object({ id: PortIdSchema, label: z.string().trim().min(1).max(40), percent: z.number().min(0).max(100) }),
        )
        .min(2)
        .max(10),
    })
    .superRefine((c, ctx) => {
      uniqueIds(c.paths, ctx, 'paths');
      const total = c.paths.reduce((sum, p) => sum + p.percent, 0);
      if (Math.abs(total - 100) > 1e-9) {
        ctx.addIssue({
          code: 'custom',
          path: ['paths'],
          message: `百分比合计须为 100（现为 ${total}）/ percentages must add up to 100 (now ${total})`,
        });
      }
    }),
  defaultConfig: {
    paths: [
      { id: 'p1', label: '50%', percent: 50 },
      { id: 'p2', label: '50%', percent: 50 },
    ],
  },
  outputs: (config) => config.paths.map((p) => ({ id: p.id, label: t(p.label, p.label) })),
  decide: (config, ctx) =>
    config.paths[
      pickWeighted(
        config.paths.map((p) => p.percent),
        ctx.random,
      )
    ]?.id as string,
});
