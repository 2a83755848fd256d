// Provider callbacks mounted under /webhooks/sms: delivery receipts (applied once, however often
// the provider retries), upstream replies (R/T/TD opt the number out) and tracked-link clicks.
// Receipts and replies need the deployment's callback token in the URL (see callback-token.ts).
import {
  type JourneyEventInput,
  safeHttpUrl,
  type WebhookRequest,
  type WebhookResult,
  type WebhookRoute,
} from '@siyu/shared';
import { z } from 'zod';
import { isOptOutReply, normalizeMainlandPhone } from '../index.ts';
import { CALLBACK_TOKEN_PARAM, callbackTokenMatches } from './callback-token.ts';
import type { SmsServerDeps } from './deps.ts';

const json = (status: number, body: unknown): WebhookResult['response'] => ({
  status,
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify(body),
});
const ALIYUN_OK = json(200, { code: 0, msg: '接收成功' });
const TENCENT_OK = json(200, { result: 0, errmsg: 'OK' });
const BAD_TOKEN = '回调地址缺少或带错了 token / callback URL lacks the right token';
const ALIYUN_BAD_TOKEN = json(401, { code: 1, msg: BAD_TOKEN });
const TENCENT_BAD_TOKEN = json(401, { result: 1, errmsg: BAD_TOKEN });
const LINK_GONE = {
  status: 404,
  contentType: 'text/plain; charset=utf-8',
  body: '链接不存在 / link not found',
};

function parseBody<T>(schema: z.ZodType<T>, req: WebhookRequest): { ok: true; data: T } | { ok: false; error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(req.body);
  } catch {
    return { ok: false, error: 'body is not JSON' };
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') };
}

/** Provider time strings ("2026-11-23 10:00:00", China time) → Date; unparseable → now. */
function chinaTime(value: string | number | undefined, now: number): Date {
  if (typeof value === 'number') return new Date(value < 1e12 ? value * 1000 : value);
  if (value && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)) return new Date(`${value.replace(' ', 'T')}+08:00`);
  return new Date(now);
}

const AliyunReceipts = z.array(
  z.looseObject({
    phone_number: z.string(),
    success: z.union([z.boolean(), z.string()]),
    biz_id: z.string().min(1),
    out_id: z.string().optional(),
    report_time: z.string().optional(),
    err_code: z.string().optional(),
    err_msg: z.string().optional(),
  }),
);
const AliyunReplies = z.array(
  z.looseObject({
    phone_number: z.string(),
    content: z.string(),
    send_time: z.string().optional(),
    sequence_id: z.union([z.string(), z.number()]),
  }),
);
const TencentReceipts = z.array(
  z.looseObject({
    mobile: z.string(),
    report_status: z.enum(['SUCCESS', 'FAIL']),
    sid: z.string().min(1),
    user_receive_time: z.string().optional(),
    errmsg: z.string().optional(),
    description: z.string().optional(),
  }),
);
const TencentReply = z.looseObject({
  mobile: z.string(),
  text: z.string(),
  time: z.union([z.number(), z.string()]).optional(),
  sign: z.string().optional(),
  extend: z.string().optional(),
});

