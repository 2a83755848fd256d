import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { credentialField } from './credentials.ts';
import { t } from './i18n.ts';
import { defineNode, defineNodePackage } from './node-sdk.ts';
import { createNodeRegistry } from './registry.ts';
import { type ResourceResolver, resourceProblems, resourceRef, resourceRefsOf } from './resource-refs.ts';

const config = z.object({
  stockId: resourceRef('coupons.stock', z.string().min(1).meta({ widget: 'couponStock' })),
  chatIds: resourceRef('wecom.groupChat', z.array(z.string()).default([])),
  owner: resourceRef('wecom.staff', z.string().optional()),
  nested: z.object({ segmentId: resourceRef('core.segment', z.string()) }).optional(),
  hook: credentialField('x.robot'),
  note: z.string().default(''),
});

describe('resourceRefsOf', () => {
  it('finds ids in string, array, optional and nested fields, with the credential type', () => {
    const refs = resourceRefsOf(config, {
      stockId: 's1',
      chatIds: ['wr1', '', 'wr2'],
      nested: { segmentId: 'seg' },
      hook: 'cred_1',
      note: 'not a ref',
    });
    expect(refs).toEqual([
      { path: 'stockId', kind: 'coupons.stock', id: 's1' },
      { path: 'chatIds[0]', kind: 'wecom.groupChat', id: 'wr1' },
      { path: 'chatIds[2]', kind: 'wecom.groupChat', id: 'wr2' },
      { path: 'nested.segmentId', kind: 'core.segment', id: 'seg' },
      { path: 'hook', kind: 'credential', of: 'x.robot', id: 'cred_1' },
    ]);
    // The field keeps its widget (the editor's picker) next to the kind.
    expect(config.shape.stockId.meta()).toMatchObject({ widget: 'couponStock', resourceKind: 'coupons.stock' });
  });

  it('refuses a kind that does not name its package', () => {
    expect(() => resourceRef('Coupons stock', z.string())).toThrow(/<package>\.<name>/);
  });
});

describe('resourceProblems', () => {
  const node = defineNode({
    type: 'x.node',
    version: 1,
    category: 'offer',
    icon: 'x',
    label: t('节点', 'Node'),
    config,
    defaultConfig: { stockId: '', hook: '' },
    outputs: [],
  });
  const registry = createNodeRegistry([defineNodePackage({ name: 'x', label: t('x', 'x'), nodes: [node] })]);
  const asked: string[][] = [];
  const of = (kind: string, label: string, rows: Record<string, { name: string; of?: string }>): ResourceResolver => ({
    kind,
    label: t(label, label),
    async resolve(ids) {
      asked.push([kind, ...ids]);
      return new Map(ids.filter((id) => rows[id]).map((id) => [id, rows[id] as { name: string }]));
    },
  });

  it('reports missing ids and ids of another sort; kinds without a resolver are not checked; one query per kind', async () => {
    const graph = {
      nodes: [
        {
          id: 'a',
          type: 'x.node',
          config: { stockId: 's1', chatIds: ['wr1'], hook: 'cred_1' },
          position: { x: 0, y: 0 },
        },
        { id: 'b', type: 'x.node', config: { stockId: 'gone', hook: 'cred_2' }, position: { x: 0, y: 0 } },
      ],
      edges: [],
    } as unknown as Parameters<typeof resourceProblems>[0];
    const problems = await resourceProblems(graph, registry, [
      of('coupons.stock', '优惠券批次', { s1: { name: '新客券' } }),
      of('credential', '凭据', { cred_1: { name: '机器人', of: 'x.robot' }, cred_2: { name: '别的', of: 'y.other' } }),
    ]);
    expect(problems.map((p) => [p.code, p.nodeId, p.path, p.message['zh-CN']])).toEqual([
      ['resourceMissing', 'b', 'stockId', '优惠券批次不存在（未创建或已删除），请选择或新建'],
      ['resourceWrongType', 'b', 'hook', '凭据「别的」的类型是 y.other，此处需要 x.robot'],
    ]);
    expect(asked).toEqual([
      ['coupons.stock', 's1', 'gone'],
      ['credential', 'cred_1', 'cred_2'],
    ]);
  });
});
