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

export interface SmsProvider {
  name: string;
  /** Resolves with the provider's id for the message (BizId / SerialNo); throws Retryable/Permanent. */
  send(request: SmsSendRequest, signal?: AbortSignal): Promise<{ providerMessageId: string }>;
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
  return { name: 'sandbox', send: async (r) => ({ providerMessageId: `sandbox-${r.outId}` }) };
}

const national = (e164: string) => e164.replace(/^\+86/, '');

// ---------------------------------------------------------------------------------------------
// Aliyun

export interface AliyunSmsConfig {
  accessKeyId: string;
  accessKeySecret: string;
  /** Default https://dysmsapi.aliyuncs.com; tests point it at the fake. */
  endpoint?: string;
}

/** Aliyun codes that another try can fix (rate limits, flow control, service trouble). */
const ALIYUN_RETRYABLE = /^(isv\.BUSINESS_LIMIT_CONTROL|Throttling.*|ServiceUnavailable|InternalError|isp\..*)$/;

const AliyunResponse = z.looseObject({
  Code: z.string(),
  Message: z.string().optional(),
  BizId: z.string().optional(),
  RequestId: z.string().optional(),
});

export function aliyunProvider(config: AliyunSmsConfig, fetchImpl: typeof fetch = fetch): SmsProvider {
  const endpoint = new URL(config.endpoint ?? 'https://dysmsapi.aliyuncs.com');
  return {
    name: 'aliyun',
    async send(r, signal) {
      const query: Record<string, string> = {
        PhoneNumbers: national(r.phone),
        SignName: r.signName,
        TemplateCode: r.templateCode,
        TemplateParam: JSON.stringify(r.params),
        OutId: r.outId,
      };
      const body = '';
      const headers: Record<string, string> = {
        host: endpoint.host,
        'x-acs-action': 'SendSms',
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
      const text = await res.text();
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

export function tencentProvider(config: TencentSmsConfig, fetchImpl: typeof fetch = fetch): SmsProvider {
  const endpoint = new URL(config.endpoint ?? 'https://sms.tencentcloudapi.com');
  const reject = (code: string, message: string) =>
    new SmsRejected(
      TENCENT_RETRYABLE.test(code)
        ? new RetryableError(`Tencent SendSms ${code}: ${message}`)
        : new PermanentError(`Tencent SendSms ${code}: ${message}`, { code }),
    );
  return {
    name: 'tencent',
    async send(r, signal) {
      const body = JSON.stringify({
        PhoneNumberSet: [r.phone],
        SmsSdkAppId: config.smsSdkAppId,
        TemplateId: r.templateCode,
        SignName: r.signName,
        TemplateParamSet: Object.values(r.params),
        SessionContext: r.outId,
      });
      const contentType = 'application/json; charset=utf-8';
      const timestamp = Math.floor(Date.now() / 1000);
      const headers: Record<string, string> = {
        'content-type': contentType,
        host: endpoint.host,
        'x-tc-action': 'SendSms',
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
      const text = await res.text();
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
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
