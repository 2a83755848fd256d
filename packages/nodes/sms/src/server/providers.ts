// SMS providers behind one interface: the sandbox (default; sends nothing, the executor's Message
// row is the record), Aliyun dysmsapi SendSms and Tencent Cloud SendSms over signed HTTP.
import { randomUUID } from 'node:crypto';
import { PermanentError, RetryableError } from '@siyu/shared';
import { z } from 'zod';
import { acs3Authorization, sha256Hex, tc3Authorization } from './signing.ts';

export interface SmsSendRequest {
  /** E.164, e.g. "+8613800138000". */
  phone: string;
  signName: string;
  templateCode: string;
  /** Template parameters in template order (Tencent uses the values in this order). */
  params: Record<string, string>;
  /** Our idempotency key, passed as Aliyun OutId / Tencent SessionContext and echoed in receipts. */
  outId: string;
}

export interface SmsLookupRequest {
  /** E.164. */
  phone: string;
  /** The idempotency key the send carried (Aliyun OutId / Tencent SessionContext). */
  outId: string;
  /** Epoch ms when the send was claimed (just before the provider call). */
  claimedAt: number;
  /** Epoch ms now. */
  now: number;
}

/**
 * What the provider knows about an earlier send whose answer we never recorded:
 * `sent` — it has the message (do not send again); `absent` — it says authoritatively that it
 * never got it (sending now is safe); `unknown` — it cannot tell (yet: `recheckAfterMs`).
 */
export type SmsLookup =
  | { status: 'sent'; providerMessageId?: string }
  | { status: 'absent' }
  | { status: 'unknown'; reason: string; recheckAfterMs?: number };

export interface SmsProvider {
  name: string;
  /** Resolves with the provider's id for the message (BizId / SerialNo); throws Retryable/Permanent. */
  send(request: SmsSendRequest, signal?: AbortSignal): Promise<{ providerMessageId: string }>;
  /**
   * Asks the provider whether an earlier send reached it (after a crash or a lost answer). Throws
   * when the provider could not be asked (network, 5xx). Without it every such send is "unknown".
   */
  lookup?(request: SmsLookupRequest, signal?: AbortSignal): Promise<SmsLookup>;
}

/**
 * A rejection the provider answered explicitly: the message was certainly not sent, so a later
 * attempt may send it. Network failures are not wrapped: whether those sent is unknown.
 */
export class SmsRejected extends Error {
  constructor(readonly error: RetryableError | PermanentError) {
    super(error.message, { cause: error });
    this.name = 'SmsRejected';
  }
}

export function sandboxProvider(): SmsProvider {
  return {
    name: 'sandbox',
    send: async (r) => ({ providerMessageId: `sandbox-${r.outId}` }),
    // The sandbox's own record is the Message row: a send reaches no one, and a row still "sending"
    // was never recorded as sent, so sending it now is the first and only send.
    lookup: async () => ({ status: 'absent' }),
  };
}

const national = (e164: string) => e164.replace(/^\+86/, '');

// ---------------------------------------------------------------------------------------------
// Aliyun

export interface AliyunSmsConfig {
  accessKeyId: string;
  accessKeySecret: string;
  /** Default https://dysmsapi.aliyuncs.com; tests point it at the fake. */
  endpoint?: string;
  /** How long after a send QuerySendDetails is trusted to list it (default ALIYUN_QUERY_SETTLE_MS). */
  querySettleMs?: number;
}

/** Aliyun codes that another try can fix (rate limits, flow control, service trouble). */
const ALIYUN_RETRYABLE = /^(isv\.BUSINESS_LIMIT_CONTROL|Throttling.*|ServiceUnavailable|InternalError|isp\..*)$/;

const AliyunResponse = z.looseObject({
  Code: z.string(),
  Message: z.string().optional(),
  BizId: z.string().optional(),
  RequestId: z.string().optional(),
});

/**
 * How long after a send Aliyun's QuerySendDetails is trusted to list it. UNCONFIRMED: Aliyun
 * documents no figure for the lag between SendSms and the record appearing; 5 minutes is an
 * assumption on the safe side (before it, "not listed" only means "ask again later").
 */
export const ALIYUN_QUERY_SETTLE_MS = 5 * 60_000;

const AliyunDetails = z.looseObject({
  Code: z.string(),
  Message: z.string().optional(),
  TotalCount: z.coerce.number().optional(),
  SmsSendDetailDTOs: z
    .looseObject({
      SmsSendDetailDTO: z.array(z.looseObject({ PhoneNum: z.string().optional(), OutId: z.string().optional() })),
    })
    .optional(),
});

/** yyyyMMdd in China time: QuerySendDetails' SendDate. */
function chinaDate(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
}

