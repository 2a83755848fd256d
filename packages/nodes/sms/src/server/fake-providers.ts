// Local fake Aliyun dysmsapi and Tencent Cloud SMS servers for tests. They recompute the request
// signature from what arrives on the wire (as the real services do), answer the documented
// response shapes, and turn special numbers into the documented error codes:
//   …0001 → number illegal (permanent)   …0002 → business limit / rate limit (retryable)   …0005 → HTTP 503
// Like the real services they do NOT de-duplicate: every accepted request is a message (`sent`),
// which is what lets tests count duplicates. They answer the lookups the runtime uses after a
// crash: Aliyun QuerySendDetails (a number's sends of one day, with OutId) and Tencent
// PullSmsSendStatusByPhoneNumber (a number's delivery statuses, with SessionContext).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { acs3Authorization, sha256Hex, tc3Authorization } from './signing.ts';

export interface FakeSms {
  url: string;
  /** Accepted messages, in order; a repeated OutId is a second message (no de-duplication). */
  sent: Array<{
    phone: string;
    signName: string;
    templateCode: string;
    params: unknown;
    outId: string;
    id: string;
    /** Epoch ms when accepted. */
    at: number;
  }>;
  /** Every request received, by action (SendSms, QuerySendDetails, …), signed correctly or not. */
  requests: Record<string, number>;
  /** Requests rejected for a bad signature. */
  badSignatures: number;
  /**
   * The next N accepted sends are recorded but their connection is dropped before the answer:
   * the provider got the message and the caller never hears so (a timeout, a crash).
   */
  loseAnswers: number;
  close(): Promise<void>;
}

export interface FakeSmsOptions {
  /** How long an accepted send takes to show in the lookup (Aliyun records, Tencent reports). Default 0. */
  lookupLagMs?: number;
}

type Reply = { status: number; body: unknown } | 'hangUp';

