// The dry run before publish, checked against what the sandbox then really sends for the same
// customers: the forecast is the journey's own sends, counted in a simulation.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { graphOf, publishJourney } from '../../testing/fixtures.ts';
import { addCustomer, createHarness, type Harness } from '../trpc/harness.test-helper.ts';

const DAY = 86_400_000;
let h: Harness;
beforeEach(async () => {
  h = await createHarness({ nodes: 'product' });
});
afterEach(() => h.close());

// 【小雅美妆】 + 70 characters: 76 billed characters, two parts.
const LONG_TEXT = `{{displayName}}，${'老朋友专享满99减30，三天有效，到店报手机号即可使用'.repeat(2)}，拒收请回复R`;

function vipJourney() {
  return graphOf(
    [
      [
        'entry',
        'core.audienceEntry',
        { filter: { match: 'all', conditions: [{ field: 'tags', op: 'hasTag', value: 'VIP' }] } },
      ],
      [
        'sms',
        'sms.send',
        { templateCode: 'SMS_1', signName: '小雅美妆', content: LONG_TEXT, params: {}, kind: 'marketing' },
      ],
      ['wait', 'core.wait', { duration: { amount: 2, unit: 'days' } }],
      ['coupon', 'coupons.issue', { stockId: 'back10' }],
      ['done', 'core.exit', { reason: '完成' }],
      ['noPhone', 'core.exit', { reason: '未发送' }],
      ['noCoupon', 'core.exit', { reason: '券已发完' }],
    ],
    [
      ['entry', 'next', 'sms'],
      ['sms', 'sent', 'wait'],
      ['sms', 'failed', 'noPhone'],
      ['wait', 'next', 'coupon'],
      ['coupon', 'issued', 'done'],
      ['coupon', 'failed', 'noCoupon'],
    ],
    { quietHours: { enabled: false } },
  );
}

async function seed() {
  const now = h.clock.now();
  await h.as('operator').coupons.createStock({
    id: 'back10',
    name: '回购立减10元',
    maxCoupons: 10,
    amountCents: 1000,
    validFrom: new Date(now - DAY),
    validTo: new Date(now + 30 * DAY),
  });
  // 16 VIPs, 12 with a phone; 4 others the entry does not take.
  for (let i = 0; i < 16; i++) {
    await addCustomer(h, `vip${i}`, {
      tags: ['VIP'],
      phone: i < 12 ? `+861380000${String(i).padStart(4, '0')}` : undefined,
    });
  }
  for (let i = 0; i < 4; i++) await addCustomer(h, `other${i}`, { phone: `+861390000${String(i).padStart(4, '0')}` });
}

