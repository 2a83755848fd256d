// Coupon providers. The sandbox (default) keeps coupons only in our Coupon table; WeChat Pay v3
// merchant coupons (代金券) issue at WeChat with out_request_no = the step's idempotency key (in
// WeChat's charset: out-request-no.ts), so a retried call returns the same coupon_id instead of a
// second coupon.
import { PermanentError, RetryableError } from '@siyu/shared';
import { z } from 'zod';
import type { CouponProvider } from './deps.ts';
import { wechatOutRequestNo } from './out-request-no.ts';
import { authorizationHeader, type MerchantCredentials } from './signing.ts';

export function sandboxCouponProvider(): CouponProvider {
  return {
    name: 'sandbox',
    // Our coupon row is the coupon: its id is the code the shop redeems.
    issue: async ({ coupon }) => ({ providerCouponId: coupon.id }),
    createStock: async () => null,
  };
}

export interface WechatPayConfig extends MerchantCredentials {
  /** The AppID the openids belong to (公众号 / 小程序). */
  appid: string;
  /** Default https://api.mch.weixin.qq.com; tests point it at a local fake. */
  baseUrl?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const ErrorBodySchema = z.object({ code: z.string(), message: z.string().optional() }).partial();

/** WeChat Pay wire time: RFC 3339 with the +08:00 offset. */
function wechatTime(date: Date): string {
  return `${new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
}

export function wechatPayCouponProvider(config: WechatPayConfig): CouponProvider {
  const baseUrl = (config.baseUrl ?? 'https://api.mch.weixin.qq.com').replace(/\/$/, '');
  const doFetch = config.fetch ?? fetch;

  async function call(path: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<unknown> {
    const text = JSON.stringify(body);
    let res: Response;
    try {
      res = await doFetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: {
          authorization: authorizationHeader(config, { method: 'POST', url: path, body: text }),
          'content-type': 'application/json',
          accept: 'application/json',
          'user-agent': 'siyu-journeys',
        },
        body: text,
        signal: AbortSignal.any([AbortSignal.timeout(config.timeoutMs ?? 10_000), ...(signal ? [signal] : [])]),
      });
    } catch (error) {
      throw new RetryableError(`WeChat Pay ${path}: network error`, { cause: error });
    }
    const raw = await res.text();
    let json: unknown = null;
    try {
      json = raw ? JSON.parse(raw) : {};
    } catch {
      json = null;
    }
    if (res.ok) return json;
    const err = ErrorBodySchema.safeParse(json ?? {});
    const code = (err.success && err.data.code) || `HTTP_${res.status}`;
    const message = `WeChat Pay ${path}: ${res.status} ${code} ${(err.success && err.data.message) || ''}`.trim();
    if (res.status >= 500 || res.status === 429 || code === 'SYSTEM_ERROR' || code === 'FREQUENCY_LIMITED') {
      const retryAfter = Number(res.headers.get('retry-after'));
      throw new RetryableError(message, { retryAfterMs: retryAfter > 0 ? retryAfter * 1000 : undefined });
    }
    if (code === 'RULE_LIMIT') throw new PermanentError(message, { code: 'capReached' });
    if (code === 'NOT_ENOUGH' || code === 'STOCK_AMOUNT_NOT_ENOUGH')
      throw new PermanentError(message, { code: 'exhausted' });
    throw new PermanentError(message, { code });
  }

  return {
    name: 'wechatpay',
    async issue({ stock, customer, outRequestNo, signal }) {
      const openid = customer.identities.openid;
      if (!openid) throw new PermanentError('customer has no WeChat openid (identities.openid)', { code: 'noOpenid' });
      if (!stock.providerStockId) {
        throw new PermanentError(`coupon stock ${stock.id} has no WeChat Pay stock_id`, { code: 'noProviderStock' });
      }
      const json = await call(
        `/v3/marketing/favor/users/${encodeURIComponent(openid)}/coupons`,
        {
          stock_id: stock.providerStockId,
          out_request_no: wechatOutRequestNo(outRequestNo),
          appid: config.appid,
          stock_creator_mchid: config.mchid,
        },
        signal,
      );
      const parsed = z.object({ coupon_id: z.string().min(1) }).safeParse(json);
      if (!parsed.success) throw new RetryableError('WeChat Pay issue: response without coupon_id');
      return { providerCouponId: parsed.data.coupon_id };
    },
    async createStock(request) {
      const json = await call('/v3/marketing/favor/coupon-stocks', {
        stock_name: request.name.slice(0, 20),
        belong_merchant: config.mchid,
        available_begin_time: wechatTime(request.validFrom),
        available_end_time: wechatTime(request.validTo),
        stock_use_rule: {
          max_coupons: request.maxCoupons,
          max_amount: request.maxCoupons * request.amountCents,
          max_coupons_per_user: request.maxPerCustomer,
          natural_person_limit: false,
          prevent_api_abuse: false,
        },
        coupon_use_rule: {
          fixed_normal_coupon: { coupon_amount: request.amountCents, transaction_minimum: request.minimumCents },
          available_merchants: [config.mchid],
        },
        no_cash: false,
        stock_type: 'NORMAL',
        out_request_no: wechatOutRequestNo(request.outRequestNo),
      });
      const parsed = z.object({ stock_id: z.string().min(1) }).safeParse(json);
      if (!parsed.success) throw new RetryableError('WeChat Pay create stock: response without stock_id');
      const stockId = parsed.data.stock_id;
      await call(`/v3/marketing/favor/stocks/${encodeURIComponent(stockId)}/start`, {
        stock_creator_mchid: config.mchid,
      });
      return { providerStockId: stockId };
    },
  };
}
