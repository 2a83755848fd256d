import { PermanentError, RetryableError } from '@siyu/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSms, startFakeAliyun, startFakeTencent } from './fake-providers.ts';
import { aliyunProvider, SmsRejected, type SmsSendRequest, tencentProvider } from './providers.ts';

const aliyunCreds = { accessKeyId: 'LTAI-test', accessKeySecret: 'secret-aliyun' };
const tencentCreds = { secretId: 'AKID-test', secretKey: 'secret-tencent', smsSdkAppId: '1400000001' };
let aliyun: FakeSms;
let tencent: FakeSms;
beforeAll(async () => {
  aliyun = await startFakeAliyun(aliyunCreds);
  tencent = await startFakeTencent(tencentCreds);
});
afterAll(async () => {
  await aliyun.close();
  await tencent.close();
});

const request = (phone: string, outId = `k-${phone}`): SmsSendRequest => ({
  phone,
  signName: '品牌',
  templateCode: 'SMS_123',
  params: { name: '王 小明', code: '8*8' },
  outId,
});

async function rejection(p: Promise<unknown>): Promise<RetryableError | PermanentError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SmsRejected);
  return (error as SmsRejected).error;
}

describe('Aliyun provider against the fake (ACS3-HMAC-SHA256)', () => {
  it('sends with a signature the fake accepts and returns the BizId', async () => {
    const p = aliyunProvider({ ...aliyunCreds, endpoint: aliyun.url });
    const r = await p.send(request('+8613800138000'));
    expect(r.providerMessageId).toMatch(/\^0$/);
    expect(aliyun.sent.at(-1)).toMatchObject({
      phone: '13800138000',
      signName: '品牌',
      templateCode: 'SMS_123',
      params: { name: '王 小明', code: '8*8' },
      outId: 'k-+8613800138000',
    });
  });
  it('is rejected by the fake with a wrong secret (permanent)', async () => {
    const before = aliyun.badSignatures;
    const p = aliyunProvider({ ...aliyunCreds, accessKeySecret: 'wrong', endpoint: aliyun.url });
    const e = await rejection(p.send(request('+8613800138000')));
    expect(e).toBeInstanceOf(PermanentError);
    expect((e as PermanentError).code).toBe('SignatureDoesNotMatch');
    expect(aliyun.badSignatures).toBe(before + 1);
  });
  it('maps isv.MOBILE_NUMBER_ILLEGAL to permanent, BUSINESS_LIMIT_CONTROL and 5xx to retryable', async () => {
    const p = aliyunProvider({ ...aliyunCreds, endpoint: aliyun.url });
    const illegal = await rejection(p.send(request('+8613800000001')));
    expect(illegal).toBeInstanceOf(PermanentError);
    expect((illegal as PermanentError).code).toBe('isv.MOBILE_NUMBER_ILLEGAL');
    expect(await rejection(p.send(request('+8613800000002')))).toBeInstanceOf(RetryableError);
    expect(await rejection(p.send(request('+8613800000005')))).toBeInstanceOf(RetryableError);
  });
  it('leaves network failures unwrapped (outcome unknown)', async () => {
    const p = aliyunProvider({ ...aliyunCreds, endpoint: 'http://127.0.0.1:1' });
    await expect(p.send(request('+8613800138000'))).rejects.not.toBeInstanceOf(SmsRejected);
  });
});

describe('Tencent provider against the fake (TC3-HMAC-SHA256)', () => {
  it('sends with a signature the fake accepts and returns the SerialNo', async () => {
    const p = tencentProvider({ ...tencentCreds, endpoint: tencent.url });
    const r = await p.send(request('+8613800138000', 'key-1'));
    expect(r.providerMessageId).toMatch(/^2433:/);
    expect(tencent.sent.at(-1)).toMatchObject({ phone: '+8613800138000', params: ['王 小明', '8*8'], outId: 'key-1' });
  });
  it('is rejected with AuthFailure.SignatureFailure for a wrong key', async () => {
    const before = tencent.badSignatures;
    const p = tencentProvider({ ...tencentCreds, secretKey: 'wrong', endpoint: tencent.url });
    const e = await rejection(p.send(request('+8613800138000')));
    expect((e as PermanentError).code).toBe('AuthFailure.SignatureFailure');
    expect(tencent.badSignatures).toBe(before + 1);
  });
  it('maps per-number codes: incorrect number permanent, 30-second limit and 5xx retryable', async () => {
    const p = tencentProvider({ ...tencentCreds, endpoint: tencent.url });
    const bad = await rejection(p.send(request('+8613800000001')));
    expect((bad as PermanentError).code).toBe('InvalidParameterValue.IncorrectPhoneNumber');
    expect(await rejection(p.send(request('+8613800000002')))).toBeInstanceOf(RetryableError);
    expect(await rejection(p.send(request('+8613800000005')))).toBeInstanceOf(RetryableError);
  });
});