describe('dry run before publish', () => {
  it('forecasts entrants, sends, SMS parts and cost, and coupons against stock — as the sandbox then sends them', async () => {
    await seed();
    await h.as('admin').settings.update({ smsPricePerPartYuan: 0.05 });
    const created = await h.as('operator').journeys.create({ name: 'VIP 回馈', graph: vipJourney() });
    const dry = await h.as('operator').runs.dryRun({ journeyId: created.id, sampleSize: 500, horizonDays: 7 });

    expect(dry.entries).toEqual([{ nodeId: 'entry', kind: 'audience', membersNow: 16, everyMs: null, nextRunAt: null }]);
    expect(dry.sample).toMatchObject({ drawn: 16, enrolled: 16, stillActive: 0, horizonDays: 7 });
    expect(dry.sample.counts.messages).toEqual({ sms: 12 });
    expect(dry.sample.counts.smsParts).toBe(24);
    expect(dry.sample.counts.coupons).toEqual({ back10: 10 });
    expect(dry.sample.counts.moves).toEqual(
      expect.arrayContaining([
        { fromNodeId: 'sms', port: 'sent', runs: 12 },
        { fromNodeId: 'sms', port: 'failed', runs: 4 },
        { fromNodeId: 'coupon', port: 'issued', runs: 10 },
        { fromNodeId: 'coupon', port: 'failed', runs: 2 },
      ]),
    );
    expect(dry.forecast).toEqual({
      basis: 'now',
      customers: 16,
      messages: { sms: 12 },
      smsParts: 24,
      smsCostYuan: 1.2,
      coupons: [{ stockId: 'back10', name: '回购立减10元', issued: 10, left: 10, exceedsStock: false }],
    });
    // Nothing real was touched: no runs, messages or coupons, the stock unspent.
    expect(await h.db.prisma.instance.count()).toBe(0);
    expect(await h.db.prisma.message.count()).toBe(0);
    expect((await h.db.prisma.couponStock.findUniqueOrThrow({ where: { id: 'back10' } })).issued).toBe(0);

    // Now for real, the same customers through the same journey with the sandbox providers.
    const journey = await h.db.prisma.journey.findUniqueOrThrow({ where: { id: created.id } });
    publishJourney(h.db.sqlite, created.id, JSON.parse(journey.draft));
    for (let i = 0; i < 16; i++) await h.engine.enroll(created.id, `vip${i}`);
    await h.engine.tick();
    h.clock.advance(3 * DAY);
    await h.engine.tick();
    const sms = await h.db.prisma.message.findMany({ where: { channel: 'sms', status: { not: 'failed' } } });
    expect(sms).toHaveLength(dry.sample.counts.messages.sms as number);
    expect(sms.reduce((n, m) => n + m.parts, 0)).toBe(dry.sample.counts.smsParts);
    expect(await h.db.prisma.coupon.count()).toBe(dry.sample.counts.coupons.back10);
  });

  it('scales an event entry by its recent rate and the share the entry conditions let in', async () => {
    await seed();
    const graph = vipJourney();
    const entry = graph.nodes[0] as { type: string; config: unknown };
    entry.type = 'core.eventEntry';
    entry.config = {
      event: 'order.placed',
      filter: { match: 'all', conditions: [{ field: 'data.amount', op: 'gte', value: 100 }] },
    };
    const created = await h.as('operator').journeys.create({ name: '下单回馈', graph });
    // Over the last week: 8 customers ordered; 6 of them for 100 or more.
    for (let i = 0; i < 8; i++) {
      await h.engine.ingestEvent({
        id: `o${i}`,
        type: 'order.placed',
        customerId: `vip${i}`,
        occurredAt: new Date(h.clock.now() - (i + 1) * 3_600_000),
        data: { amount: i < 6 ? 150 : 50 },
      });
    }
    const dry = await h.as('operator').runs.dryRun({ journeyId: created.id, sampleSize: 500, horizonDays: 7 });
    expect(dry.entries).toEqual([
      { nodeId: 'entry', kind: 'event', event: 'order.placed', days: 7, events: 8, customers: 8, perDay: 8 / 7 },
    ]);
    expect(dry.sample).toMatchObject({ drawn: 8, enrolled: 6 });
    expect(dry.forecast?.basis).toBe('perDay');
    expect(dry.forecast?.customers).toBeCloseTo(6 / 7, 1);
    expect(dry.forecast?.messages.sms).toBeCloseTo(6 / 7, 1);
  });

  it('runs one dry run at a time: a second one meanwhile is told to wait, not queued', async () => {
    await seed();
    const created = await h.as('operator').journeys.create({ name: 'VIP 回馈', graph: vipJourney() });
    const [first, second] = await Promise.allSettled([
      h.as('operator').runs.dryRun({ journeyId: created.id, sampleSize: 20, horizonDays: 7 }),
      h.as('operator').runs.dryRun({ journeyId: created.id, sampleSize: 20, horizonDays: 7 }),
    ]);
    expect(first.status).toBe('fulfilled');
    expect(second).toMatchObject({
      status: 'rejected',
      reason: { code: 'TOO_MANY_REQUESTS', detail: { key: 'journey.dryRunBusy' } },
    });
    // Free again once the first has finished.
    await expect(h.as('operator').runs.dryRun({ journeyId: created.id, sampleSize: 5 })).resolves.toMatchObject({
      sample: { drawn: 5 },
    });
  });

  it('refuses a draft with problems and an unknown journey', async () => {
    const created = await h.as('operator').journeys.create({ name: '空旅程' });
    await expect(h.as('operator').runs.dryRun({ journeyId: created.id })).rejects.toThrow();
    await expect(h.as('operator').runs.dryRun({ journeyId: 'nope' })).rejects.toThrow(/not found|找不到/i);
    await expect(h.as('viewer').runs.dryRun({ journeyId: created.id })).rejects.toThrow();
  });
});
