// Cross-checks our signers against the vendors' own SDK code (installed with the SDK packages),
// so "exactly as documented" is tested against the reference implementation, not just ourselves.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { acs3Authorization, tc3Authorization } from './signing.ts';

const require = createRequire(import.meta.url);
// biome-ignore lint/suspicious/noExplicitAny: untyped vendor internals, used only as a reference.
const aliyunUtil: any = createRequire(require.resolve('@alicloud/openapi-client'))('@alicloud/openapi-util').default;
// biome-ignore lint/suspicious/noExplicitAny: untyped vendor internals, used only as a reference.
const TencentSign: any = createRequire(require.resolve('tencentcloud-sdk-nodejs-sms'))(
  'tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js',
).default;

describe('ACS3-HMAC-SHA256 matches @alicloud/openapi-util getAuthorization', () => {
  it('for a SendSms request with Chinese, spaces and reserved characters', () => {
    const query = {
      PhoneNumbers: '13800138000',
      SignName: '品牌 小店',
      TemplateCode: 'SMS_123',
      TemplateParam: JSON.stringify({ name: "王 *'!~()", link: 'https://b.cn/l?c=a&b=1' }),
      OutId: 'inst:node:1',
    };
    const headers = {
      host: 'dysmsapi.aliyuncs.com',
      'x-acs-action': 'SendSms',
      'x-acs-version': '2017-05-25',
      'x-acs-date': '2026-11-23T03:00:00Z',
      'x-acs-signature-nonce': 'nonce-1',
      'x-acs-content-sha256': createHash('sha256').update('').digest('hex'),
    };
    const ours = acs3Authorization({
      method: 'POST',
      path: '/',
      query,
      headers,
      body: '',
      accessKeyId: 'LTAI-ref',
      accessKeySecret: 'ref-secret',
    });
    const reference = aliyunUtil.getAuthorization(
      { pathname: '/', method: 'POST', query, headers },
      'ACS3-HMAC-SHA256',
      headers['x-acs-content-sha256'],
      'LTAI-ref',
      'ref-secret',
    );
    expect(ours).toBe(reference);
  });
});

describe('TC3-HMAC-SHA256 matches tencentcloud-sdk-nodejs-common Sign.sign3', () => {
  it('for a SendSms body', () => {
    const body = JSON.stringify({
      PhoneNumberSet: ['+8613800138000'],
      SmsSdkAppId: '1400000001',
      TemplateId: '123',
      SignName: '品牌',
      TemplateParamSet: ['王'],
      SessionContext: 'k',
    });
    const contentType = 'application/json; charset=utf-8';
    const timestamp = 1763866800;
    const ours = tc3Authorization({
      host: 'sms.tencentcloudapi.com',
      contentType,
      body,
      timestamp,
      service: 'sms',
      secretId: 'AKID-ref',
      secretKey: 'ref-key',
    });
    const reference = TencentSign.sign3({
      method: 'POST',
      url: 'https://sms.tencentcloudapi.com/',
      payload: JSON.parse(body),
      timestamp,
      service: 'sms',
      secretId: 'AKID-ref',
      secretKey: 'ref-key',
      headers: { 'Content-Type': contentType },
    });
    expect(ours).toBe(reference);
  });
});
