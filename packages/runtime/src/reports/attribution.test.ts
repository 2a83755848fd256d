import { describe, expect, it } from 'vitest';
import { attributedOrders, attributionRule } from './attribution.ts';
import { reportDatabases } from './backends.test-helper.ts';
import { DAY, seedChannels, T0 } from './fixture.test-helper.ts';

const databases = reportDatabases('reports_attribution');

describe.each(databases)('order attribution (last touch within N days, else first touch) on %s', (_name, open) => {
  async function seeded() {
    const sql = await open();
    await seedChannels(sql);
    return sql;
  }

  it('credits each fixture order as computed by hand (see fixture.test-helper.ts)', async () => {
    const sql = await seeded();
    const credited = (await attributedOrders(sql, { windowDays: 7 })).map((o) => [
      o.orderId,
      o.code,
      o.variant,
      o.touch,
    ]);
    // Ordered by placedAt: o1 T0+1d, o4 T0+2d, o7 T0+3d, o5 T0+8d, o8 T0+8d, o2 T0+9d, o6 T0+9d+1h, o3 T0+12d.
    expect(credited).toEqual([
      ['o1', 'card-a', 'A', 'lastTouch'],
      ['o4', 'card-b', 'B', 'lastTouch'],
      ['o7', 'card-a', 'A', 'firstTouch'],
      ['o5', null, null, null],
      ['o8', 'card-a', 'A', 'lastTouch'],
      ['o2', 'card-a', 'A', 'firstTouch'],
      ['o6', 'sms-1', 'default', 'lastTouch'],
      ['o3', 'card-b', 'B', 'lastTouch'],
    ]);
    const first = (await attributedOrders(sql, { windowDays: 7 }))[0];
    expect(first).toMatchObject({ customerId: 'c1', amountCents: 10000, placedAt: T0 + DAY, channelId: 'ch-card' });
  });

  it('follows the window parameter', async () => {
    const sql = await seeded();
    const byId = async (windowDays: number) =>
      Object.fromEntries((await attributedOrders(sql, { windowDays })).map((o) => [o.orderId, `${o.code}:${o.touch}`]));
    // 0 days: only a touch at the order's instant counts (o4); o3 falls back to c2's first touch card-a.
    expect(await byId(0)).toMatchObject({ o4: 'card-b:lastTouch', o1: 'card-a:firstTouch', o3: 'card-a:firstTouch' });
    // 6 days: o8's touch 7 d before is now outside → first touch (still card-a); 9 days: o2's touch is in.
    expect(await byId(6)).toMatchObject({ o8: 'card-a:firstTouch' });
    expect(await byId(9)).toMatchObject({ o2: 'card-a:lastTouch', o8: 'card-a:lastTouch' });
    // 31 days: o7's touch 33 d before is still outside.
    expect(await byId(31)).toMatchObject({ o7: 'card-a:firstTouch' });
  });

  it('limits orders to [from, to)', async () => {
    const sql = await seeded();
    const ids = (await attributedOrders(sql, { from: T0 + 2 * DAY, to: T0 + 8 * DAY })).map((o) => o.orderId);
    expect(ids).toEqual(['o4', 'o7']);
  });
});

describe('the attribution rule', () => {
  it('is stated in both languages', () => {
    const rule = attributionRule(5);
    expect(rule).toMatchObject({ rule: 'lastTouch', windowDays: 5, fallback: 'firstTouch' });
    expect(rule.touchEvents).toEqual(['channel.entered', 'link.clicked', 'qr.scanned']);
    expect(rule.text['zh-CN']).toContain('5 天');
    expect(rule.text.en).toContain('5 days');
    // Read on screen and in CSVs: the touches by their words, never event ids.
    expect(rule.text['zh-CN']).toContain('通过渠道进入、点击链接、扫码');
    expect(rule.text.en).toContain('Came in through a channel, Link clicked, QR code scanned');
    for (const text of Object.values(rule.text)) expect(text).not.toMatch(/[a-z]+\.[a-z]+/i);
  });
});
