import { createSign, generateKeyPairSync } from 'node:crypto';
import { couponsPackage } from '@siyu/nodes-coupons';
import {
  type CouponsServerDeps,
  createCouponStock,
  createCouponsServerPackage,
  expireCoupons,
  redeemCoupon,
  sandboxCouponProvider,
  wechatPayCouponProvider,
} from '@siyu/nodes-coupons/server';
import { couponUseNotice, type FakeWechatPay, startFakeWechatPay } from '@siyu/nodes-coupons/testing';
import { describe, expect, it } from 'vitest';
import { addCustomers, graphOf, publishJourney } from '../../testing/fixtures.ts';
import { ManualClock } from '../engine/api.ts';
import { createEngine } from '../engine/engine.ts';
import { createLogger } from '../logger.ts';
import { couponProvidersFromEnv, createCouponsServices } from './coupons-services.ts';
import {
  allRows,
  cleanupAfterEach,
  oneRow,
  postJson,
  registryWith,
  scratchDatabase,
  serveWebhooks,
} from './provider-journeys.test-helper.ts';

const registry = registryWith(couponsPackage);

const journeyFor = (stockId: string) =>
  graphOf(
    [
      ['entry', 'sample.apiEntry', {}],
      ['issue', 'coupons.issue', { stockId }],
      ['wait', 'sample.waitForEvent', { event: 'coupon.redeemed', timeout: { amount: 7, unit: 'days' } }],
      ['redeemed', 'sample.end', {}],
      ['timeout', 'sample.end', {}],
      ['failed', 'sample.end', {}],
    ],
    [
      ['entry', 'next', 'issue'],
      ['issue', 'issued', 'wait'],
      ['issue', 'failed', 'failed'],
      ['wait', 'matched', 'redeemed'],
      ['wait', 'timeout', 'timeout'],
    ],
    { quietHours: { enabled: false } },
  );

const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const merchant = { mchid: '1900000001', serialNo: 'SERIAL01', appid: 'wx8888888888888888' };
const apiV3Key = 'k'.repeat(32);
const NOW = Date.parse('2026-11-23T02:00:00Z');
const window = { validFrom: '2026-11-01T00:00:00Z', validTo: '2026-12-01T00:00:00Z' };

const cleanups = cleanupAfterEach();

async function setup(platformPublicKey?: string) {
  const db = await scratchDatabase('coupons', cleanups);
  const fake: FakeWechatPay = await startFakeWechatPay({ mchid: merchant.mchid, merchantPublicKey: keys.publicKey });
  cleanups.push(() => fake.close());
  const clock = new ManualClock(NOW);
  const logger = createLogger('silent');
  const services: CouponsServerDeps = createCouponsServices({
    db,
    clock,
    logger,
    providers: {
      providers: {
        sandbox: sandboxCouponProvider(),
        wechatpay: wechatPayCouponProvider({ ...merchant, privateKey: keys.privateKey, baseUrl: fake.url }),
      },
      wechatpayNotify: { apiV3Key, platformPublicKey },
    },
  });
  const pkg = createCouponsServerPackage(services);
  const engine = createEngine({ db, registry, executors: [...pkg.executors], clock, logger });
  const base = `${await serveWebhooks([pkg], engine, logger, cleanups)}/coupons`;
  const run = async (times = 4) => {
    for (let i = 0; i < times; i++) {
      clock.advance(1_000);
      await engine.tick();
    }
  };
  return { db, fake, clock, engine, pkg, services, base, run };
}

const one = oneRow;
const all = allRows;

