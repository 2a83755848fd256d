// A local fake of the WeChat Pay v3 merchant-coupon API for tests: it VERIFIES each request's
// WECHATPAY2-SHA256-RSA2048 signature with the merchant public key, issues coupons idempotently on
// out_request_no (refusing one outside WeChat's charset with PARAM_ERROR, as WeChat does), enforces
// max_coupons_per_user with RULE_LIMIT, and can be told to fail (5xx).
// It also builds COUPON.USE notices encrypted with AEAD_AES_256_GCM like WeChat Pay does.
import { createCipheriv, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseAuthorization, signatureMessage, verifyRsa } from './signing.ts';

// WeChat's own rule for out_request_no (stock creation and issue): 1–128 of letters, digits and
// | _ * -. Written here apart from the provider's mapping on purpose: the fake checks the client.
const VALID_OUT_REQUEST_NO = /^[A-Za-z0-9|_*-]{1,128}$/;

export interface FakeWechatPay {
  url: string;
  /** Issued coupons by out_request_no. */
  coupons: Map<string, { couponId: string; openid: string; stockId: string }>;
  stocks: Map<string, { maxPerUser: number; started: boolean; body: Record<string, unknown> }>;
  /** Every request that reached a handler (after the signature check). */
  requests: Array<{ method: string; path: string; body: Record<string, unknown> }>;
  rejectedSignatures: number;
  /** Answer the next N calls with this HTTP status (e.g. 500, 429). */
  failNext(status: number, times?: number): void;
  close(): Promise<void>;
}

export async function startFakeWechatPay(options: {
  mchid: string;
  merchantPublicKey: string;
}): Promise<FakeWechatPay> {
  const coupons: FakeWechatPay['coupons'] = new Map();
  const stocks: FakeWechatPay['stocks'] = new Map();
  const requests: FakeWechatPay['requests'] = [];
  let failures: { status: number; times: number } = { status: 0, times: 0 };
  let rejected = 0;
  let seq = 0;

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = req.url ?? '/';
    const auth = parseAuthorization(req.headers.authorization ?? '');
    if (
      !auth ||
      auth.mchid !== options.mchid ||
      !auth.serial_no ||
      !auth.signature ||
      !verifyRsa(
        signatureMessage(req.method ?? '', url, auth.timestamp ?? '', auth.nonce_str ?? '', raw),
        auth.signature,
        options.merchantPublicKey,
      )
    ) {
      rejected++;
      return send(res, 401, { code: 'SIGN_ERROR', message: '签名错误' });
    }
    if (failures.times > 0) {
      failures.times--;
      return send(res, failures.status, { code: 'SYSTEM_ERROR', message: '系统错误' });
    }
    const body = JSON.parse(raw || '{}') as Record<string, unknown>;
    requests.push({ method: req.method ?? '', path: url, body });
    const startMatch = /^\/v3\/marketing\/favor\/stocks\/([^/]+)\/start$/.exec(url);
    const issueMatch = /^\/v3\/marketing\/favor\/users\/([^/]+)\/coupons$/.exec(url);
    const outRequestNo = body.out_request_no;
    if (outRequestNo !== undefined && (typeof outRequestNo !== 'string' || !VALID_OUT_REQUEST_NO.test(outRequestNo))) {
      return send(res, 400, { code: 'PARAM_ERROR', message: 'out_request_no 含不合法符号或超长' });
    }
    if (req.method === 'POST' && url === '/v3/marketing/favor/coupon-stocks') {
      const stockId = String(9_800_000 + ++seq);
      const rule = body.stock_use_rule as { max_coupons_per_user?: number } | undefined;
      stocks.set(stockId, { maxPerUser: rule?.max_coupons_per_user ?? 1, started: false, body });
      return send(res, 200, { stock_id: stockId, create_time: new Date().toISOString() });
    }
    if (req.method === 'POST' && startMatch) {
      const m = startMatch;
      const stock = stocks.get(decodeURIComponent(m[1] as string));
      if (!stock) return send(res, 404, { code: 'RESOURCE_NOT_EXISTS', message: '批次不存在' });
      stock.started = true;
      return send(res, 200, { stock_id: m[1], start_time: new Date().toISOString() });
    }
    if (req.method === 'POST' && issueMatch) {
      const m = issueMatch;
      const openid = decodeURIComponent(m[1] as string);
      const { stock_id, out_request_no, appid, stock_creator_mchid } = body as Record<string, string | undefined>;
      if (!stock_id || !out_request_no || !appid || stock_creator_mchid !== options.mchid) {
        return send(res, 400, { code: 'PARAM_ERROR', message: '参数错误' });
      }
      const earlier = coupons.get(out_request_no);
      if (earlier) return send(res, 200, { coupon_id: earlier.couponId });
      const stock = stocks.get(stock_id);
      if (!stock?.started) return send(res, 400, { code: 'RESOURCE_NOT_EXISTS', message: '批次不存在或未激活' });
      const held = [...coupons.values()].filter((c) => c.openid === openid && c.stockId === stock_id).length;
      if (held >= stock.maxPerUser) return send(res, 403, { code: 'RULE_LIMIT', message: '用户已达领取上限' });
      const couponId = String(1_000_000_000 + ++seq);
      coupons.set(out_request_no, { couponId, openid, stockId: stock_id });
      return send(res, 200, { coupon_id: couponId });
    }
    return send(res, 404, { code: 'NOT_FOUND', message: url });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => send(res, 500, { code: 'SYSTEM_ERROR', message: String(e) }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    coupons,
    stocks,
    requests,
    get rejectedSignatures() {
      return rejected;
    },
    failNext(status, times = 1) {
      failures = { status, times };
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** A COUPON.USE notice body as WeChat Pay sends it, the coupon resource encrypted with the APIv3 key. */
export function couponUseNotice(
  apiV3Key: string,
  input: { id: string; couponId: string; stockId: string; transactionId?: string; consumeTime?: string },
): string {
  const plain = JSON.stringify({
    stock_creator_mchid: '1900000001',
    stock_id: input.stockId,
    coupon_id: input.couponId,
    coupon_name: '测试券',
    status: 'USED',
    consume_information: {
      consume_time: input.consumeTime ?? '2026-11-23T10:00:00+08:00',
      consume_mchid: '1900000001',
      transaction_id: input.transactionId ?? '4200000000202611230000000001',
    },
  });
  const nonce = randomBytes(6).toString('hex'); // 12 characters, as WeChat's nonces
  const associatedData = 'coupon';
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString(
    'base64',
  );
  return JSON.stringify({
    id: input.id,
    create_time: '2026-11-23T10:00:05+08:00',
    resource_type: 'encrypt-resource',
    event_type: 'COUPON.USE',
    summary: '代金券核销通知',
    resource: {
      original_type: 'coupon',
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext,
      associated_data: associatedData,
      nonce,
    },
  });
}
