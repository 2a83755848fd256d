import { corePackage } from '@siyu/nodes-core';
import {
  createNodeRegistry,
  defineNode,
  defineNodePackage,
  type JourneyGraph,
  JourneySettingsSchema,
  t,
  validateGraph,
} from '@siyu/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadLanguage } from '../locales/catalogs.ts';
import { configPathLabel, parseConfigPath, problemText } from './problem-labels.ts';

beforeAll(() => loadLanguage('en'));

// A node whose fields carry .meta({ label }) at every depth, and one field without a label.
const prizeNode = defineNode({
  type: 'fx.prize',
  version: 1,
  category: 'offer',
  icon: '🎁',
  label: t('抽奖', 'Draw'),
  config: z.object({
    prizes: z
      .array(
        z.object({
          id: z.string().min(1),
          weight: z
            .number()
            .min(0)
            .meta({ label: t('中奖权重', 'Prize weight') }),
        }),
      )
      .meta({ label: t('奖品', 'Prizes') }),
    poolKey: z.string().min(1).optional(),
  }),
  defaultConfig: { prizes: [] },
  outputs: [],
});
const registry = createNodeRegistry([
  corePackage,
  defineNodePackage({ name: 'fx', label: t('测试', 'Fixture'), nodes: [prizeNode] }),
]);

function problemsOf(type: string, config: unknown) {
  const graph = {
    schemaVersion: 1,
    nodes: [{ id: 'n1', type, typeVersion: registry.get(type)?.version ?? 1, config, position: { x: 0, y: 0 } }],
    edges: [],
    settings: JourneySettingsSchema.parse({}),
  } as JourneyGraph;
  return validateGraph(graph, registry).filter((p) => p.code === 'invalidConfig');
}

describe('problem labels', () => {
  it('parses config paths', () => {
    expect(parseConfigPath('prizes[0].weight')).toEqual(['prizes', 0, 'weight']);
    expect(parseConfigPath('a.b[12][3]')).toEqual(['a', 'b', 12, 3]);
  });

  it('names nested fields by their labels in the UI language, keys without a label stay keys', () => {
    const config = prizeNode.config;
    expect(configPathLabel(config, 'prizes[1].weight', 'zh-CN')).toBe('奖品 #2 › 中奖权重');
    expect(configPathLabel(config, 'prizes[1].weight', 'en')).toBe('Prizes #2 › Prize weight');
    // "id" is a key the form knows (KEY_LABELS); "poolKey" has no label anywhere.
    expect(configPathLabel(config, 'prizes[0].id', 'en')).toBe('Prizes #1 › Id');
    expect(configPathLabel(config, 'poolKey', 'zh-CN')).toBe('poolKey');
    expect(configPathLabel(config, '(root)', 'zh-CN')).toBeUndefined();
  });

  it('rewrites the validator’s invalid-config messages with the label', () => {
    const [weight] = problemsOf('fx.prize', { prizes: [{ id: 'a', weight: -1 }] });
    if (!weight) throw new Error('expected a problem on the weight');
    expect(weight.path).toBe('prizes[0].weight');
    expect(problemText(weight, prizeNode.config, 'zh-CN')).toMatch(/^配置项「奖品 #1 › 中奖权重」无效：/);
    expect(problemText(weight, prizeNode.config, 'en')).toMatch(/^Setting "Prizes #1 › Prize weight" is invalid: /);
    // Without the schema (unknown node type) the message is the validator's own.
    expect(problemText(weight, undefined, 'en')).toContain('"prizes[0].weight"');
  });

  it('uses the .meta label of a real node package (core A/B split)', () => {
    const split = registry.get('core.abSplit');
    if (!split) throw new Error('core.abSplit missing');
    const problems = problemsOf('core.abSplit', {
      variants: [
        { id: 'a', label: 'A', weight: 0 },
        { id: 'b', label: 'B', weight: 0 },
      ],
      winner: 'zzz',
    });
    const texts = problems.map((p) => problemText(p, split.config, 'zh-CN'));
    expect(texts.some((x) => x.startsWith('配置项「胜出方案（设置后全部走此方案）」'))).toBe(true);
    expect(texts.some((x) => x.startsWith('配置项「实验组」'))).toBe(true);
    expect(texts.join('\n')).not.toContain('「winner」');
  });
});
