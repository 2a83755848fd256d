import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNodeRegistryForRuntime } from '../node-packages/registry.ts';
import { createHarness, type Harness } from '../trpc/harness.test-helper.ts';
import { abTestReport } from './ab-test.ts';
import { reportDatabases } from './backends.test-helper.ts';
import { DAY, HOUR, seedAbJourney, seedChannels, T0 } from './fixture.test-helper.ts';
import { funnelReport } from './funnel.ts';
import { holdoutReport } from './holdout.ts';
import { monitoringReport } from './monitoring.ts';

const databases = reportDatabases('reports_journey');
const registry = createNodeRegistryForRuntime();
const NOW = T0 + 40 * DAY;

describe.each(databases)(
  'journey reports on the fixed A/B journey (see seedAbJourney for the rows) on %s',
  (_name, open) => {
    async function seeded() {
      const sql = await open();
      await seedAbJourney(sql);
      return sql;
    }

    it('funnel: entered → each step in graph order → goal, distinct runs', async () => {
      const sql = await seeded();
      const f = await funnelReport(sql, registry, { journeyId: 'j-ab' });
      // 9 runs in the journey group (3 held out). smsA: i1–i5 (i1 twice, counted once); waitB: i6–i9;
      // exit: i1 i2 i3 i6 i7; goal: i1 i2 i6 (engine) + i3 (order after its run ended) = 4.
      expect(f.entered).toBe(9);
      expect(f.holdout).toBe(3);
      expect(f.steps.map((s) => [s.nodeId, s.type, s.count, s.ofEntered])).toEqual([
        ['entry', 'core.apiEntry', 9, 1],
        ['split', 'core.abSplit', 9, 1],
        ['smsA', 'sms.send', 5, 5 / 9],
        ['waitB', 'core.wait', 4, 4 / 9],
        ['exit', 'core.exit', 5, 5 / 9],
      ]);
      expect(f.steps[1]?.label?.en).toBe('A/B test');
      expect(f.goal).toEqual({ count: 4, ofEntered: 4 / 9 });
      await expect(funnelReport(sql, registry, { journeyId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('abTest: conversion per variant with Wilson intervals and a z-test against the control', async () => {
      const sql = await seeded();
      const ab = await abTestReport(sql, registry, { journeyId: 'j-ab', nodeId: 'split' });
      // a: i1 i2 (engine) + i3 (event) of 5 = 0.6; Wilson: centre (0.6 + z²/10)/(1 + z²/5) = 0.556550,
      //    half 1.108393 · √(0.048 + z²/100) = 0.325829 → [0.230724, 0.882379].
      // b: i6 of 4 = 0.25 (i7 ordered before entering) → [0.045587, 0.699358].
      // b vs a: pooled 4/9, se = √(4/9 · 5/9 · (1/4 + 1/5)) = 1/3, z = (0.25 − 0.6)/(1/3) = −1.05,
      //    p = 2(1 − Φ(1.05)) = 0.293718 → not significant.
      expect(ab.controlId).toBe('a');
      expect(ab.winner).toBeNull();
      const [a, b] = ab.variants;
      expect([a?.variantId, a?.entered, a?.converted, a?.rate, a?.vsControl]).toEqual(['a', 5, 3, 0.6, null]);
      expect(a?.ci95?.low).toBeCloseTo(0.230724, 5);
      expect(a?.ci95?.high).toBeCloseTo(0.882379, 5);
      expect([b?.variantId, b?.label, b?.entered, b?.converted, b?.rate]).toEqual(['b', '文案 B', 4, 1, 0.25]);
      expect(b?.ci95?.low).toBeCloseTo(0.045587, 5);
      expect(b?.ci95?.high).toBeCloseTo(0.699358, 5);
      expect(b?.vsControl?.z).toBeCloseTo(-1.05, 10);
      expect(b?.vsControl?.pValue).toBeCloseTo(0.293718, 5);
      expect(b?.vsControl?.difference).toBeCloseTo(-0.35, 10);
      expect(b?.vsControl?.relative).toBeCloseTo(-0.35 / 0.6, 10);
      expect(b?.vsControl?.significant).toBe(false);
      expect(ab.leader).toEqual({ variantId: 'a', significant: false });
      await expect(abTestReport(sql, registry, { journeyId: 'j-ab', nodeId: 'smsA' })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });

    it('holdout: control group against journey group, same conversion rule', async () => {
      const x = await holdoutReport(await seeded(), registry, { journeyId: 'j-ab' });
      // Journey 4/9 = 0.444444, control h1 of 3 = 0.333333 (h3's order is day 10: outside 7 d).
      // Uplift 0.111111, relative 0.333333; pooled 5/12, se = √(5/12 · 7/12 · (1/9 + 1/3)) = 0.328671,
      // z = 0.338062, p = 0.735317.
      expect(x.holdoutPercent).toBe(20);
      expect(x.goalDefined).toBe(true);
      expect([x.journey.entered, x.journey.converted, x.control.entered, x.control.converted]).toEqual([9, 4, 3, 1]);
      expect(x.uplift?.difference).toBeCloseTo(1 / 9, 10);
      expect(x.uplift?.relative).toBeCloseTo(1 / 3, 10);
      expect(x.uplift?.z).toBeCloseTo(0.338062, 5);
      expect(x.uplift?.pValue).toBeCloseTo(0.735317, 5);
      expect(x.uplift?.significant).toBe(false);
      expect(x.control.ci95?.low).toBeCloseTo(0.061492, 5);
    });

    it('holdout with a goal filter: judges event conversions on the customer as the engine sees it', async () => {
      const sql = await seeded();
      // Only customers tagged vip with a phone convert by event (engine-recorded goals stand as they are).
      const version = await sql.get<{ graph: string }>("SELECT graph FROM JourneyVersion WHERE id = 'j-ab-v1'");
      const graph = JSON.parse(version?.graph ?? '{}');
      graph.settings.goal.filter = {
        match: 'all',
        conditions: [
          { field: 'tags', op: 'hasTag', value: 'vip' },
          { field: 'identities.phone', op: 'exists' },
        ],
      };
      await sql.run("UPDATE JourneyVersion SET graph = ? WHERE id = 'j-ab-v1'", [JSON.stringify(graph)]);
      const tag = (customerId: string) =>
        sql.run("INSERT INTO CustomerTag (customerId, tag, source, createdAt) VALUES (?, 'vip', 'manual', ?)", [
          customerId,
          new Date(T0),
        ]);
      const phone = (customerId: string, value: string) =>
        sql.run("INSERT INTO CustomerIdentity (kind, value, customerId, createdAt) VALUES ('phone', ?, ?, ?)", [
          value,
          customerId,
          new Date(T0),
        ]);
      // cj3 (order after its run ended) has both; ch1 (held out, ordered on day 1) only the tag.
      await tag('cj3');
      await phone('cj3', '+8613800000003');
      await tag('ch1');
      const x = await holdoutReport(sql, registry, { journeyId: 'j-ab' });
      expect([x.journey.converted, x.control.converted]).toEqual([4, 0]);
      await phone('ch1', '+8613800000001');
      const y = await holdoutReport(sql, registry, { journeyId: 'j-ab' });
      expect([y.journey.converted, y.control.converted]).toEqual([4, 1]);
    });

    it('monitoring after a send: cumulative clicks, entries and orders at 3/6/12/24 h', async () => {
      const m = await monitoringReport(await seeded(), { journeyId: 'j-ab', sendNodeId: 'smsA' }, NOW);
      // Sent to cj1–cj4 at S (cj5's failed). Clicks: cj1 +1h | cj2 +5h | cj1 +7h | (cj3 +25h, cj6 not a
      // recipient). Entries: cj2 +5.5h | cj4 +11h. Orders: cj1 +2h ¥100 | cj2 +23h ¥200.
      expect(m.sent).toBe(4);
      expect(m.firstSendAt).toBe(T0 + HOUR);
      expect(m.points.map((p) => [p.hours, p.clicks, p.entries, p.orders, p.revenueCents, p.complete])).toEqual([
        [3, 1, 0, 1, 10000, true],
        [6, 2, 1, 1, 10000, true],
        [12, 3, 2, 1, 10000, true],
        [24, 3, 2, 2, 30000, true],
      ]);
    });

    it('monitoring for an entry code since a time, orders by the attribution rule', async () => {
      const sql = await seeded();
      await seedChannels(sql);
      const at = T0 + 10 * HOUR;
      const m = await monitoringReport(sql, { channelCode: 'card-a', since: T0, windowDays: 7 }, at);
      // Since T0: anonymous scan +1h; entries c1 +0h, c2 +24h (inclusive); o1 +24h ¥100 (last touch
      // card-a). At T0+10h the 12 h and 24 h points are still open.
      expect(m.points.map((p) => [p.hours, p.clicks, p.entries, p.orders, p.revenueCents, p.complete])).toEqual([
        [3, 1, 1, 0, 0, true],
        [6, 1, 1, 0, 0, true],
        [12, 1, 1, 0, 0, false],
        [24, 1, 2, 1, 10000, false],
      ]);
      expect(m.attribution?.windowDays).toBe(7);
      await expect(monitoringReport(sql, { channelCode: 'nope', since: T0, windowDays: 7 }, at)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });
  },
);

describe('journey reports through the API', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({ nodes: 'product' });
    await seedAbJourney(h.db.sql);
    h.clock.set(T0 + 40 * DAY);
  });
  afterEach(() => h.close());

  it('answer from the database (the numbers: above), and a missing journey or split as NOT_FOUND', async () => {
    const viewer = h.as('viewer');
    expect((await viewer.reports.funnel({ journeyId: 'j-ab' })).goal).toEqual({ count: 4, ofEntered: 4 / 9 });
    expect((await viewer.reports.abTest({ journeyId: 'j-ab', nodeId: 'split' })).leader).toEqual({
      variantId: 'a',
      significant: false,
    });
    expect((await viewer.reports.holdout({ journeyId: 'j-ab' })).control.converted).toBe(1);
    const sent = await viewer.reports.monitoring({ journeyId: 'j-ab', sendNodeId: 'smsA' });
    expect(sent.points.at(-1)).toMatchObject({ hours: 24, clicks: 3, complete: true });
    await expect(viewer.reports.funnel({ journeyId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(viewer.reports.abTest({ journeyId: 'j-ab', nodeId: 'smsA' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
