// The coupon store on SQLite and PostgreSQL: issue through the node's executor, idempotency under
// retries and concurrent runs, budget and per-customer cap under concurrency, release, redemption
// and expiry exactly once. (The journey-level tests in coupons-services.test.ts need createEngine
// and stay on SQLite.)
import {
  createCouponStock,
  createCouponsServerPackage,
  expireCoupons,
  redeemCoupon,
  sandboxCouponProvider,
} from '@siyu/nodes-coupons/server';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../engine/api.ts';
import { createLogger } from '../logger.ts';
import { createCouponsServices } from './coupons-services.ts';
import { bothDatabases, seedCustomers } from './databases.test-helper.ts';

const { databases } = bothDatabases('coupon-store');
const NOW = Date.parse('2026-11-23T02:00:00Z');
const window = { validFrom: '2026-11-01T00:00:00Z', validTo: '2026-12-01T00:00:00Z' };

describe.each(databases)('coupon store on %s', (_name, open) => {
  async function setup() {
    const db = await open();
    const clock = new ManualClock(NOW);
    const services = createCouponsServices({
      db,
      clock,
      logger: createLogger('silent'),
      providers: { providers: { sandbox: sandboxCouponProvider() } },
    });
    const [executor] = createCouponsServerPackage(services).executors;
    if (!executor) throw new Error('the coupons package has no executor');
    const issue = (customerId: string, idempotencyKey: string, stockId = 'welcome') =>
      executor.run({
        config: { stockId },
        customer: { id: customerId, tags: [], attributes: {}, identities: {} },
        idempotencyKey,
        attempt: 1,
        journey: { id: 'j1', versionId: 'j1-v1' },
        instanceId: '1',
        nodeId: 'issue',
        now: new Date(clock.now()),
        signal: new AbortController().signal,
      });
    const coupons = () =>
      db.sql.all<{ id: string; customerId: string; status: string; idempotencyKey: string }>(
        'SELECT id, customerId, status, idempotencyKey FROM Coupon ORDER BY customerId',
      );
    return { db, clock, services, issue, coupons };
  }

  it('issues once per step: a retry and concurrent runs of one step get the same coupon', async () => {
    const { db, services, issue, coupons } = await setup();
    const stock = await createCouponStock(services, {
      id: 'welcome',
      name: '新客券',
      maxCoupons: 5,
      amountCents: 1000,
      ...window,
    });
    expect(stock).toMatchObject({ id: 'welcome', issued: 0, status: 'active' });
    expect(stock.validFrom.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    const [c1] = await seedCustomers(db, 'c', 1, 2);
    const first = await issue(c1 as string, '1:issue:0');
    expect(first).toMatchObject({ port: 'issued' });
    const again = await Promise.all([issue(c1 as string, '1:issue:0'), issue(c1 as string, '1:issue:0')]);
    for (const r of again) expect(r).toMatchObject({ port: 'issued', data: { deduplicated: true } });
    const rows = await coupons();
    expect(rows).toEqual([{ id: expect.any(String), customerId: c1, status: 'sent', idempotencyKey: '1:issue:0' }]);
    expect(again.map((r) => r.data?.couponId)).toEqual([rows[0]?.id, rows[0]?.id]);
    expect((await services.store.getStock('welcome'))?.issued).toBe(1);
  });

  it('keeps the budget and the per-customer cap when many steps issue at once', async () => {
    const { db, services, issue, coupons } = await setup();
    await createCouponStock(services, { id: 'welcome', name: '限量券', maxCoupons: 3, amountCents: 500, ...window });
    const customers = await seedCustomers(db, 'c', 1, 9);
    // Eight customers, each reached by two different steps at once: three coupons in all, one each.
    const results = await Promise.allSettled(
      customers.flatMap((c) => [issue(c, `${c}:issue:0`), issue(c, `${c}:issue:1`)]),
    );
    // A refused issue is a permanent error (the node's failed port): the budget or the cap.
    expect(results.filter((r) => r.status === 'fulfilled' && r.value.port === 'issued')).toHaveLength(3);
    for (const r of results) {
      if (r.status === 'rejected') expect(String(r.reason)).toMatch(/is used up|already holds 1 coupon/);
    }
    const rows = await coupons();
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((r) => r.customerId)).size).toBe(3);
    expect(await services.store.getStock('welcome')).toMatchObject({ issued: 3, status: 'exhausted' });
  });

  it('releases an unconfirmed reservation once, redeems once, expires each coupon once', async () => {
    const { db, clock, services, issue, coupons } = await setup();
    await createCouponStock(services, { id: 'welcome', name: '新客券', maxCoupons: 2, amountCents: 1000, ...window });
    const [c1, c2, c3] = (await seedCustomers(db, 'c', 1, 4)) as [string, string, string];

    const held = await services.store.reserveCoupon({
      stockId: 'welcome',
      customerId: c3,
      idempotencyKey: 'held',
      now: new Date(clock.now()),
    });
    if (held.kind !== 'reserved') throw new Error(`not reserved: ${held.kind}`);
    expect(held.coupon.status).toBe('pending');
    expect(held.stock.issued).toBe(1);
    await Promise.all([services.store.releaseCoupon(held.coupon.id), services.store.releaseCoupon(held.coupon.id)]);
    expect((await services.store.getStock('welcome'))?.issued).toBe(0);

    await issue(c1, 'k1');
    await issue(c2, 'k2');
    const [used, unused] = await coupons();
    const use = () =>
      services.store.markCouponUsed({ couponId: String(used?.id), orderId: 'o-1', usedAt: new Date(clock.now()) });
    const marks = await Promise.all([use(), use()]);
    expect(marks.map((m) => m?.changed).sort()).toEqual([false, true]);
    const redeemed = await redeemCoupon(services, { couponId: String(used?.id), at: new Date(clock.now()) });
    expect(redeemed).toMatchObject({ type: 'coupon.redeemed', customerId: c1, data: { orderId: 'o-1' } });

    clock.set(Date.parse('2026-12-02T00:00:00Z'));
    const expiries = await Promise.all([
      expireCoupons(services, new Date(clock.now())),
      expireCoupons(services, new Date(clock.now())),
    ]);
    expect(expiries.flat().map((e) => [e.type, e.customerId])).toEqual([['coupon.expired', c2]]);
    expect((await coupons()).map((c) => [c.id, c.status])).toEqual([
      [used?.id, 'used'],
      [unused?.id, 'expired'],
    ]);
  });
});
