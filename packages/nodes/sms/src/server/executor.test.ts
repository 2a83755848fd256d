// biome-ignore-all lint/suspicious/noTemplateCurlyInString: SMS template texts in Aliyun's ${name} syntax
import { createHash } from 'node:crypto';
import { type CustomerView, PermanentError, RetryableError } from '@siyu/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SendSmsConfig, SendSmsConfigSchema } from '../index.ts';
import type { SmsTemplateRecord } from './deps.ts';
import { createSendSmsExecutor } from './executor.ts';
import { type FakeSms, startFakeAliyun, startFakeTencent } from './fake-providers.ts';
import { createMemorySmsDeps } from './memory-deps.ts';
import { aliyunProvider, tencentProvider } from './providers.ts';

const creds = { accessKeyId: 'LTAI-x', accessKeySecret: 'sec' };
let aliyun: FakeSms;
beforeAll(async () => {
  aliyun = await startFakeAliyun(creds);
});
afterAll(() => aliyun.close());

const config = (over: Partial<SendSmsConfig> = {}): SendSmsConfig =>
  SendSmsConfigSchema.parse({
    templateCode: 'SMS_1',
    signName: '品牌',
    content: '{{attributes.name}}您好，点击 {{link}}',
    params: { name: '{{attributes.name}}' },
    trackedLink: { url: 'https://shop.example.cn/p/1' },
    ...over,
  });
const customer = (phone?: string): CustomerView => ({
  id: 'c1',
  tags: [],
  attributes: { name: '王' },
  identities: phone ? { phone } : {},
});
let n = 0;
const ctx = (cfg: SendSmsConfig, c: CustomerView, key = `i:n:${++n}`, attempt = 1) => ({
  config: cfg,
  customer: c,
  idempotencyKey: key,
  attempt,
  journey: { id: 'j1', versionId: 'v1' },
  instanceId: 'i',
  nodeId: 'n',
  now: new Date('2026-11-23T02:00:00Z'),
  signal: new AbortController().signal,
});

async function error(p: Promise<unknown>) {
  return p.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
}