async function listen(handler: (req: IncomingMessage, body: string) => Reply) {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const out = handler(req, Buffer.concat(chunks).toString('utf8'));
      if (out === 'hangUp') {
        req.socket.destroy();
        return;
      }
      res.writeHead(out.status, { 'content-type': 'application/json;charset=utf-8' });
      res.end(JSON.stringify(out.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

const headerMap = (req: IncomingMessage): Record<string, string> =>
  Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));

/** "yyyyMMdd" and "yyyy-MM-dd HH:mm:ss" in China time, as QuerySendDetails uses them. */
const chinaTime = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
const chinaDay = (ms: number) => chinaTime(ms).slice(0, 10).replaceAll('-', '');

export async function startFakeAliyun(
  credentials: { accessKeyId: string; accessKeySecret: string },
  options: FakeSmsOptions = {},
): Promise<FakeSms> {
  let counter = 0;
  const state = {
    sent: [] as FakeSms['sent'],
    badSignatures: 0,
    requests: {} as Record<string, number>,
    loseAnswers: 0,
  };
  const requestId = () => `FAKE-REQ-${++counter}`;
  const server = await listen((req, body) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const headers = headerMap(req);
    const action = headers['x-acs-action'] ?? '';
    state.requests[action] = (state.requests[action] ?? 0) + 1;
    const auth = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(
      headers.authorization ?? '',
    );
    const signedNames = auth?.[2]?.split(';') ?? [];
    const query = Object.fromEntries(url.searchParams);
    const expected =
      auth && auth[1] === credentials.accessKeyId && signedNames.includes('host') && signedNames.includes('x-acs-date')
        ? acs3Authorization({
            method: req.method ?? 'POST',
            path: url.pathname,
            query,
            headers: Object.fromEntries(signedNames.map((h) => [h, headers[h] ?? ''])),
            body,
            ...credentials,
          })
        : undefined;
    if (!expected || expected !== headers.authorization || headers['x-acs-content-sha256'] !== sha256Hex(body)) {
      state.badSignatures++;
      return {
        status: 400,
        body: {
          Code: 'SignatureDoesNotMatch',
          Message: 'Specified signature is not matched with our calculation.',
          RequestId: requestId(),
        },
      };
    }
    if (action === 'QuerySendDetails' && headers['x-acs-version'] === '2017-05-25') {
      // [help.aliyun.com QuerySendDetails] PhoneNumber + SendDate (yyyyMMdd) required; PageSize ≤ 50.
      const phone = query.PhoneNumber ?? '';
      const pageSize = Number(query.PageSize);
      const page = Number(query.CurrentPage);
      if (
        !/^1\d{10}$/.test(phone) ||
        !/^\d{8}$/.test(query.SendDate ?? '') ||
        !(pageSize >= 1 && pageSize <= 50) ||
        !(page >= 1)
      ) {
        return { status: 400, body: { Code: 'isv.INVALID_PARAMETERS', Message: '参数异常', RequestId: requestId() } };
      }
      const visibleBefore = Date.now() - (options.lookupLagMs ?? 0);
      const matching = state.sent.filter(
        (m) => m.phone === phone && chinaDay(m.at) === query.SendDate && m.at <= visibleBefore,
      );
      const pageItems = matching.slice((page - 1) * pageSize, page * pageSize);
      return {
        status: 200,
        body: {
          Code: 'OK',
          Message: 'OK',
          RequestId: requestId(),
          TotalCount: matching.length,
          SmsSendDetailDTOs: {
            SmsSendDetailDTO: pageItems.map((m) => ({
              PhoneNum: m.phone,
              SendStatus: 3,
              ErrCode: 'DELIVERED',
              TemplateCode: m.templateCode,
              Content: `【${m.signName}】`,
              SendDate: chinaTime(m.at),
              ReceiveDate: chinaTime(m.at),
              OutId: m.outId,
            })),
          },
        },
      };
    }
    if (action !== 'SendSms' || headers['x-acs-version'] !== '2017-05-25') {
      return {
        status: 400,
        body: { Code: 'InvalidAction.NotFound', Message: 'unknown action', RequestId: requestId() },
      };
    }
    const phone = query.PhoneNumbers ?? '';
    if (!/^1\d{10}$/.test(phone) || phone.endsWith('0001')) {
      return {
        status: 200,
        body: { Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: '非法手机号', RequestId: requestId() },
      };
    }
    if (phone.endsWith('0002')) {
      return {
        status: 200,
        body: { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发号码天级流控Permits:40', RequestId: requestId() },
      };
    }
    if (phone.endsWith('0005'))
      return { status: 503, body: { Code: 'ServiceUnavailable', Message: 'busy', RequestId: requestId() } };
    let params: unknown;
    try {
      params = JSON.parse(query.TemplateParam ?? '{}');
    } catch {
      return {
        status: 200,
        body: { Code: 'isv.INVALID_JSON_PARAM', Message: 'JSON参数不合法', RequestId: requestId() },
      };
    }
    const id = `${900000 + counter}^0`;
    state.sent.push({
      phone,
      signName: query.SignName ?? '',
      templateCode: query.TemplateCode ?? '',
      params,
      outId: query.OutId ?? '',
      id,
      at: Date.now(),
    });
    if (state.loseAnswers > 0) {
      state.loseAnswers--;
      return 'hangUp';
    }
    return { status: 200, body: { Code: 'OK', Message: 'OK', BizId: id, RequestId: requestId() } };
  });
  return fakeHandle(server, state);
}

export async function startFakeTencent(
  credentials: { secretId: string; secretKey: string; smsSdkAppId: string },
  options: FakeSmsOptions = {},
): Promise<FakeSms> {
  let counter = 0;
  const state = {
    sent: [] as FakeSms['sent'],
    badSignatures: 0,
    requests: {} as Record<string, number>,
    loseAnswers: 0,
  };
  const server = await listen((req, body) => {
    const headers = headerMap(req);
    const action = headers['x-tc-action'] ?? '';
    state.requests[action] = (state.requests[action] ?? 0) + 1;
    const requestId = `fake-${++counter}`;
    const timestamp = Number(headers['x-tc-timestamp']);
    const expected = Number.isFinite(timestamp)
      ? tc3Authorization({
          host: headers.host ?? '',
          contentType: headers['content-type'] ?? '',
          body,
          timestamp,
          service: 'sms',
          secretId: credentials.secretId,
          secretKey: credentials.secretKey,
        })
      : undefined;
    const error = (Code: string, Message: string) => ({
      status: 200,
      body: { Response: { Error: { Code, Message }, RequestId: requestId } },
    });
    if (!expected || expected !== headers.authorization) {
      state.badSignatures++;
      return error('AuthFailure.SignatureFailure', 'The provided credentials could not be validated.');
    }
    if (action === 'PullSmsSendStatusByPhoneNumber' && headers['x-tc-version'] === '2021-01-11') {
      // [cloud.tencent.com/document/api/382/55973] BeginTime/EndTime (unix s), Offset, Limit ≤ 100, PhoneNumber.
      const q = JSON.parse(body) as Record<string, unknown>;
      if (q.SmsSdkAppId !== credentials.smsSdkAppId)
        return error('FailedOperation.SmsSdkAppIdVerifyFail', 'SdkAppId mismatch');
      const limit = Number(q.Limit);
      const offset = Number(q.Offset);
      const begin = Number(q.BeginTime);
      const end = q.EndTime === undefined ? Number.POSITIVE_INFINITY : Number(q.EndTime);
      if (
        typeof q.PhoneNumber !== 'string' ||
        !(limit >= 1 && limit <= 100) ||
        !(offset >= 0) ||
        !Number.isFinite(begin)
      ) {
        return error('InvalidParameter', 'PhoneNumber, BeginTime, Offset and Limit (1-100) are required');
      }
      const reportedBefore = Date.now() - (options.lookupLagMs ?? 0);
      const set = state.sent
        .filter((m) => m.phone === q.PhoneNumber && m.at <= reportedBefore)
        .filter((m) => Math.floor(m.at / 1000) >= begin && Math.floor(m.at / 1000) <= end)
        .slice(offset, offset + limit)
        .map((m) => ({
          UserReceiveTime: chinaTime(m.at),
          CountryCode: '86',
          SubscriberNumber: m.phone.replace(/^\+86/, ''),
          PhoneNumber: m.phone,
          SerialNo: m.id,
          ReportStatus: 'SUCCESS',
          Description: 'DELIVRD',
          SessionContext: m.outId,
        }));
      return { status: 200, body: { Response: { PullSmsSendStatusSet: set, RequestId: requestId } } };
    }
    if (action !== 'SendSms' || headers['x-tc-version'] !== '2021-01-11') {
      return error('InvalidAction', 'unknown action or version');
    }
    const req2 = JSON.parse(body) as {
      PhoneNumberSet: string[];
      SmsSdkAppId: string;
      TemplateId: string;
      SignName: string;
      TemplateParamSet?: string[];
      SessionContext?: string;
    };
    if (req2.SmsSdkAppId !== credentials.smsSdkAppId)
      return error('FailedOperation.SmsSdkAppIdVerifyFail', 'SdkAppId mismatch');
    const phone = req2.PhoneNumberSet[0] ?? '';
    if (phone.endsWith('0005')) return { status: 503, body: { message: 'Service Unavailable' } };
    const status = (Code: string, Message: string, SerialNo = '') => ({
      status: 200,
      body: {
        Response: {
          SendStatusSet: [
            {
              SerialNo,
              PhoneNumber: phone,
              Fee: Code === 'Ok' ? 1 : 0,
              SessionContext: req2.SessionContext ?? '',
              Code,
              Message,
              IsoCode: 'CN',
            },
          ],
          RequestId: requestId,
        },
      },
    });
    if (!/^\+861\d{10}$/.test(phone) || phone.endsWith('0001')) {
      return status('InvalidParameterValue.IncorrectPhoneNumber', 'incorrect number format');
    }
    if (phone.endsWith('0002'))
      return status('LimitExceeded.PhoneNumberThirtySecondLimit', 'the number exceeded the 30-second limit');
    const id = `2433:${100000 + counter}`;
    state.sent.push({
      phone,
      signName: req2.SignName,
      templateCode: req2.TemplateId,
      params: req2.TemplateParamSet,
      outId: req2.SessionContext ?? '',
      id,
      at: Date.now(),
    });
    if (state.loseAnswers > 0) {
      state.loseAnswers--;
      return 'hangUp';
    }
    return status('Ok', 'send success', id);
  });
  return fakeHandle(server, state);
}

function fakeHandle(
  server: { url: string; close(): Promise<void> },
  state: { sent: FakeSms['sent']; badSignatures: number; requests: Record<string, number>; loseAnswers: number },
): FakeSms {
  return {
    url: server.url,
    sent: state.sent,
    requests: state.requests,
    get badSignatures() {
      return state.badSignatures;
    },
    get loseAnswers() {
      return state.loseAnswers;
    },
    set loseAnswers(n: number) {
      state.loseAnswers = n;
    },
    close: server.close,
  };
}
