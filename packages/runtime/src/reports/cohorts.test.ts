import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../trpc/harness.test-helper.ts';
import { DAY, seedChannels, T0 } from './fixture.test-helper.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
  seedChannels(h.db.sqlite);
  h.clock.set(T0 + 40 * DAY);
});
afterEach(() => h.close());

const row = (c: {
  key: string;
  customers: number;
  buyers: number;
  repeatBuyers: number;
  repurchaseRate: number | null;
  orders: number;
  revenueCents: number;
  averageOrderCents: number | null;
}) => [c.key, c.customers, c.buyers, c.repeatBuyers, c.repurchaseRate, c.orders, c.revenueCents, c.averageOrderCents];

describe('reports.cohorts', () => {
  it('groups by entry week (China time, from Monday)', async () => {
    const report = await h.as('viewer').reports.cohorts({ by: 'entryWeek' });
    // c6 created Sat 2025-12-06 → week 2025-12-01: 1 buyer, o7 ¥40.
    // c1 c2 c3 c7 (Mon–Thu 2026-01-05…08): buyers c1 c2 c3, repeat c1 (o1 o2) c2 (o3 o8) → 2/3;
    //   orders 5 = 15000 + 21000 + 8000 = 44000 → AOV 8800.
    // c4 c5 (Tue/Wed 2026-01-13/14): 2 buyers, no repeat; o5 + o6 = 9000 → AOV 4500.
    expect(report.cohorts.map(row)).toEqual([
      ['2025-12-01', 1, 1, 0, 0, 1, 4000, 4000],
      ['2026-01-05', 4, 3, 2, 2 / 3, 5, 44000, 8800],
      ['2026-01-12', 2, 2, 0, 0, 2, 9000, 4500],
    ]);
    expect(report.definition['zh-CN']).toContain('复购率');
  });

  it('groups by first-touch channel, and sizes RFM segments with the segments code', async () => {
    const report = await h.as('viewer').reports.cohorts({ by: 'channel' });
    // card-a: c1 c2 c6 — repeat c1 c2; orders o1 o2 o3 o8 o7 = 15000 + 21000 + 4000 = 40000 → AOV 8000.
    expect(report.cohorts.map(row)).toEqual([
      ['card-a', 3, 3, 2, 2 / 3, 5, 40000, 8000],
      ['card-b', 1, 1, 0, 0, 1, 8000, 8000],
      ['sms-1', 1, 1, 0, 0, 1, 6000, 6000],
      ['', 2, 1, 0, 0, 1, 3000, 3000],
    ]);
    expect(report.cohorts[0]?.label).toBe('包裹卡 A (card-a)');
    // Seven customers; only c7 never ordered. (The other segments depend on NTILE over ties.)
    expect(report.rfm.reduce((n, s) => n + s.customers, 0)).toBe(7);
    expect(report.rfm.find((s) => s.segment === 'noOrders')?.customers).toBe(1);
  });
});