describe('sms.send executor', () => {
  it('sandbox: records the rendered message with a tracked link and parts', async () => {
    const mem = createMemorySmsDeps({ linkBaseUrl: 'https://b.cn/webhooks/sms/link' });
    const exec = createSendSmsExecutor(mem.deps);
    const r = await exec.run(ctx(config(), customer('138 0013 8000'), 'i1:n:0'));
    expect(r.port).toBe('sent');
    const m = mem.messages.get('i1:n:0');
    const [code] = [...mem.links.keys()];
    expect(m).toMatchObject({ provider: 'sandbox', recipient: '+8613800138000', status: 'sent', parts: 1 });
    expect(m?.content).toBe(`【品牌】王您好，点击 https://b.cn/webhooks/sms/link?c=${code}`);
    expect(mem.links.get(code)).toMatchObject({ customerId: 'c1', url: 'https://shop.example.cn/p/1' });
  });

  it('tracked-link codes are random (≥ 64 bits, not derived from the step); a retry reuses the stored one', async () => {
    const mem = createMemorySmsDeps({ linkBaseUrl: 'https://b.cn/webhooks/sms/link' });
    const exec = createSendSmsExecutor(mem.deps);
    // Instance ids are sequential, so a code computed from "instance:node:visit" can be forged for
    // every customer by anyone who knows the formula.
    for (const key of ['1:sms:0', '2:sms:0', '3:sms:0']) {
      await exec.run(ctx(config(), customer('13800138000'), key));
      const [code, ...more] = [...mem.links].filter(([, l]) => l.messageKey === key).map(([c]) => c);
      expect(more).toEqual([]);
      expect(code).toMatch(/^[A-Za-z0-9_-]{16,}$/); // 16 base64url characters = 96 bits
      expect(code).not.toBe(createHash('sha256').update(key).digest('base64url').slice(0, code?.length));
    }
    // The retry of a step that got as far as saving its link (then failed) keeps the first code,
    // so the link in the message actually sent is the one stored.
    const failing = createMemorySmsDeps({
      linkBaseUrl: 'https://b.cn/l',
      provider: aliyunProvider({ ...creds, endpoint: aliyun.url }),
    });
    const retrying = createSendSmsExecutor(failing.deps);
    expect(await error(retrying.run(ctx(config(), customer('13800000002'), 'k:again', 1)))).toBeInstanceOf(
      RetryableError,
    );
    const [first] = [...failing.links.keys()];
    await error(retrying.run(ctx(config(), customer('13800000002'), 'k:again', 2)));
    expect([...failing.links.keys()]).toEqual([first]);
  });

  it('a retried step returns the first record and does not send twice', async () => {
    const mem = createMemorySmsDeps({
      provider: aliyunProvider({ ...creds, endpoint: aliyun.url }),
      linkBaseUrl: 'https://b.cn/l',
    });
    const exec = createSendSmsExecutor(mem.deps);
    const before = aliyun.sent.length;
    const first = await exec.run(ctx(config(), customer('13800138000'), 'k:retry', 1));
    const second = await exec.run(ctx(config(), customer('13800138000'), 'k:retry', 2));
    expect(aliyun.sent.length).toBe(before + 1);
    expect(second.data).toMatchObject({ deduplicated: true, providerMessageId: first.data?.providerMessageId });
  });

  it('invalid, missing and opted-out numbers fail permanently with a code', async () => {
    const mem = createMemorySmsDeps();
    const exec = createSendSmsExecutor(mem.deps);
    expect(await error(exec.run(ctx(config(), customer('12345'))))).toMatchObject({ code: 'invalidPhone' });
    expect(await error(exec.run(ctx(config(), customer())))).toMatchObject({ code: 'noPhone' });
    await mem.deps.optOut('+8613800138000', 'replied R');
    const e = await error(exec.run(ctx(config(), customer('+86 138 0013 8000'))));
    expect(e).toBeInstanceOf(PermanentError);
    expect(e).toMatchObject({ code: 'optedOut' });
    expect(mem.messages.size).toBe(0);
  });

  it('stops at the per-number frequency limit', async () => {
    const mem = createMemorySmsDeps({ perNumberLimit: 2 });
    const exec = createSendSmsExecutor(mem.deps);
    await exec.run(ctx(config(), customer('13800138000')));
    await exec.run(ctx(config(), customer('13800138000')));
    expect(await error(exec.run(ctx(config(), customer('13800138000'))))).toMatchObject({ code: 'frequencyLimited' });
    expect(mem.messages.size).toBe(2);
  });

  it('provider rejections: retryable releases the claim so the retry sends; permanent is permanent', async () => {
    const mem = createMemorySmsDeps({
      provider: aliyunProvider({ ...creds, endpoint: aliyun.url }),
      linkBaseUrl: 'https://b.cn/l',
    });
    const exec = createSendSmsExecutor(mem.deps);
    expect(await error(exec.run(ctx(config(), customer('13800000002'), 'k:limit')))).toBeInstanceOf(RetryableError);
    expect(mem.messages.has('k:limit')).toBe(false);
    const illegal = await error(exec.run(ctx(config(), customer('13800000001'))));
    expect(illegal).toMatchObject({ code: 'isv.MOBILE_NUMBER_ILLEGAL' });
  });

  it('an unreachable provider: outcome unknown, asked again later; never a failure, never a second send', async () => {
    const mem = createMemorySmsDeps({
      provider: aliyunProvider({ ...creds, endpoint: 'http://127.0.0.1:1' }),
      linkBaseUrl: 'https://b.cn/l',
    });
    const exec = createSendSmsExecutor(mem.deps);
    expect(await error(exec.run(ctx(config(), customer('13800138000'), 'k:net', 1)))).toMatchObject({
      name: 'OutcomeUnknownError',
      code: 'sendUncertain',
      recheckAfterMs: 30_000,
    });
    // The lookup cannot reach the provider either: asked again later.
    expect(await error(exec.run(ctx(config(), customer('13800138000'), 'k:net', 2)))).toMatchObject({
      name: 'OutcomeUnknownError',
      recheckAfterMs: 30_000,
    });
  });

  it('Tencent: sends the rendered params in order and de-duplicates a retry', async () => {
    const tcCreds = { secretId: 'AKID-x', secretKey: 'k', smsSdkAppId: '1400000009' };
    const tencent = await startFakeTencent(tcCreds);
    try {
      const provider = tencentProvider({ ...tcCreds, endpoint: tencent.url });
      const noBase = createSendSmsExecutor(createMemorySmsDeps({ provider }).deps);
      expect(await error(noBase.run(ctx(config(), customer('13800138000'))))).toMatchObject({
        code: 'linkBaseUrlMissing',
      });
      const mem = createMemorySmsDeps({ provider, linkBaseUrl: 'https://b.cn/webhooks/sms/link' });
      const exec = createSendSmsExecutor(mem.deps);
      const cfg = config({ templateCode: '2001', params: { name: '{{attributes.name}}', link: '{{link}}' } });
      const first = await exec.run(ctx(cfg, customer('13800138000'), 'k:tc', 1));
      await exec.run(ctx(cfg, customer('13800138000'), 'k:tc', 2));
      expect(tencent.sent).toHaveLength(1);
      const [code] = [...mem.links.keys()];
      expect(tencent.sent[0]?.params).toEqual(['王', `https://b.cn/webhooks/sms/link?c=${code}`]);
      expect(mem.messages.get('k:tc')).toMatchObject({
        provider: 'tencent',
        providerMessageId: first.data?.providerMessageId,
      });
    } finally {
      await tencent.close();
    }
  });

  it('a registered template: its code and sign name, the mapped values as Aliyun TemplateParam and Tencent TemplateParamSet', async () => {
    const tcCreds = { secretId: 'AKID-x', secretKey: 'k', smsSdkAppId: '1400000009' };
    const tencent = await startFakeTencent(tcCreds);
    try {
      const templates: Record<string, SmsTemplateRecord> = {
        ali: {
          id: 'ali',
          name: 'a',
          provider: 'aliyun',
          signName: '私域小店',
          templateCode: 'SMS_88',
          text: '${name}您好，券码${code}，尾号${tail}，${shop}见。',
          kind: 'notice',
        },
        tc: {
          id: 'tc',
          name: 't',
          provider: 'tencent',
          signName: '私域小店',
          templateCode: '2002',
          text: '{2}的会员{1}您好',
          kind: 'notice',
        },
      };
      const extra = {
        findTemplate: async (id: string) => templates[id],
        couponCodeFor: async (customerId: string, stockId: string) => `${stockId}-${customerId}`,
      };
      const variables = {
        name: { source: 'attribute', value: 'name' },
        code: { source: 'coupon', value: 'stk1' },
        tail: { source: 'phoneTail' },
        shop: { source: 'text', value: '静安店' },
        '1': { source: 'displayName' },
        '2': { source: 'text', value: '小店' },
      };
      const ali = createMemorySmsDeps({ provider: aliyunProvider({ ...creds, endpoint: aliyun.url }), ...extra });
      const tpl = (templateId: string) => SendSmsConfigSchema.parse({ templateId, variables });
      await createSendSmsExecutor(ali.deps).run(ctx(tpl('ali'), customer('13800138000'), 'k:tpl:a'));
      expect(aliyun.sent.at(-1)).toMatchObject({
        templateCode: 'SMS_88',
        signName: '私域小店',
        params: { name: '王', code: 'stk1-c1', tail: '8000', shop: '静安店' },
      });
      expect(ali.messages.get('k:tpl:a')?.content).toBe('【私域小店】王您好，券码stk1-c1，尾号8000，静安店见。');

      const tc = createMemorySmsDeps({ provider: tencentProvider({ ...tcCreds, endpoint: tencent.url }), ...extra });
      const named = { ...customer('13800138000'), displayName: '王芳' };
      await createSendSmsExecutor(tc.deps).run(ctx(tpl('tc'), named, 'k:tpl:t'));
      expect(tencent.sent[0]).toMatchObject({ templateCode: '2002', params: ['王芳', '小店'] });
      expect(tc.messages.get('k:tpl:t')?.content).toBe('【私域小店】小店的会员王芳您好');

      // A deleted template, or a variable left unmapped, fails the step for good (nothing is sent).
      const gone = await error(createSendSmsExecutor(tc.deps).run(ctx(tpl('nope'), named)));
      expect(gone).toMatchObject({ code: 'templateMissing' });
      const unmapped = SendSmsConfigSchema.parse({ templateId: 'tc', variables: { '1': { source: 'displayName' } } });
      expect(await error(createSendSmsExecutor(tc.deps).run(ctx(unmapped, named)))).toMatchObject({
        code: 'templateVariablesUnmapped',
      });
      expect(tencent.sent).toHaveLength(1);
    } finally {
      await tencent.close();
    }
  });
});