describe('coupons end to end over SQLite', () => {
  it('sandbox: one coupon per step even when re-run; budget exhaustion follows the failed port; expiry emits events', async () => {
    const { db, clock, engine, pkg, services, run } = await setup();
    await createCouponStock(services, { id: 'welcome', name: '新客券', maxCoupons: 1, amountCents: 1000, ...window });
    publishJourney(db.sqlite, 'j1', journeyFor('welcome'));
    const [c1, c2] = addCustomers(db.sqlite, 'c', 1, 3) as [string, string];
    await engine.enroll('j1', c1);
    await engine.enroll('j1', c2);
    await run();

    const coupons = all(db, 'SELECT * FROM Coupon');
    expect(coupons).toHaveLength(1);
    const c = coupons[0] as Record<string, unknown>;
    expect(c).toMatchObject({ customerId: c1, status: 'sent', stockId: 'welcome', providerCouponId: c.id });
    expect(one(db, 'SELECT issued, status FROM CouponStock')).toEqual({ issued: 1, status: 'exhausted' });
    expect(one(db, 'SELECT nodeId FROM Instance WHERE customerId = ?', c1).nodeId).toBe('wait');
    expect(one(db, 'SELECT nodeId FROM Instance WHERE customerId = ?', c2).nodeId).toBe('failed');

    // The outbox re-running the same step (crash after the issue) returns the same coupon.
    const executor = pkg.executors[0];
    if (!executor) throw new Error('no executor');
    const rerun = await executor.run({
      config: { stockId: 'welcome' },
      customer: { id: c1, tags: [], attributes: {}, identities: {} },
      idempotencyKey: String(c.idempotencyKey),
      attempt: 2,
      journey: { id: 'j1', versionId: 'j1-v1' },
      instanceId: 'x',
      nodeId: 'issue',
      now: new Date(clock.now()),
      signal: new AbortController().signal,
    });
    expect(rerun).toMatchObject({ port: 'issued', data: { couponId: c.id, deduplicated: true } });
    expect(all(db, 'SELECT id FROM Coupon')).toHaveLength(1);

    // Sandbox redemption at the till: once, even if reported twice.
    const redeemed = await redeemCoupon(services, {
      couponId: String(c.id),
      orderId: 'o-1',
      at: new Date(clock.now()),
    });
    expect(redeemed).toMatchObject({
      type: 'coupon.redeemed',
      customerId: c1,
      data: { couponId: c.id, orderId: 'o-1' },
    });
    await engine.ingestEvent(redeemed as never);
    await engine.ingestEvent((await redeemCoupon(services, { couponId: String(c.id), at: new Date() })) as never);
    await run(2);
    expect(one(db, 'SELECT nodeId FROM Instance WHERE customerId = ?', c1).nodeId).toBe('redeemed');
    expect(one(db, "SELECT count(*) n FROM Event WHERE type = 'coupon.redeemed'").n).toBe(1);
    expect(one(db, 'SELECT orderId FROM Coupon').orderId).toBe('o-1');

    // Expiry only touches unused coupons of stocks past validTo.
    await createCouponStock(services, {
      id: 'short',
      name: '短期券',
      maxCoupons: 5,
      amountCents: 500,
      validFrom: window.validFrom,
      validTo: '2026-11-24T00:00:00Z',
    });
    publishJourney(db.sqlite, 'j2', journeyFor('short'));
    const [c3] = addCustomers(db.sqlite, 'd', 1, 2) as [string];
    await engine.enroll('j2', c3);
    await run();
    expect(await expireCoupons(services, new Date(clock.now()))).toEqual([]);
    const events = await expireCoupons(services, new Date('2026-11-24T00:00:00Z'));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'coupon.expired', customerId: c3, data: { stockId: 'short' } });
    expect(one(db, "SELECT status FROM Coupon WHERE stockId = 'short'").status).toBe('expired');
    expect(one(db, "SELECT status FROM Coupon WHERE stockId = 'welcome'").status).toBe('used');
    expect(await expireCoupons(services, new Date('2026-12-24T00:00:00Z'))).toEqual([]);
  });

  it('per-customer cap and validity window are permanent failures', async () => {
    const { db, engine, services, run } = await setup();
    await createCouponStock(services, {
      id: 'vip',
      name: 'VIP',
      maxCoupons: 10,
      maxPerCustomer: 1,
      amountCents: 100,
      ...window,
    });
    await createCouponStock(services, {
      id: 'later',
      name: '未开始',
      maxCoupons: 10,
      amountCents: 100,
      validFrom: '2026-12-01T00:00:00Z',
      validTo: '2026-12-31T00:00:00Z',
    });
    const twice = graphOf(
      [
        ['entry', 'sample.apiEntry', {}],
        ['a', 'coupons.issue', { stockId: 'vip' }],
        ['b', 'coupons.issue', { stockId: 'vip' }],
        ['c', 'coupons.issue', { stockId: 'later' }],
        ['done', 'sample.end', {}],
        ['capped', 'sample.end', {}],
        ['early', 'sample.end', {}],
      ],
      [
        ['entry', 'next', 'a'],
        ['a', 'issued', 'b'],
        ['b', 'failed', 'capped'],
        ['b', 'issued', 'done'],
      ],
      { quietHours: { enabled: false } },
    );
    publishJourney(db.sqlite, 'j3', twice);
    const [c1] = addCustomers(db.sqlite, 'e', 1, 2) as [string];
    await engine.enroll('j3', c1);
    await run(6);
    expect(one(db, 'SELECT nodeId FROM Instance WHERE customerId = ?', c1).nodeId).toBe('capped');
    expect(one(db, "SELECT issued FROM CouponStock WHERE id = 'vip'").issued).toBe(1);
    const reserve = await services.store.reserveCoupon({
      stockId: 'later',
      customerId: c1,
      idempotencyKey: 'k-later',
      now: new Date(NOW),
    });
    expect(reserve).toMatchObject({ kind: 'rejected', reason: 'notStarted' });
    expect(
      await services.store.reserveCoupon({
        stockId: 'nope',
        customerId: c1,
        idempotencyKey: 'k-x',
        now: new Date(NOW),
      }),
    ).toMatchObject({
      kind: 'rejected',
      reason: 'unknownStock',
    });
  });

  it('WeChat Pay: retried issue after a 5xx makes one coupon; the encrypted COUPON.USE notice redeems once', async () => {
    const { db, fake, engine, services, base, run, clock } = await setup();
    const stock = await createCouponStock(services, {
      id: 'wx',
      name: '微信券',
      provider: 'wechatpay',
      maxCoupons: 10,
      amountCents: 1000,
      ...window,
    });
    expect(stock.providerStockId).toMatch(/^\d+$/);
    publishJourney(db.sqlite, 'j4', journeyFor('wx'));
    const [c1, c2] = addCustomers(db.sqlite, 'w', 1, 3) as [string, string];
    db.sqlite
      .prepare("INSERT INTO CustomerIdentity (kind, value, customerId, createdAt) VALUES ('openid', 'o_wx_1', ?, ?)")
      .run(c1, new Date(NOW).toISOString());
    fake.failNext(500);
    await engine.enroll('j4', c1);
    await engine.enroll('j4', c2); // no openid → failed
    await run();
    for (let i = 0; i < 10 && fake.coupons.size === 0; i++) {
      clock.advance(60_000);
      await engine.tick();
    }
    expect(fake.coupons.size).toBe(1);
    const coupon = one(db, 'SELECT * FROM Coupon');
    expect(coupon).toMatchObject({ customerId: c1, status: 'sent' });
    expect(coupon.providerCouponId).toBe([...fake.coupons.values()][0]?.couponId);
    expect(one(db, 'SELECT nodeId FROM Instance WHERE customerId = ?', c1).nodeId).toBe('wait');
    expect(one(db, 'SELECT nodeId FROM Instance WHERE customerId = ?', c2).nodeId).toBe('failed');
    expect(one(db, "SELECT issued FROM CouponStock WHERE id = 'wx'").issued).toBe(1); // c2's reservation given back

    // Forged notice (wrong key): refused, nothing changes.
    const forged = await postJson(
      `${base}/wechatpay/notify`,
      couponUseNotice('x'.repeat(32), { id: 'n0', couponId: String(coupon.providerCouponId), stockId: 'wx' }),
    );
    expect(forged.status).toBe(401);
    expect(one(db, 'SELECT status FROM Coupon').status).toBe('sent');

    // The same notice twice, then a new notice id for the same coupon: one redemption, one event.
    const body = couponUseNotice(apiV3Key, {
      id: 'n1',
      couponId: String(coupon.providerCouponId),
      stockId: String(stock.providerStockId),
      transactionId: 'tx-9',
    });
    for (const b of [
      body,
      body,
      couponUseNotice(apiV3Key, { id: 'n2', couponId: String(coupon.providerCouponId), stockId: 'x' }),
    ]) {
      const res = await postJson(`${base}/wechatpay/notify`, b);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ code: 'SUCCESS', message: '成功' });
    }
    expect(one(db, 'SELECT status, orderId FROM Coupon')).toEqual({ status: 'used', orderId: 'tx-9' });
    const events = all(db, "SELECT * FROM Event WHERE type = 'coupon.redeemed'");
    expect(events).toHaveLength(1);
    expect(JSON.parse(String(events[0]?.data))).toEqual({ couponId: coupon.id, stockId: 'wx', orderId: 'tx-9' });
    await run(2);
    expect(one(db, 'SELECT nodeId FROM Instance WHERE customerId = ?', c1).nodeId).toBe('redeemed');
  });

  it('with the platform public key configured, a notice must carry a valid, fresh Wechatpay-Signature', async () => {
    const platform = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const { db, engine, services, base, run } = await setup(platform.publicKey);
    await createCouponStock(services, {
      id: 's',
      name: '券',
      maxCoupons: 2,
      amountCents: 100,
      provider: 'wechatpay',
      ...window,
    });
    publishJourney(db.sqlite, 'j5', journeyFor('s'));
    const [c1] = addCustomers(db.sqlite, 'p', 1, 2) as [string];
    db.sqlite
      .prepare("INSERT INTO CustomerIdentity (kind, value, customerId, createdAt) VALUES ('openid', 'o_p', ?, ?)")
      .run(c1, new Date(NOW).toISOString());
    await engine.enroll('j5', c1);
    await run();
    const coupon = one(db, 'SELECT * FROM Coupon');
    const body = couponUseNotice(apiV3Key, { id: 'n9', couponId: String(coupon.providerCouponId), stockId: 'x' });
    // Wechatpay-Timestamp is wall-clock time (WeChat signs each delivery when it sends it).
    const fresh = String(Math.floor(Date.now() / 1000));
    const stale = String(Math.floor(Date.now() / 1000) - 3600);
    const headers = (signature: string, timestamp = fresh) => ({
      'content-type': 'application/json',
      'wechatpay-timestamp': timestamp,
      'wechatpay-nonce': 'N0NCE',
      'wechatpay-serial': 'PLATFORM01',
      'wechatpay-signature': signature,
    });
    const sign = (key: string, timestamp = fresh) =>
      createSign('RSA-SHA256').update(`${timestamp}\nN0NCE\n${body}\n`).sign(key, 'base64');
    const good = sign(platform.privateKey);
    const bad = sign(keys.privateKey);
    const refused = await fetch(`${base}/wechatpay/notify`, { method: 'POST', headers: headers(bad), body });
    expect(refused.status).toBe(401);
    expect(one(db, 'SELECT status FROM Coupon').status).toBe('sent');
    // A genuinely signed notice captured an hour ago and replayed now: refused.
    const replayed = await fetch(`${base}/wechatpay/notify`, {
      method: 'POST',
      headers: headers(sign(platform.privateKey, stale), stale),
      body,
    });
    expect(replayed.status).toBe(401);
    expect(((await replayed.json()) as { message: string }).message).toMatch(/Wechatpay-Timestamp/);
    expect(one(db, 'SELECT status FROM Coupon').status).toBe('sent');
    const accepted = await fetch(`${base}/wechatpay/notify`, { method: 'POST', headers: headers(good), body });
    expect(accepted.status).toBe(200);
    expect(one(db, 'SELECT status FROM Coupon').status).toBe('used');
  });

  it('concurrent reservations never exceed the budget', async () => {
    const { db, services } = await setup();
    await createCouponStock(services, {
      id: 'flash',
      name: '秒杀',
      maxCoupons: 5,
      maxPerCustomer: 3,
      amountCents: 100,
      ...window,
    });
    const ids = addCustomers(db.sqlite, 'f', 1, 11);
    const results = await Promise.all(
      ids.flatMap((id) =>
        [1, 2].map((n) =>
          services.store.reserveCoupon({
            stockId: 'flash',
            customerId: id,
            idempotencyKey: `${id}:${n}`,
            now: new Date(NOW),
          }),
        ),
      ),
    );
    expect(results.filter((r) => r.kind === 'reserved')).toHaveLength(5);
    expect(results.filter((r) => r.kind === 'rejected' && r.reason === 'exhausted')).toHaveLength(15);
    expect(one(db, "SELECT issued, status FROM CouponStock WHERE id = 'flash'")).toEqual({
      issued: 5,
      status: 'exhausted',
    });
    expect(one(db, 'SELECT count(*) n FROM Coupon').n).toBe(5);
  });

  it('rejects a bad stock naming the field, and answers bad or foreign notices without redeeming', async () => {
    const { services, base } = await setup();
    await expect(
      createCouponStock(services, { id: 'bad id', name: 'x', maxCoupons: 0, amountCents: 100, ...window }),
    ).rejects.toThrow(/id: .*maxCoupons: /);
    await expect(
      createCouponStock(services, {
        id: 'b',
        name: 'x',
        maxCoupons: 1,
        amountCents: 100,
        validFrom: window.validTo,
        validTo: window.validFrom,
      }),
    ).rejects.toThrow(/validTo: /);
    const post = (body: string) => fetch(`${base}/wechatpay/notify`, { method: 'POST', body });
    expect((await post('not json')).status).toBe(400);
    const refund = JSON.parse(couponUseNotice(apiV3Key, { id: 'n', couponId: '1', stockId: '2' }));
    expect((await post(JSON.stringify({ ...refund, event_type: 'REFUND.SUCCESS' }))).status).toBe(200);
    // A coupon that is not ours (issued by another system on the same merchant) is acknowledged.
    expect((await post(JSON.stringify(refund))).status).toBe(200);
  });

  it('reads WeChat Pay settings from the environment and names what is missing', () => {
    expect(Object.keys(couponProvidersFromEnv({}).providers)).toEqual(['sandbox']);
    expect(() => couponProvidersFromEnv({ WECHATPAY_MCHID: '1' })).toThrow(/WECHATPAY_APPID/);
    expect(() => couponProvidersFromEnv({ WECHATPAY_APIV3_KEY: 'short' })).toThrow(/WECHATPAY_APIV3_KEY/);
  });
});
