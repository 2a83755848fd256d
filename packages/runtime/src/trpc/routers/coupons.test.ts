import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { graphOf, publishJourneyOn } from '../../../testing/fixtures.ts';
import type { AppDatabase } from '../../db/app-database.ts';
import { addCustomer, createHarness, type Harness, type HarnessBackend } from '../harness.test-helper.ts';

const DAY = 86_400_000;
let h: Harness<AppDatabase>;
// Every case on SQLite and on a fresh PostgreSQL database.
const BACKENDS = ['sqlite', 'postgresql'] as const satisfies readonly HarnessBackend[];
afterEach(() => h.close());

describe.each(BACKENDS)('on %s', (backend) => {
  beforeEach(async () => {
    h = await createHarness({ nodes: 'product', backend });
  });

  describe('coupons router and coupon lifecycle in a journey', () => {
    it('creates a stock, issues through the journey, a till redemption moves the customer on, unused coupons expire into events', async () => {
      const now = h.clock.now();
      await h.as('operator').coupons.createStock({
        id: 'back10',
        name: '回购立减10元',
        maxCoupons: 100,
        amountCents: 1000,
        minimumCents: 5000,
        validFrom: new Date(now - DAY),
        validTo: new Date(now + 3 * DAY),
      });
      await expect(
        h.as('operator').coupons.createStock({
          id: 'back10',
          name: 'again',
          maxCoupons: 1,
          amountCents: 1,
          validFrom: new Date(now),
          validTo: new Date(now + DAY),
        }),
      ).rejects.toThrow(/already exists/);
      await expect(
        h.as('operator').coupons.createStock({
          id: 'bad',
          name: 'bad',
          maxCoupons: 1,
          amountCents: 1,
          validFrom: new Date(now),
          validTo: new Date(now - DAY),
        }),
      ).rejects.toThrow(/validTo/);

      await publishJourneyOn(
        h.db,
        'rebuy',
        graphOf(
          [
            ['entry', 'core.apiEntry', {}],
            ['issue', 'coupons.issue', { stockId: 'back10' }],
            ['wait', 'core.waitForEvent', { event: 'coupon.redeemed', timeout: { amount: 7, unit: 'days' } }],
            ['vip', 'core.updateTags', { add: ['已核销'] }],
            ['expired', 'core.exit', { reason: '券过期' }],
            ['timeout', 'core.exit', { reason: '超时' }],
          ],
          [
            ['entry', 'next', 'issue'],
            ['issue', 'issued', 'wait'],
            ['wait', 'matched', 'vip'],
            ['wait', 'timeout', 'timeout'],
          ],
          { exitConditions: [{ event: 'coupon.expired' }] },
        ),
      );
      for (const id of ['c1', 'c2']) {
        await addCustomer(h, id);
        await h.engine.enroll('rebuy', id);
      }
      await h.engine.tick();
      const coupons = await h.db.prisma.coupon.findMany({ orderBy: { customerId: 'asc' } });
      expect(coupons.map((c) => [c.customerId, c.status])).toEqual([
        ['c1', 'sent'],
        ['c2', 'sent'],
      ]);
      const c1Coupon = coupons[0]?.id as string;
      expect(await h.as('operator').coupons.redeem({ couponId: c1Coupon, orderId: 'T9' })).toEqual({
        status: 'used',
        alreadyUsed: false,
        delivered: 1,
      });
      expect(await h.as('operator').coupons.redeem({ couponId: c1Coupon })).toEqual({
        status: 'used',
        alreadyUsed: true,
        delivered: 0,
      });
      await h.engine.tick();
      expect((await h.db.prisma.customerTag.findMany({ where: { tag: '已核销' } })).map((t) => t.customerId)).toEqual([
        'c1',
      ]);

      // The stock ends after 3 days: the tick's expiry job turns c2's coupon into coupon.expired → exit.
      h.clock.advance(3 * DAY + 60_000);
      await h.engine.tick();
      const c2 = await h.db.prisma.instance.findFirstOrThrow({ where: { customerId: 'c2' } });
      expect(c2).toMatchObject({ status: 'exited', exitReason: 'exitCondition:coupon.expired' });
      await expect(h.as('operator').coupons.redeem({ couponId: coupons[1]?.id as string })).rejects.toThrow(/expired/);
      const [stock] = await h.as('viewer').coupons.stocks();
      expect(stock).toMatchObject({ id: 'back10', issued: 2, redeemed: 1, remaining: 98 });
    });
  });
});
