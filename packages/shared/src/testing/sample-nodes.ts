// `@siyu/shared/testing`: the one stand-in node package for tests (shared, editor, runtime) and the
// benchmark. It has the shape of the real core/sms/wecom/coupons nodes (decide / effect / await
// parts, the same ports) so the engine, the validator and the editor can be tested and measured
// without them. Server-side executors for it live with the runtime (packages/runtime/testing/sample-nodes.ts).
import { z } from 'zod';
import { evaluateFilter, FilterSchema } from '../condition.ts';
import { conditionContext } from '../condition-context.ts';
import { DurationSchema, durationToMs } from '../duration.ts';
import { pickWeighted } from '../hash.ts';
import { t } from '../i18n.ts';
import { defineNode, defineNodePackage } from '../node-sdk.ts';
import { createNodeRegistry } from '../registry.ts';

const next = [{ id: 'next', label: t('继续', 'Next') }];

/** Entered through the API; at most one per journey. */
export const apiEntry = defineNode({
  type: 'sample.apiEntry',
  version: 1,
  category: 'entry',
  icon: 'api',
  label: t('API 入口', 'API entry'),
  config: z.object({}),
  defaultConfig: {},
  outputs: next,
  entry: { trigger: () => ({ kind: 'api' }), maxPerJourney: 1 },
});

export const eventEntry = defineNode({
  type: 'sample.eventEntry',
  version: 1,
  category: 'entry',
  icon: 'bolt',
  label: t('事件入口', 'Event entry'),
  config: z.object({ event: z.string().min(1), filter: FilterSchema.optional() }),
  defaultConfig: { event: 'wecom.contactAdded' },
  outputs: next,
  entry: { trigger: (c) => ({ kind: 'event', event: c.event, filter: c.filter }) },
});

export const send = defineNode({
  type: 'sample.send',
  version: 1,
  category: 'message',
  icon: 'sms',
  label: t('发送消息', 'Send message'),
  config: z.object({ channel: z.enum(['sms', 'wecom']).default('wecom'), text: z.string().min(1).max(500) }),
  defaultConfig: { channel: 'wecom', text: '你好' },
  outputs: [
    { id: 'sent', label: t('已发送', 'Sent') },
    { id: 'failed', label: t('失败', 'Failed'), required: false },
  ],
  effect: { channel: 'wecom', failurePort: 'failed' },
});

export const tag = defineNode({
  type: 'sample.tag',
  version: 1,
  category: 'customer',
  icon: 'tag',
  label: t('打标签', 'Tag'),
  config: z.object({ add: z.array(z.string().min(1)).default([]) }),
  defaultConfig: { add: [] },
  outputs: next,
  effect: {},
  // Applied in the step where the store can (as core.updateTags); the executor otherwise.
  customerUpdate: (config) => ({ update: { addTags: config.add }, port: 'next' }),
});

export const coupon = defineNode({
  type: 'sample.coupon',
  version: 1,
  category: 'offer',
  icon: 'ticket',
  label: t('发券', 'Issue coupon'),
  config: z.object({ stock: z.string().min(1) }),
  defaultConfig: { stock: 'welcome' },
  outputs: [
    { id: 'issued', label: t('已发券', 'Issued') },
    { id: 'failed', label: t('失败', 'Failed'), required: false },
  ],
  effect: { failurePort: 'failed' },
});

export const wait = defineNode({
  type: 'sample.wait',
  version: 1,
  category: 'flow',
  icon: 'clock',
  label: t('等待', 'Wait'),
  config: z.object({ duration: DurationSchema }),
  defaultConfig: { duration: { amount: 1, unit: 'days' } },
  outputs: next,
  await: (c, ctx) => ({ timeout: { at: new Date(ctx.now.getTime() + durationToMs(c.duration)), port: 'next' } }),
});

export const waitForEvent = defineNode({
  type: 'sample.waitForEvent',
  version: 1,
  category: 'flow',
  icon: 'hourglass',
  label: t('等待事件', 'Wait for event'),
  config: z.object({ event: z.string().min(1), filter: FilterSchema.optional(), timeout: DurationSchema }),
  defaultConfig: { event: 'order.placed', timeout: { amount: 7, unit: 'days' } },
  outputs: [
    { id: 'matched', label: t('已发生', 'Matched') },
    { id: 'timeout', label: t('超时', 'Timed out') },
  ],
  await: (c, ctx) => ({
    events: [{ type: c.event, filter: c.filter, port: 'matched' }],
    timeout: { at: new Date(ctx.now.getTime() + durationToMs(c.timeout)), port: 'timeout' },
  }),
});

export const branch = defineNode({
  type: 'sample.branch',
  version: 1,
  category: 'flow',
  icon: 'branch',
  label: t('条件分支', 'Branch'),
  config: z.object({ cases: z.array(z.object({ id: z.string().min(1), filter: FilterSchema })).min(1) }),
  defaultConfig: { cases: [{ id: 'yes', filter: { match: 'all', conditions: [] } }] },
  outputs: (c) => [
    ...c.cases.map((k) => ({ id: k.id, label: t(k.id, k.id) })),
    { id: 'else', label: t('其他', 'Else') },
  ],
  decide: (c, ctx) =>
    c.cases.find((k) => evaluateFilter(k.filter, conditionContext(ctx.customer, ctx.event)))?.id ?? 'else',
});

/** Weighted variants, one port each (named by the variant's label when it has one). */
export const split = defineNode({
  type: 'sample.split',
  version: 1,
  category: 'flow',
  icon: 'split',
  label: t('A/B 分流', 'A/B split'),
  config: z.object({
    variants: z
      .array(z.object({ id: z.string().min(1), label: z.string().optional(), weight: z.number().positive() }))
      .min(2),
  }),
  defaultConfig: {
    variants: [
      { id: 'a', weight: 1 },
      { id: 'b', weight: 1 },
    ],
  },
  outputs: (c) => c.variants.map((v) => ({ id: v.id, label: t(v.label ?? v.id, v.label ?? v.id) })),
  decide: (c, ctx) =>
    c.variants[
      pickWeighted(
        c.variants.map((v) => v.weight),
        ctx.random,
      )
    ]?.id ?? 'a',
});

/** Ends the run as exited. */
export const exit = defineNode({
  type: 'sample.exit',
  version: 1,
  category: 'goal',
  icon: 'flag',
  label: t('退出', 'Exit'),
  config: z.object({ reason: z.string().default('done') }),
  defaultConfig: { reason: 'done' },
  outputs: [],
  ends: 'exited',
});

/** A node without outputs that declares no ending: the run completes there. */
export const end = defineNode({
  type: 'sample.end',
  version: 1,
  category: 'goal',
  icon: 'flag',
  label: t('结束', 'End'),
  config: z.object({}),
  defaultConfig: {},
  outputs: [],
});

export const samplePackage = defineNodePackage({
  name: 'sample',
  label: t('示例节点', 'Sample nodes'),
  nodes: [apiEntry, eventEntry, send, tag, coupon, wait, waitForEvent, branch, split, exit, end],
});

/** The sample package alone, for tests that validate or convert graphs without a runtime. */
export const sampleRegistry = createNodeRegistry([samplePackage]);
