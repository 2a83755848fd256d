import { generateKeyPairSync } from 'node:crypto';
import { PermanentError, RetryableError } from '@siyu/shared';
import { afterEach, describe, expect, it } from 'vitest';
import type { CouponRecord, CouponStockRecord } from './deps.ts';
import { couponUseNotice, type FakeWechatPay, startFakeWechatPay } from './fake-wechatpay.ts';
import { wechatPayCouponProvider } from './providers.ts';
import { authorizationHeader, decryptResource, parseAuthorization, signatureMessage, verifyRsa } from './signing.ts';

const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const otherKeys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const creds = { mchid: '1900000001', serialNo: '5157F09EFDC096DE15EBE81A47057A72', appid: 'wx8888888888888888' };

const fakes: FakeWechatPay[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});
async function fake() {
  const f = await startFakeWechatPay({ mchid: creds.mchid, merchantPublicKey: keys.publicKey });
  fakes.push(f);
  return f;
}

const validFrom = new Date('2026-11-01T00:00:00Z');
const validTo = new Date('2026-12-01T00:00:00Z');
function stock(providerStockId: string | null): CouponStockRecord {
  return {
    id: 'welcome',
    name: '新客券',
    provider: 'wechatpay',
    providerStockId,
    maxCoupons: 100,
    maxPerCustomer: 1,
    issued: 0,
    amountCents: 1000,
    minimumCents: 5000,
    validFrom,
    validTo,
    status: 'active',
  };
}
const coupon = { id: 'cpn_1' } as CouponRecord;
const customer = (openid?: string) => ({ id: 'c1', tags: [], attributes: {}, identities: openid ? { openid } : {} });

describe('WeChat Pay v3 signing', () => {
  it('builds the Authorization header over METHOD\\nURL\\ntimestamp\\nnonce\\nbody\\n', () => {
    const header = authorizationHeader(
      { ...creds, privateKey: keys.privateKey },
      { method: 'POST', url: '/v3/marketing/favor/users/o1/coupons', body: '{"a":1}' },
      { timestamp: '1700000000', nonce: 'NONCE123' },
    );
    expect(header).toMatch(
      /^WECHATPAY2-SHA256-RSA2048 mchid="1900000001",nonce_str="NONCE123",signature="[^"]+",timestamp="1700000000",serial_no="5157F09EFDC096DE15EBE81A47057A72"$/,
    );
    const f = parseAuthorization(header) as Record<string, string>;
    const message = 'POST\n/v3/marketing/favor/users/o1/coupons\n1700000000\nNONCE123\n{"a":1}\n';
    expect(signatureMessage('post', '/v3/marketing/favor/users/o1/coupons', '1700000000', 'NONCE123', '{"a":1}')).toBe(
      message,
    );
    expect(verifyRsa(message, f.signature as string, keys.publicKey)).toBe(true);
    expect(verifyRsa(message.replace('{"a":1}', '{"a":2}'), f.signature as string, keys.publicKey)).toBe(false);
  });

  it('decrypts an AEAD_AES_256_GCM resource and rejects a wrong key or tampered ciphertext', () => {
    const key = 'a'.repeat(32);
    const notice = JSON.parse(couponUseNotice(key, { id: 'n1', couponId: '123', stockId: '98' }));
    expect(JSON.parse(decryptResource(notice.resource, key))).toMatchObject({ coupon_id: '123', status: 'USED' });
    expect(() => decryptResource(notice.resource, 'b'.repeat(32))).toThrow();
    expect(() => decryptResource({ ...notice.resource, associated_data: 'other' }, key)).toThrow();
  });
});

