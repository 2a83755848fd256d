import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness, registry, welcomeJourney } from '../trpc/harness.test-helper.ts';
import { loadExamples } from './examples.ts';
import { publishDraft } from './publish.ts';

let h: Harness;
let dir: string;
beforeEach(async () => {
  h = await createHarness();
  dir = mkdtempSync(join(tmpdir(), 'siyu-examples-'));
});
afterEach(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

function example(folder: string, content: unknown) {
  mkdirSync(join(dir, folder));
  writeFileSync(join(dir, folder, 'journey.json'), typeof content === 'string' ? content : JSON.stringify(content));
}

describe('loadExamples', () => {
  it('loads each example once, publishes when asked, and reports broken ones', async () => {
    example('01-welcome', { name: '新客欢迎', publish: true, graph: welcomeJourney() });
    example('02-bare', welcomeJourney());
    example('03-broken', '{ not json');
    example('04-invalid', { name: 'x', graph: { nodes: [{ id: 'a' }], edges: [] } });
    example('05-unpublishable', { name: '空', publish: true, graph: { nodes: [], edges: [] } });
    mkdirSync(join(dir, 'no-journey'));

    const first = await loadExamples(h.db, registry, dir);
    expect(first.loaded).toEqual(['01-welcome', '02-bare', '05-unpublishable']);
    expect(first.errors.map((e) => e.example)).toEqual(['03-broken', '04-invalid', '05-unpublishable']);
    expect(first.errors[1]?.message).toContain('nodes[0]');
    const journeys = await h.db.prisma.journey.findMany({ orderBy: { templateKey: 'asc' } });
    expect(journeys.map((j) => [j.name, j.status])).toEqual([
      ['新客欢迎', 'live'],
      ['02-bare', 'draft'],
      ['空', 'draft'],
    ]);

    const second = await loadExamples(h.db, registry, dir);
    expect(second.loaded).toEqual([]);
    expect(second.skipped).toEqual(['01-welcome', '02-bare', '05-unpublishable']);
    expect(await h.db.prisma.journey.count()).toBe(3);
    expect(await loadExamples(h.db, registry, join(dir, 'missing'))).toEqual({ loaded: [], skipped: [], errors: [] });
  });
});

describe('the shipped examples', () => {
  it('pnpm start loads the five playbooks as draft templates that publish once what they name exists', async () => {
    const product = await createHarness({ nodes: 'product' });
    try {
      const report = await loadExamples(
        product.db,
        product.deps.registry,
        resolve(import.meta.dirname, '../../../../examples'),
      );
      expect(report.errors).toEqual([]);
      expect(report.loaded).toEqual(
        expect.arrayContaining([
          'circle-layers',
          'new-contact-reception',
          'package-card',
          'repurchase-cycle',
          'sms-recall',
        ]),
      );
      const journeys = await product.db.prisma.journey.findMany({ orderBy: { name: 'asc' } });
      // Templates, not campaigns: an operator picks channels and stocks, then publishes.
      expect(journeys.every((j) => j.status === 'draft')).toBe(true);
      expect(journeys.map((j) => j.name)).toEqual(
        expect.arrayContaining(['包裹卡引流', '短信召回', '新客承接', '复购提醒（按产品周期）', '圈层跃迁']),
      );
      // In an empty workspace the templates that name a channel or coupon stocks say so, on those
      // nodes, in words; the others publish as they are.
      const refused = new Map<string, string[]>();
      for (const j of journeys) {
        const published = await publishDraft(product.db, product.deps.registry, j.id, { by: 'test', note: 'check' });
        if (published.ok) continue;
        expect(published.problems.every((p) => p.code === 'resourceMissing' && p.nodeId)).toBe(true);
        expect(published.problems.map((p) => p.message['zh-CN']).join(' ')).not.toMatch(/ch_|pkg-|repurchase-/);
        refused.set(j.name, published.problems.map((p) => `${p.params?.kind}@${p.path}`).sort());
      }
      expect(Object.fromEntries(refused)).toEqual({
        包裹卡引流: ['core.channel@channelIds[0]', 'coupons.stock@stockId', 'coupons.stock@stockId'],
        '复购提醒（按产品周期）': ['coupons.stock@stockId'],
      });
      // Once the workspace has them, they publish.
      await product.db.prisma.channel.create({ data: { id: 'ch_package_card', name: '包裹卡', kind: 'packageCard' } });
      for (const id of ['pkg-hook-a', 'pkg-hook-b', 'repurchase-cleanser']) {
        await product.db.prisma.couponStock.create({
          data: {
            id,
            name: id,
            maxCoupons: 10,
            amountCents: 500,
            validFrom: new Date(),
            validTo: new Date(Date.now() + 864e5),
          },
        });
      }
      for (const j of journeys.filter((j) => refused.has(j.name))) {
        const published = await publishDraft(product.db, product.deps.registry, j.id, { by: 'test', note: 'check' });
        expect(published.ok, j.name).toBe(true);
      }
    } finally {
      await product.close();
    }
  });
});
