// The template gallery: the shipped playbooks load as templates, listed apart from journeys; each
// says what it names that the workspace lacks (in words, with the operator's own options), and a
// journey made from it with picks validates clean.
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../trpc/harness.test-helper.ts';
import { loadExamples } from './examples.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ nodes: 'product' });
  await loadExamples(h.db, h.deps.registry, resolve(import.meta.dirname, '../../../../examples'));
});
afterEach(async () => {
  await h.close();
});

describe('template gallery', () => {
  it('lists templates apart, with their needs, and makes a journey from one with the picks applied', async () => {
    const api = h.as('operator');
    await h.db.prisma.channel.create({ data: { id: 'ch_mine', name: '我的包裹卡', kind: 'packageCard' } });
    for (const [id, name] of [
      ['st_a', '首单券'],
      ['st_b', '复购券'],
    ]) {
      await h.db.prisma.couponStock.create({
        data: { id, name, maxCoupons: 10, amountCents: 500, validFrom: new Date(), validTo: new Date() },
      });
    }
    expect(await api.journeys.list({})).toEqual([]);
    const templates = await api.journeys.templates();
    expect(templates.map((t) => t.name)).toEqual(
      expect.arrayContaining(['包裹卡引流', '短信召回', '新客承接', '复购提醒（按产品周期）', '圈层跃迁']),
    );
    const card = templates.find((t) => t.name === '包裹卡引流');
    expect(card?.needs.map((n) => [n.label['zh-CN'], n.node['zh-CN'], n.path])).toEqual([
      ['渠道', '包裹卡扫码加企微', 'channelIds[0]'],
      ['优惠券批次', '发5元无门槛券', 'stockId'],
      ['优惠券批次', '发满59减20券', 'stockId'],
    ]);
    expect(card?.needs[1]?.options.map((o) => o.name).sort()).toEqual(['复购券', '首单券']);

    // A pick that names nothing of the workspace, or answers no need, is refused.
    const needs = card?.needs ?? [];
    const [channel, stockA, stockB] = needs as [(typeof needs)[0], (typeof needs)[0], (typeof needs)[0]];
    await expect(
      api.journeys.fromTemplate({
        id: card?.id ?? '',
        picks: [{ nodeId: stockA.nodeId, path: 'stockId', id: 'nope' }],
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('优惠券批次不存在') });
    await expect(
      api.journeys.fromTemplate({
        id: card?.id ?? '',
        picks: [{ nodeId: stockA.nodeId, path: 'maxSends', id: 'st_a' }],
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });

    // Picking only the stocks leaves the channel to fix; picking all of them validates clean.
    const partial = await api.journeys.fromTemplate({
      id: card?.id ?? '',
      name: '我的包裹卡旅程',
      description: 'Package cards, spring edition',
      picks: [
        { nodeId: stockA.nodeId, path: stockA.path, id: 'st_a' },
        { nodeId: stockB.nodeId, path: stockB.path, id: 'st_b' },
      ],
    });
    expect(partial.description).toBe('Package cards, spring edition');
    await expect(
      api.journeys.fromTemplate({ id: card?.id ?? '', description: 'x'.repeat(2001) }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('description') });
    expect((await api.journeys.validate({ id: partial.id })).problems.map((p) => [p.code, p.nodeId])).toEqual([
      ['resourceMissing', channel.nodeId],
    ]);
    const full = await api.journeys.fromTemplate({
      id: card?.id ?? '',
      picks: [
        { nodeId: channel.nodeId, path: channel.path, id: 'ch_mine' },
        { nodeId: stockA.nodeId, path: stockA.path, id: 'st_a' },
        { nodeId: stockB.nodeId, path: stockB.path, id: 'st_b' },
      ],
    });
    expect(await api.journeys.validate({ id: full.id })).toEqual({ ok: true, problems: [] });
    // The journeys list holds the two copies, not the templates; the template itself is unchanged.
    expect((await api.journeys.list({})).map((j) => j.name).sort()).toEqual(['包裹卡引流', '我的包裹卡旅程']);
    expect((await api.journeys.templates()).find((t) => t.id === card?.id)?.needs).toHaveLength(3);
    await expect(api.journeys.fromTemplate({ id: full.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps the template key to the example loader: create refuses it and nobody may be named like the loader', async () => {
    const api = h.as('operator');
    await expect(api.journeys.create({ name: '冒充模板', templateKey: 'example:package-card' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('templateKey'),
    });
    // Another key is the operator's own and lists as a journey, not a template.
    const mine = await api.journeys.create({ name: '我的', templateKey: 'campaign:618' });
    expect((await api.journeys.list({})).map((j) => j.id)).toContain(mine.id);
    expect((await api.journeys.templates()).map((t) => t.id)).not.toContain(mine.id);
    for (const username of ['examples', 'Examples'])
      await expect(
        h.as('admin').operators.create({ username, displayName: 'x', password: 'password-1', role: 'operator' }),
      ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('reserved') });
  });
});