describe('WeChat Pay coupon provider against the local fake', () => {
  it('creates and starts a stock, then issues idempotently on out_request_no', async () => {
    const f = await fake();
    const provider = wechatPayCouponProvider({ ...creds, privateKey: keys.privateKey, baseUrl: f.url });
    const created = await provider.createStock({
      name: '新客券',
      maxCoupons: 100,
      maxPerCustomer: 1,
      amountCents: 1000,
      minimumCents: 5000,
      validFrom,
      validTo,
      outRequestNo: 'stock-welcome',
    });
    const stockId = created?.providerStockId as string;
    expect(f.stocks.get(stockId)).toMatchObject({ started: true, maxPerUser: 1 });
    expect(f.stocks.get(stockId)?.body).toMatchObject({
      available_begin_time: '2026-11-01T08:00:00+08:00',
      stock_use_rule: { max_coupons: 100, max_coupons_per_user: 1 },
      coupon_use_rule: { fixed_normal_coupon: { coupon_amount: 1000, transaction_minimum: 5000 } },
    });

    const req = { stock: stock(stockId), coupon, customer: customer('o_abc'), outRequestNo: 'inst1:issue:1' };
    const first = await provider.issue(req);
    const again = await provider.issue(req);
    expect(again.providerCouponId).toBe(first.providerCouponId);
    expect(f.coupons.size).toBe(1);
    expect(f.requests.at(-1)?.body).toEqual({
      stock_id: stockId,
      out_request_no: 'inst1|issue|1',
      appid: creds.appid,
      stock_creator_mchid: creds.mchid,
    });

    // A different step for the same openid hits the per-user cap: permanent.
    const capped = await provider.issue({ ...req, outRequestNo: 'inst2:issue:1' }).catch((e) => e);
    expect(capped).toBeInstanceOf(PermanentError);
    expect(capped.code).toBe('capReached');
    expect(f.rejectedSignatures).toBe(0);
  });

  it('5xx and 429 are retryable; a missing openid is permanent; a bad signature is refused by the fake', async () => {
    const f = await fake();
    const provider = wechatPayCouponProvider({ ...creds, privateKey: keys.privateKey, baseUrl: f.url });
    const created = await provider.createStock({
      name: 'x',
      maxCoupons: 1,
      maxPerCustomer: 1,
      amountCents: 100,
      minimumCents: 0,
      validFrom,
      validTo,
      outRequestNo: 's',
    });
    const req = {
      stock: stock(created?.providerStockId ?? null),
      coupon,
      customer: customer('o_1'),
      outRequestNo: 'k1',
    };
    f.failNext(500);
    await expect(provider.issue(req)).rejects.toBeInstanceOf(RetryableError);
    f.failNext(429);
    await expect(provider.issue(req)).rejects.toBeInstanceOf(RetryableError);
    expect((await provider.issue(req)).providerCouponId).toMatch(/^\d+$/);

    const noOpenid = await provider.issue({ ...req, customer: customer() }).catch((e) => e);
    expect(noOpenid).toBeInstanceOf(PermanentError);
    expect(noOpenid.code).toBe('noOpenid');

    const forged = wechatPayCouponProvider({ ...creds, privateKey: otherKeys.privateKey, baseUrl: f.url });
    const refused = await forged.issue({ ...req, outRequestNo: 'k2' }).catch((e) => e);
    expect(refused).toBeInstanceOf(PermanentError);
    expect(refused.code).toBe('SIGN_ERROR');
    expect(f.rejectedSignatures).toBe(1);
  });

  it("sends an engine key in WeChat's charset; the fake, like WeChat, refuses ':' with PARAM_ERROR", async () => {
    const f = await fake();
    const provider = wechatPayCouponProvider({ ...creds, privateKey: keys.privateKey, baseUrl: f.url });
    const created = await provider.createStock({
      name: 'x',
      maxCoupons: 5,
      maxPerCustomer: 5,
      amountCents: 100,
      minimumCents: 0,
      validFrom,
      validTo,
      outRequestNo: 'stock-x',
    });
    const stockId = created?.providerStockId as string;
    const engineKey = '100000007:welcome_coupon:1';
    const req = { stock: stock(stockId), coupon, customer: customer('o_k'), outRequestNo: engineKey };
    const issued = await provider.issue(req);
    expect([...f.coupons.keys()]).toEqual(['100000007|welcome_coupon|1']);
    expect((await provider.issue(req)).providerCouponId).toBe(issued.providerCouponId);

    // The key as it was sent before the mapping: WeChat's documented charset has no ':'.
    const path = '/v3/marketing/favor/users/o_k/coupons';
    const body = JSON.stringify({
      stock_id: stockId,
      out_request_no: engineKey,
      appid: creds.appid,
      stock_creator_mchid: creds.mchid,
    });
    const raw = await fetch(`${f.url}${path}`, {
      method: 'POST',
      headers: {
        authorization: authorizationHeader(
          { ...creds, privateKey: keys.privateKey },
          { method: 'POST', url: path, body },
        ),
        'content-type': 'application/json',
      },
      body,
    });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toMatchObject({ code: 'PARAM_ERROR' });
    expect(f.coupons.size).toBe(1);
  });
});
