import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../trpc/harness.test-helper.ts';
import { reportDatabases } from './backends.test-helper.ts';
import { channelsFirstTouch } from './channel-stats.ts';
import { channelsReport } from './channels.ts';
import { DAY, HOUR, seedChannels, T0 } from './fixture.test-helper.ts';

const databases = reportDatabases('reports_channels');

describe.each(databases)('the channel report on %s', (_name, open) => {
  async function seeded() {
    const sql = await open();
    await seedChannels(sql);
    return sql;
  }

  it('reports delivered, came in, recall, attributed orders and revenue per card (hand-computed)', async () => {
    const report = await channelsReport(await seeded(), { from: T0, to: T0 + 30 * DAY, windowDays: 7 });
    // card-a: delivered 100; came in c1, c2 (c6's touch is before the period) → 2/100; orders o1 o2 o7 o8
    //   = ¥100 + ¥50 + ¥40 + ¥10 = 20000 cents → 20000/100 = 200 cents per card.
    // card-b: 50; c3, c2 → 2/50; o3 o4 = 28000 → 560 per card.
    // sms-1: 0 recorded + 4 SMS (ms1 and ms7 with the same text, ms2, ms6) = 4; c5 → 1/4; o6 = 6000
    //   → 1500 per SMS.
    expect(
      report.rows.map((r) => [
        r.code,
        r.variant,
        r.deliveredRecorded,
        r.smsSent,
        r.delivered,
        r.scans,
        r.cameIn,
        r.recallRate,
        r.orders,
        r.revenueCents,
        r.revenuePerDeliveredCents,
      ]),
    ).toEqual([
      ['card-a', 'A', 100, 0, 100, 1, 2, 0.02, 4, 20000, 200],
      ['card-b', 'B', 50, 0, 50, 0, 2, 0.04, 2, 28000, 560],
      ['sms-1', 'default', 0, 4, 4, 1, 1, 1 / 4, 1, 6000, 1500],
    ]);
    // The card channel's total is 3 customers, not 2 + 2: c2 came in through both of its codes.
    expect(report.channelCameIn).toEqual([
      { channelId: 'ch-card', cameIn: 3 },
      { channelId: 'ch-sms', cameIn: 1 },
    ]);
    // o5 (c4, ¥30) has no touch and no first touch.
    expect(report.unattributed).toEqual({ orders: 1, revenueCents: 3000 });
    expect(report.attribution).toMatchObject({ rule: 'lastTouch', windowDays: 7, fallback: 'firstTouch' });
  });

  it('narrows to a channel and a period, and applies the window parameter', async () => {
    // [T0+9d, T0+30d): card-a came in: nobody (c2's card-b touch is card-b's); orders o2 (first touch).
    const sql = await seeded();
    const later = await channelsReport(sql, {
      from: T0 + 9 * DAY,
      to: T0 + 30 * DAY,
      windowDays: 7,
      channelId: 'ch-card',
    });
    expect(later.rows.map((r) => [r.code, r.cameIn, r.orders, r.revenueCents])).toEqual([
      ['card-a', 0, 1, 5000],
      ['card-b', 1, 1, 20000],
    ]);
    expect(later.channelCameIn).toEqual([{ channelId: 'ch-card', cameIn: 1 }]);
    // Window 0 d: o1 (touch 1 d before) falls back to first touch card-a, o3 (touch 2 d before) to
    // c2's first touch card-a: card-a = o1 o2 o3 o7 o8 = 40000; card-b = o4 only = 8000; o6 (click
    // 1 h before) falls back to c5's first touch, sms-1 itself.
    const strict = await channelsReport(sql, { from: T0, to: T0 + 30 * DAY, windowDays: 0 });
    expect(strict.rows.map((r) => [r.code, r.orders, r.revenueCents])).toEqual([
      ['card-a', 5, 40000],
      ['card-b', 1, 8000],
      ['sms-1', 1, 6000],
    ]);
  });

  it('counts the same data over all time by first touch: customers by first code, orders by their own code', async () => {
    const sql = await seeded();
    // Customers: card-a c1 c2 c6 (c6 before any period), card-b c3, sms-1 c5. Orders carry the
    // customer's first code: card-a o1 o2 o3 o7 o8 = 40000 (o3 is card-b's by last touch), card-b
    // o4, sms-1 o6. Scans of all time; delivered as recorded on the code (no SMS counting).
    const firstTouch = await channelsFirstTouch(sql);
    expect(
      firstTouch.map((r) => [r.code, r.delivered, r.scans, r.customers, r.recallRate, r.orders, r.revenueCents]),
    ).toEqual([
      ['card-a', 100, 1, 3, 0.03, 5, 40000],
      ['card-b', 50, 0, 1, 0.02, 1, 8000],
      ['sms-1', 0, 1, 1, null, 1, 6000],
    ]);
    const cards = await channelsFirstTouch(sql, 'ch-card');
    expect(cards.map((r) => r.code)).toEqual(['card-a', 'card-b']);
  });
});

describe('reports.channels and reports.channelsFirstTouch through the API', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
    await seedChannels(h.db.sql);
  });
  afterEach(() => h.close());

  it('answer from the database (the numbers: above) with the window defaulting to 7 days', async () => {
    const report = await h.as('viewer').reports.channels({ from: T0, to: T0 + 30 * DAY });
    expect(report.rows.map((r) => [r.code, r.orders, r.revenueCents])).toEqual([
      ['card-a', 4, 20000],
      ['card-b', 2, 28000],
      ['sms-1', 1, 6000],
    ]);
    expect(report.attribution.windowDays).toBe(7);
    const firstTouch = await h.as('viewer').reports.channelsFirstTouch({ channelId: 'ch-card' });
    expect(firstTouch.map((r) => [r.code, r.customers])).toEqual([
      ['card-a', 3],
      ['card-b', 1],
    ]);
  });

  it('validates its input and needs a signed-in operator', async () => {
    await expect(h.as('viewer').reports.channels({ from: T0 + HOUR, to: T0 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(h.as(null).reports.channels({ from: T0, to: T0 + DAY })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });
});
