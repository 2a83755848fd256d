// Local fake Aliyun dysmsapi and Tencent Cloud SMS servers for tests. They recompute the request
// signature from what arrives on the wire (as the real services do), answer the documented
// response shapes, and turn special numbers into the documented error codes:
//   …0001 → number illegal (permanent)   …0002 → business limit / rate limit (retryable)   …0005 → HTTP 503
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { acs3Authorization, sha256Hex, tc3Authorization } from './signing.ts';

export interface FakeSms {
  url: string;
  /** Accepted messages, in order. */
  sent: Array<{ phone: string; signName: string; templateCode: string; params: unknown; outId: string; id: string }>;
  /** Requests rejected for a bad signature. */
  badSignatures: number;
  close(): Promise<void>;
}

async function listen(handler: (req: IncomingMessage, body: string) => { status: number; body: unknown }) {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const out = handler(req, Buffer.concat(chunks).toString('utf8'));
      res.writeHead(out.status, { 'content-type': 'application/json;charset=utf-8' });
      res.end(JSON.stringify(out.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

const headerMap = (req: IncomingMessage): Record<string, string> =>
  Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));

export async function startFakeAliyun(credentials: { accessKeyId: string; accessKeySecret: string }): Promise<FakeSms> {
  let counter = 0;
  const state = { sent: [] as FakeSms['sent'], badSignatures: 0 };
  const requestId = () => `FAKE-REQ-${++counter}`;
  const server = await listen((req, body) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const headers = headerMap(req);
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
    if (headers['x-acs-action'] !== 'SendSms' || headers['x-acs-version'] !== '2017-05-25') {
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
    });
    return { status: 200, body: { Code: 'OK', Message: 'OK', BizId: id, RequestId: requestId() } };
  });
  return {
    url: server.url,
    sent: state.sent,
    get badSignatures() {
      return state.badSignatures;
    },
    close: server.close,
  };
}

export async function startFakeTencent(credentials: {
  secretId: string;
  secretKey: string;
  smsSdkAppId: string;
}): Promise<FakeSms> {
  let counter = 0;
  const state = { sent: [] as FakeSms['sent'], badSignatures: 0 };
  const server = await listen((req, body) => {
    const headers = headerMap(req);
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
    if (headers['x-tc-action'] !== 'SendSms' || headers['x-tc-version'] !== '2021-01-11') {
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
    });
    return status('Ok', 'send success', id);
  });
  return {
    url: server.url,
    sent: state.sent,
    get badSignatures() {
      return state.badSignatures;
    },
    close: server.close,
  };
}