export function aliyunProvider(config: AliyunSmsConfig, fetchImpl: typeof fetch = fetch): SmsProvider {
  const endpoint = new URL(config.endpoint ?? 'https://dysmsapi.aliyuncs.com');
  const settleMs = config.querySettleMs ?? ALIYUN_QUERY_SETTLE_MS;
  /** One signed RPC call (V3 signature, parameters in the query string). */
  async function call(action: string, query: Record<string, string>, signal?: AbortSignal) {
    const body = '';
    const headers: Record<string, string> = {
      host: endpoint.host,
      'x-acs-action': action,
      'x-acs-version': '2017-05-25',
      'x-acs-date': new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      'x-acs-signature-nonce': randomUUID(),
      'x-acs-content-sha256': sha256Hex(body),
    };
    headers.authorization = acs3Authorization({
      method: 'POST',
      path: '/',
      query,
      headers,
      body,
      accessKeyId: config.accessKeyId,
      accessKeySecret: config.accessKeySecret,
    });
    const url = new URL('/', endpoint);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const res = await fetchImpl(url, { method: 'POST', headers, body, signal });
    return { status: res.status, text: await res.text() };
  }
  return {
    name: 'aliyun',
    async send(r, signal) {
      const res = await call(
        'SendSms',
        {
          PhoneNumbers: national(r.phone),
          SignName: r.signName,
          TemplateCode: r.templateCode,
          TemplateParam: JSON.stringify(r.params),
          OutId: r.outId,
        },
        signal,
      );
      const text = res.text;
      if (res.status >= 500) throw new SmsRejected(new RetryableError(`Aliyun SendSms HTTP ${res.status}: ${text}`));
      const parsed = AliyunResponse.safeParse(safeJson(text));
      if (!parsed.success) {
        throw new SmsRejected(new RetryableError(`Aliyun SendSms: unexpected response (HTTP ${res.status}): ${text}`));
      }
      const { Code, Message, BizId } = parsed.data;
      if (Code === 'OK' && BizId) return { providerMessageId: BizId };
      const message = `Aliyun SendSms ${Code}: ${Message ?? ''}`;
      throw new SmsRejected(
        ALIYUN_RETRYABLE.test(Code) ? new RetryableError(message) : new PermanentError(message, { code: Code }),
      );
    },
    // QuerySendDetails lists a number's sends of one day (China time) with the OutId each carried.
    // Its records carry no BizId, so a send found here is marked sent without the provider's id.
    async lookup(r, signal) {
      // The send happened within seconds of the claim; near midnight it may be dated the next day.
      const dates = [...new Set([chinaDate(r.claimedAt), chinaDate(r.claimedAt + 60_000)])];
      for (const SendDate of dates) {
        for (let page = 1; page <= 20; page++) {
          const res = await call(
            'QuerySendDetails',
            { PhoneNumber: national(r.phone), SendDate, PageSize: '50', CurrentPage: String(page) },
            signal,
          );
          const parsed = AliyunDetails.safeParse(safeJson(res.text));
          if (res.status >= 500 || !parsed.success || parsed.data.Code !== 'OK') {
            throw new Error(`Aliyun QuerySendDetails HTTP ${res.status}: ${res.text.slice(0, 300)}`);
          }
          const details = parsed.data.SmsSendDetailDTOs?.SmsSendDetailDTO ?? [];
          if (details.some((d) => d.OutId === r.outId)) return { status: 'sent' };
          if (details.length < 50 || page * 50 >= (parsed.data.TotalCount ?? 0)) break;
        }
      }
      const age = r.now - r.claimedAt;
      if (age < settleMs) {
        return { status: 'unknown', reason: 'Aliyun QuerySendDetails: not listed yet', recheckAfterMs: settleMs - age };
      }
      return { status: 'absent' };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Tencent Cloud

export interface TencentSmsConfig {
  secretId: string;
  secretKey: string;
  smsSdkAppId: string;
  region?: string;
  /** Default https://sms.tencentcloudapi.com; tests point it at the fake. */
  endpoint?: string;
  /** How long the status pull is given to list a send (default TENCENT_STATUS_SETTLE_MS). */
  statusSettleMs?: number;
}

const TENCENT_RETRYABLE =
  /^(InternalError.*|RequestLimitExceeded.*|LimitExceeded\.(PhoneNumberThirtySecondLimit|PhoneNumberOneHourLimit)|ResourceUnavailable.*)$/;

const TencentResponse = z.object({
  Response: z.looseObject({
    Error: z.object({ Code: z.string(), Message: z.string() }).optional(),
    SendStatusSet: z
      .array(z.looseObject({ SerialNo: z.string(), PhoneNumber: z.string(), Code: z.string(), Message: z.string() }))
      .optional(),
    RequestId: z.string().optional(),
  }),
});

/**
 * How long Tencent's status pull is given to list a send. UNCONFIRMED: a status exists only once
 * the carrier reported (usually seconds; Tencent documents no bound), so even after this a send
 * that is not listed stays "unknown" for an operator rather than being sent again.
 */
export const TENCENT_STATUS_SETTLE_MS = 10 * 60_000;

const TencentStatusPull = z.object({
  Response: z.looseObject({
    Error: z.object({ Code: z.string(), Message: z.string() }).optional(),
    PullSmsSendStatusSet: z
      .array(z.looseObject({ SerialNo: z.string().optional(), SessionContext: z.string().optional() }))
      .optional(),
  }),
});

export function tencentProvider(config: TencentSmsConfig, fetchImpl: typeof fetch = fetch): SmsProvider {
  const endpoint = new URL(config.endpoint ?? 'https://sms.tencentcloudapi.com');
  const settleMs = config.statusSettleMs ?? TENCENT_STATUS_SETTLE_MS;
  const reject = (code: string, message: string) =>
    new SmsRejected(
      TENCENT_RETRYABLE.test(code)
        ? new RetryableError(`Tencent SendSms ${code}: ${message}`)
        : new PermanentError(`Tencent SendSms ${code}: ${message}`, { code }),
    );
  /** One TC3-signed API call. */
  async function call(action: string, payload: unknown, signal?: AbortSignal) {
    const body = JSON.stringify(payload);
    const contentType = 'application/json; charset=utf-8';
    const timestamp = Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': contentType,
      host: endpoint.host,
      'x-tc-action': action,
      'x-tc-version': '2021-01-11',
      'x-tc-region': config.region ?? 'ap-guangzhou',
      'x-tc-timestamp': String(timestamp),
      authorization: tc3Authorization({
        host: endpoint.host,
        contentType,
        body,
        timestamp,
        service: 'sms',
        secretId: config.secretId,
        secretKey: config.secretKey,
      }),
    };
    const res = await fetchImpl(new URL('/', endpoint), { method: 'POST', headers, body, signal });
    return { status: res.status, text: await res.text() };
  }
  return {
    name: 'tencent',
    async send(r, signal) {
      const res = await call(
        'SendSms',
        {
          PhoneNumberSet: [r.phone],
          SmsSdkAppId: config.smsSdkAppId,
          TemplateId: r.templateCode,
          SignName: r.signName,
          TemplateParamSet: Object.values(r.params),
          SessionContext: r.outId,
        },
        signal,
      );
      const text = res.text;
      if (res.status >= 500) throw new SmsRejected(new RetryableError(`Tencent SendSms HTTP ${res.status}: ${text}`));
      const parsed = TencentResponse.safeParse(safeJson(text));
      if (!parsed.success) {
        throw new SmsRejected(new RetryableError(`Tencent SendSms: unexpected response (HTTP ${res.status}): ${text}`));
      }
      const { Error: error, SendStatusSet } = parsed.data.Response;
      if (error) throw reject(error.Code, error.Message);
      const status = SendStatusSet?.[0];
      if (!status) throw new SmsRejected(new RetryableError('Tencent SendSms: empty SendStatusSet'));
      if (status.Code !== 'Ok') throw reject(status.Code, status.Message);
      return { providerMessageId: status.SerialNo };
    },
    // PullSmsSendStatusByPhoneNumber lists a number's delivery statuses with the SessionContext each
    // send carried. (PullSmsSendStatus is not used: it hands each status out once, taking it from
    // whoever else pulls.) A status appears only after the carrier reported, so "not listed" never
    // proves the send did not happen.
    async lookup(r, signal) {
      const begin = Math.floor(r.claimedAt / 1000) - 60;
      for (let offset = 0; offset < 2000; offset += 100) {
        const res = await call(
          'PullSmsSendStatusByPhoneNumber',
          {
            BeginTime: begin,
            EndTime: Math.floor(r.now / 1000),
            Offset: offset,
            Limit: 100,
            PhoneNumber: r.phone,
            SmsSdkAppId: config.smsSdkAppId,
          },
          signal,
        );
        const parsed = TencentStatusPull.safeParse(safeJson(res.text));
        if (res.status >= 500 || !parsed.success || parsed.data.Response.Error) {
          throw new Error(`Tencent PullSmsSendStatusByPhoneNumber HTTP ${res.status}: ${res.text.slice(0, 300)}`);
        }
        const set = parsed.data.Response.PullSmsSendStatusSet ?? [];
        const found = set.find((x) => x.SessionContext === r.outId);
        if (found) return { status: 'sent', providerMessageId: found.SerialNo };
        if (set.length < 100) break;
      }
      const age = r.now - r.claimedAt;
      if (age < settleMs) {
        return { status: 'unknown', reason: 'Tencent status pull: no status yet', recheckAfterMs: settleMs - age };
      }
      return {
        status: 'unknown',
        reason: 'Tencent status pull: no status for this send (cannot tell whether it was sent)',
      };
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