export function smsWebhooks(deps: SmsServerDeps): WebhookRoute[] {
  const now = deps.now ?? Date.now;

  async function receipt(
    provider: string,
    id: string,
    delivered: boolean,
    at: Date,
    error: string | undefined,
    outId?: string,
  ): Promise<JourneyEventInput[]> {
    const r = await deps.applyReceipt(provider, id, { delivered, at: at.getTime(), error, outId });
    if (!r.applied || !r.customerId) return [];
    return [
      {
        id: `sms.${delivered ? 'delivered' : 'failed'}:${provider}:${id}`,
        type: delivered ? 'sms.delivered' : 'sms.failed',
        customerId: r.customerId,
        occurredAt: at,
        data: { provider, providerMessageId: id, messageKey: r.idempotencyKey, error },
      },
    ];
  }

  async function reply(
    provider: string,
    rawPhone: string,
    text: string,
    at: Date,
    id: string,
  ): Promise<JourneyEventInput[]> {
    const phone = normalizeMainlandPhone(rawPhone);
    if (!phone.ok) return [];
    if (isOptOutReply(text)) {
      await deps.optOut(phone.e164, `replied ${text.trim().toUpperCase()}`);
      return [
        {
          id: `sms.optedOut:${provider}:${id}`,
          type: 'sms.optedOut',
          identities: { phone: phone.e164 },
          occurredAt: at,
          data: { provider, text },
        },
      ];
    }
    return [
      {
        id: `sms.replied:${provider}:${id}`,
        type: 'sms.replied',
        identities: { phone: phone.e164 },
        occurredAt: at,
        data: { provider, text },
      },
    ];
  }

  /** Provider callbacks run only when the request carries the deployment's token. */
  const refused = async (req: WebhookRequest) =>
    !callbackTokenMatches(req.query[CALLBACK_TOKEN_PARAM], await deps.callbackToken());

  return [
    {
      method: 'POST',
      path: '/aliyun/receipts',
      async handle(req) {
        if (await refused(req)) return { response: ALIYUN_BAD_TOKEN, events: [] };
        const body = parseBody(AliyunReceipts, req);
        if (!body.ok) return { response: json(400, { code: 1, msg: body.error }), events: [] };
        const events: JourneyEventInput[] = [];
        for (const r of body.data) {
          const delivered = r.success === true || r.success === 'true';
          const error = delivered ? undefined : [r.err_code, r.err_msg].filter(Boolean).join(' ') || undefined;
          events.push(
            ...(await receipt('aliyun', r.biz_id, delivered, chinaTime(r.report_time, now()), error, r.out_id)),
          );
        }
        return { response: ALIYUN_OK, events };
      },
    },
    {
      method: 'POST',
      path: '/aliyun/replies',
      async handle(req) {
        if (await refused(req)) return { response: ALIYUN_BAD_TOKEN, events: [] };
        const body = parseBody(AliyunReplies, req);
        if (!body.ok) return { response: json(400, { code: 1, msg: body.error }), events: [] };
        const events: JourneyEventInput[] = [];
        for (const r of body.data) {
          events.push(
            ...(await reply('aliyun', r.phone_number, r.content, chinaTime(r.send_time, now()), String(r.sequence_id))),
          );
        }
        return { response: ALIYUN_OK, events };
      },
    },
    {
      method: 'POST',
      path: '/tencent/receipts',
      async handle(req) {
        if (await refused(req)) return { response: TENCENT_BAD_TOKEN, events: [] };
        const body = parseBody(TencentReceipts, req);
        if (!body.ok) return { response: json(400, { result: 1, errmsg: body.error }), events: [] };
        const events: JourneyEventInput[] = [];
        for (const r of body.data) {
          const delivered = r.report_status === 'SUCCESS';
          const error = delivered ? undefined : [r.errmsg, r.description].filter(Boolean).join(' ') || undefined;
          events.push(...(await receipt('tencent', r.sid, delivered, chinaTime(r.user_receive_time, now()), error)));
        }
        return { response: TENCENT_OK, events };
      },
    },
    {
      method: 'POST',
      path: '/tencent/replies',
      async handle(req) {
        if (await refused(req)) return { response: TENCENT_BAD_TOKEN, events: [] };
        const body = parseBody(TencentReply, req);
        if (!body.ok) return { response: json(400, { result: 1, errmsg: body.error }), events: [] };
        const r = body.data;
        const at = chinaTime(r.time, now());
        // Tencent sends no message id for replies: number + time + text identify a retry.
        const id = `${r.mobile}:${r.time ?? ''}:${r.text}`;
        return { response: TENCENT_OK, events: await reply('tencent', r.mobile, r.text, at, id) };
      },
    },
    {
      method: 'GET',
      path: '/link',
      async handle(req) {
        const code = req.query.c ?? '';
        const link = /^[A-Za-z0-9_-]{4,32}$/.test(code) ? await deps.findTrackedLink(code) : undefined;
        // Checked again here, not only when the journey was saved: a link stored before URLs were
        // restricted to http(s) must never send a customer (or an admin) to javascript:/data:.
        const target = link && safeHttpUrl(link.url);
        if (!link || !target) return { response: LINK_GONE, events: [] };
        const at = new Date(now());
        return {
          // A plain 302: nothing of the operator's URL is written into a page or a script.
          response: {
            status: 302,
            contentType: 'text/plain; charset=utf-8',
            // URL#href: non-ASCII percent-encoded, as a header must be.
            headers: { location: new URL(target).href, 'cache-control': 'no-store' },
            body: '',
          },
          events: [
            {
              id: `link.clicked:${code}:${at.getTime()}`,
              type: 'link.clicked',
              customerId: link.customerId,
              occurredAt: at,
              data: { code, url: link.url, channel: 'sms' },
            },
          ],
        };
      },
    },
  ];
}
