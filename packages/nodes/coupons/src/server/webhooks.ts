// WeChat Pay redemption notice (POST /webhooks/coupons/wechatpay/notify). WeChat retries a notice
// up to 9 times, a minute apart, until it gets 200/204; the coupon is marked used once and the
// event id is per coupon, so duplicates (same or new notice id) redeem once.
import {
  type JourneyEventInput,
  SIGNED_TIMESTAMP_WINDOW_SECONDS,
  signedTimestampFresh,
  type WebhookResponse,
  type WebhookRoute,
} from '@siyu/shared';
import { z } from 'zod';
import { COUPON_EVENTS } from '../index.ts';
import type { CouponRecord, CouponsServerDeps } from './deps.ts';
import { decryptResource, verifyRsa } from './signing.ts';

const NotificationSchema = z.object({
  id: z.string().min(1),
  event_type: z.string().min(1),
  resource: z.object({
    algorithm: z.literal('AEAD_AES_256_GCM'),
    ciphertext: z.string().min(1),
    nonce: z.string().min(1),
    associated_data: z.string().optional(),
  }),
});

const CouponResourceSchema = z.object({
  coupon_id: z.string().min(1),
  stock_id: z.string().optional(),
  status: z.string().optional(),
  consume_information: z
    .object({ consume_time: z.string().optional(), transaction_id: z.string().optional() })
    .partial()
    .optional(),
});

/** WeChat Pay's own SDKs refuse a notice whose Wechatpay-Timestamp is more than 5 minutes off. */
export const NOTICE_TIMESTAMP_WINDOW_SECONDS = SIGNED_TIMESTAMP_WINDOW_SECONDS;

const reply = (status: number, code: 'SUCCESS' | 'FAIL', message: string): WebhookResponse => ({
  status,
  contentType: 'application/json',
  body: JSON.stringify({ code, message }),
});

/** The coupon.redeemed event for a used coupon; id per coupon so every duplicate collapses. */
export function redeemedEvent(coupon: CouponRecord): JourneyEventInput {
  return {
    id: `coupon.redeemed:${coupon.id}`,
    type: COUPON_EVENTS.redeemed,
    customerId: coupon.customerId,
    occurredAt: coupon.usedAt ?? new Date(),
    data: { couponId: coupon.id, stockId: coupon.stockId, ...(coupon.orderId ? { orderId: coupon.orderId } : {}) },
  };
}

export function wechatPayNotifyRoute(deps: CouponsServerDeps): WebhookRoute {
  return {
    method: 'POST',
    path: '/wechatpay/notify',
    async handle(request) {
      const settings = deps.wechatpayNotify;
      if (!settings) return { response: reply(404, 'FAIL', 'WeChat Pay is not configured'), events: [] };
      if (settings.platformPublicKey) {
        const h = request.headers;
        const message = `${h['wechatpay-timestamp'] ?? ''}\n${h['wechatpay-nonce'] ?? ''}\n${request.body}\n`;
        if (!h['wechatpay-signature'] || !verifyRsa(message, h['wechatpay-signature'], settings.platformPublicKey)) {
          return { response: reply(401, 'FAIL', 'bad Wechatpay-Signature'), events: [] };
        }
        if (
          !signedTimestampFresh(h['wechatpay-timestamp'], (deps.now ?? Date.now)(), NOTICE_TIMESTAMP_WINDOW_SECONDS)
        ) {
          return {
            response: reply(
              401,
              'FAIL',
              `Wechatpay-Timestamp outside the ±${NOTICE_TIMESTAMP_WINDOW_SECONDS} s window (a replayed notice, or this server's clock is off)`,
            ),
            events: [],
          };
        }
      }
      let json: unknown;
      try {
        json = JSON.parse(request.body);
      } catch {
        return { response: reply(400, 'FAIL', 'body is not JSON'), events: [] };
      }
      const notice = NotificationSchema.safeParse(json);
      if (!notice.success)
        return { response: reply(400, 'FAIL', `bad notification: ${notice.error.issues[0]?.message}`), events: [] };
      // Other notice types are acknowledged so WeChat stops retrying them.
      if (notice.data.event_type !== 'COUPON.USE') return { response: reply(200, 'SUCCESS', '成功'), events: [] };
      let plain: string;
      try {
        plain = decryptResource(notice.data.resource, settings.apiV3Key);
      } catch {
        // A tag mismatch: not encrypted with our APIv3 key (forged or corrupted).
        return { response: reply(401, 'FAIL', 'resource decryption failed'), events: [] };
      }
      const resource = CouponResourceSchema.safeParse(JSON.parse(plain));
      if (!resource.success) return { response: reply(400, 'FAIL', 'bad coupon resource'), events: [] };
      const coupon = await deps.store.findCoupon({ provider: 'wechatpay', providerCouponId: resource.data.coupon_id });
      // Not ours (another system's coupon on the same merchant): acknowledge, nothing to do.
      if (!coupon) return { response: reply(200, 'SUCCESS', '成功'), events: [] };
      const consumedAt = resource.data.consume_information?.consume_time;
      const used = await deps.store.markCouponUsed({
        couponId: coupon.id,
        orderId: resource.data.consume_information?.transaction_id ?? null,
        usedAt: consumedAt && !Number.isNaN(Date.parse(consumedAt)) ? new Date(consumedAt) : new Date(),
      });
      // Re-emitted on duplicates on purpose: if ingesting failed last time, this retry delivers it;
      // the engine de-duplicates by event id.
      const events = used && used.coupon.status === 'used' ? [redeemedEvent(used.coupon)] : [];
      return { response: reply(200, 'SUCCESS', '成功'), events };
    },
  };
}
