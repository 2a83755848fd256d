// Small node definitions for the shared package's own tests (real node packages live in packages/nodes).
import { z } from 'zod';
import { DurationSchema, durationToMs } from './duration.ts';
import { t } from './i18n.ts';
import { defineNode, defineNodePackage } from './node-sdk.ts';
import { createNodeRegistry } from './registry.ts';

export const entry = defineNode({
  type: 'test.entry',
  version: 1,
  category: 'entry',
  icon: 'door',
  label: t('入口', 'Entry'),
  config: z.object({ event: z.string().min(1) }),
  defaultConfig: { event: 'order.placed' },
  outputs: [{ id: 'next', label: t('继续', 'Next') }],
  entry: { trigger: (c) => ({ kind: 'event', event: c.event }) },
});

export const apiEntry = defineNode({
  type: 'test.apiEntry',
  version: 1,
  category: 'entry',
  icon: 'api',
  label: t('API 入口', 'API entry'),
  config: z.object({}),
  defaultConfig: {},
  outputs: [{ id: 'next', label: t('继续', 'Next') }],
  entry: { trigger: () => ({ kind: 'api' }), maxPerJourney: 1 },
});

export const wait = defineNode({
  type: 'test.wait',
  version: 1,
  category: 'flow',
  icon: 'clock',
  label: t('等待', 'Wait'),
  config: z.object({ duration: DurationSchema }),
  defaultConfig: { duration: { amount: 1, unit: 'days' } },
  outputs: [{ id: 'next', label: t('继续', 'Next') }],
  await: (c, ctx) => ({ timeout: { at: new Date(ctx.now.getTime() + durationToMs(c.duration)), port: 'next' } }),
});

export const split = defineNode({
  type: 'test.split',
  version: 2,
  category: 'flow',
  icon: 'split',
  label: t('分流', 'Split'),
  config: z.object({
    variants: z.array(z.object({ id: z.string().min(1), weight: z.number().positive() })).min(2),
  }),
  defaultConfig: {
    variants: [
      { id: 'a', weight: 1 },
      { id: 'b', weight: 1 },
    ],
  },
  outputs: (c) => c.variants.map((v) => ({ id: v.id, label: t(v.id, v.id) })),
  decide: (c, ctx) => c.variants[Math.floor(ctx.random * c.variants.length)]?.id ?? 'a',
  migrations: [
    {
      from: 1,
      name: 'percentages-to-variants',
      up: (old) => ({
        variants: [
          { id: 'a', weight: Number(old.percentA) },
          { id: 'b', weight: 100 - Number(old.percentA) },
        ],
      }),
    },
  ],
});

export const send = defineNode({
  type: 'test.send',
  version: 1,
  category: 'message',
  icon: 'sms',
  label: t('发送', 'Send'),
  config: z.object({ text: z.string().min(1).max(500) }),
  defaultConfig: { text: 'hi' },
  outputs: [
    { id: 'sent', label: t('已发送', 'Sent') },
    { id: 'failed', label: t('失败', 'Failed'), required: false },
  ],
  effect: { channel: 'sms', failurePort: 'failed' },
});

export const exit = defineNode({
  type: 'test.exit',
  version: 1,
  category: 'goal',
  icon: 'flag',
  label: t('退出', 'Exit'),
  config: z.object({}),
  defaultConfig: {},
  outputs: [],
  ends: 'exited',
});

export const testRegistry = createNodeRegistry([
  defineNodePackage({ name: 'test', label: t('测试', 'Test'), nodes: [entry, apiEntry, wait, split, send, exit] }),
]);
