// A tiny node package for the editor's own unit tests (the real ones live in packages/nodes).
import { createNodeRegistry, DurationSchema, defineNode, defineNodePackage, t } from '@siyu/shared';
import { z } from 'zod';

export const fixtureEntry = defineNode({
  type: 'fx.entry',
  version: 1,
  category: 'entry',
  icon: 'door',
  label: t('入口', 'Entry'),
  config: z.object({ event: z.string().min(1) }),
  defaultConfig: { event: 'order.placed' },
  outputs: [{ id: 'next', label: t('继续', 'Next') }],
  entry: { trigger: (c) => ({ kind: 'event', event: c.event }) },
});

export const fixtureWait = defineNode({
  type: 'fx.wait',
  version: 1,
  category: 'flow',
  icon: 'clock',
  label: t('等待', 'Wait'),
  config: z.object({ duration: DurationSchema.meta({ widget: 'duration' }) }),
  defaultConfig: { duration: { amount: 1, unit: 'days' } },
  outputs: [{ id: 'next', label: t('继续', 'Next') }],
});

export const fixtureSplit = defineNode({
  type: 'fx.split',
  version: 1,
  category: 'flow',
  icon: 'split',
  label: t('分流', 'Split'),
  config: z.object({
    variants: z.array(z.object({ id: z.string().min(1), label: z.string(), weight: z.number().positive() })).min(2),
  }),
  defaultConfig: {
    variants: [
      { id: 'a', label: 'A', weight: 1 },
      { id: 'b', label: 'B', weight: 1 },
    ],
  },
  outputs: (c) => c.variants.map((v) => ({ id: v.id, label: t(v.label, v.label) })),
});

export const fixtureExit = defineNode({
  type: 'fx.exit',
  version: 1,
  category: 'goal',
  icon: 'flag',
  label: t('退出', 'Exit'),
  config: z.object({ reason: z.string().optional() }),
  defaultConfig: {},
  outputs: [],
  ends: 'exited',
});

export const fixturePackage = defineNodePackage({
  name: 'fx',
  label: t('测试', 'Fixture'),
  nodes: [fixtureEntry, fixtureWait, fixtureSplit, fixtureExit],
});
export const fixtureRegistry = createNodeRegistry([fixturePackage]);
