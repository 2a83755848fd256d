// After a crash or a lost answer the send's claim is still "sending". The executor must ask the
// provider (over real HTTP, against fakes that do NOT de-duplicate) instead of failing the
// customer or sending twice: found → sent; authoritatively absent → send; can't tell → unknown.
import { type CustomerView, OutcomeUnknownError } from '@siyu/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { type SendSmsConfig, SendSmsConfigSchema } from '../index.ts';
import { createSendSmsExecutor } from './executor.ts';
import { type FakeSms, startFakeAliyun, startFakeTencent } from './fake-providers.ts';
import { createMemorySmsDeps } from './memory-deps.ts';
import { aliyunProvider, type SmsProvider, sandboxProvider, tencentProvider } from './providers.ts';

const aliyunCreds = { accessKeyId: 'LTAI-x', accessKeySecret: 'sec' };
const tencentCreds = { secretId: 'AKID-x', secretKey: 'k', smsSdkAppId: '1400000009' };
const fakes: FakeSms[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

const config: SendSmsConfig = SendSmsConfigSchema.parse({
  templateCode: 'SMS_1',
  signName: '品牌',
  content: '{{attributes.name}}您好',
  params: { name: '{{attributes.name}}' },
});
const customer: CustomerView = { id: 'c1', tags: [], attributes: { name: '王' }, identities: { phone: '13800138000' } };
// Real time: the fakes date their records by the wall clock, as the providers do.
const ctx = (key: string, attempt: number, extra: { now?: Date; operatorResend?: boolean } = {}) => ({
  config,
  customer,
  idempotencyKey: key,
  attempt,
  journey: { id: 'j1', versionId: 'v1' },
  instanceId: 'i',
  nodeId: 'n',
  now: extra.now ?? new Date(),
  signal: AbortSignal.timeout(5000),
  ...(extra.operatorResend ? { operatorResend: true } : {}),
});

async function failure(p: Promise<unknown>): Promise<Error | undefined> {
  return p.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
}

/** A claim left "sending" by a process that died before (or while) calling the provider. */
async function strandedClaim(mem: ReturnType<typeof createMemorySmsDeps>, key: string, provider: string, at: number) {
  await mem.deps.claimMessage({
    idempotencyKey: key,
    customerId: 'c1',
    provider,
    kind: 'notice',
    recipient: '+8613800138000',
    content: '【品牌】王您好',
    parts: 1,
    status: 'sending',
    journeyId: 'j1',
    nodeId: 'n',
    sentAt: at,
  });
}

function setup(provider: SmsProvider) {
  const mem = createMemorySmsDeps({ provider });
  return { mem, exec: createSendSmsExecutor(mem.deps) };
}

describe('sms.send after an unrecorded attempt', () => {
  it('Aliyun: the answer was lost after the provider took the message → the retry finds it by OutId and sends nothing', async () => {
    const fake = await startFakeAliyun(aliyunCreds);
    fakes.push(fake);
    const { mem, exec } = setup(aliyunProvider({ ...aliyunCreds, endpoint: fake.url }));
    fake.loseAnswers = 1;
    expect(await failure(exec.run(ctx('i:n:1', 1)))).toMatchObject({
      name: 'OutcomeUnknownError',
      recheckAfterMs: 30_000,
    });
    expect(mem.messages.get('i:n:1')?.status).toBe('sending');
    const retry = await exec.run(ctx('i:n:1', 2));
    expect(retry).toMatchObject({ port: 'sent', data: { reconciled: true } });
    expect(fake.sent.filter((m) => m.outId === 'i:n:1')).toHaveLength(1);
    expect(fake.requests).toMatchObject({ SendSms: 1, QuerySendDetails: 1 });
    expect(mem.messages.get('i:n:1')?.status).toBe('sent');
  });

  it('Aliyun: not listed yet → ask again later (no attempt used); not listed after the settle time → send once', async () => {
    const fake = await startFakeAliyun(aliyunCreds);
    fakes.push(fake);
    const { mem, exec } = setup(aliyunProvider({ ...aliyunCreds, endpoint: fake.url, querySettleMs: 60_000 }));
    const claimedAt = Date.now() - 10_000;
    await strandedClaim(mem, 'i:n:2', 'aliyun', claimedAt);
    const early = await failure(exec.run(ctx('i:n:2', 1)));
    expect(early).toBeInstanceOf(OutcomeUnknownError);
    expect((early as OutcomeUnknownError).recheckAfterMs).toBeGreaterThan(40_000);
    expect(fake.sent).toHaveLength(0);
    const later = await exec.run(ctx('i:n:2', 1, { now: new Date(claimedAt + 61_000) }));
    expect(later.port).toBe('sent');
    expect(fake.sent.map((m) => m.outId)).toEqual(['i:n:2']);
    expect(mem.messages.get('i:n:2')).toMatchObject({ status: 'sent', providerMessageId: fake.sent[0]?.id });
  });

  it('Tencent: found by SessionContext → sent; never reported → outcome unknown for an operator, nothing resent', async () => {
    const fake = await startFakeTencent(tencentCreds);
    fakes.push(fake);
    const { mem, exec } = setup(tencentProvider({ ...tencentCreds, endpoint: fake.url, statusSettleMs: 60_000 }));
    fake.loseAnswers = 1;
    expect(await failure(exec.run(ctx('i:n:3', 1)))).toMatchObject({
      name: 'OutcomeUnknownError',
      recheckAfterMs: 30_000,
    });
    expect(await exec.run(ctx('i:n:3', 2))).toMatchObject({
      port: 'sent',
      data: { reconciled: true, providerMessageId: fake.sent[0]?.id },
    });

    await strandedClaim(mem, 'i:n:4', 'tencent', Date.now() - 120_000);
    const parked = await failure(exec.run(ctx('i:n:4', 1)));
    expect(parked).toBeInstanceOf(OutcomeUnknownError);
    expect(parked).toMatchObject({ code: 'sendUncertain', recheckAfterMs: undefined });
    expect(fake.sent.map((m) => m.outId)).toEqual(['i:n:3']);
    expect(fake.requests.PullSmsSendStatusByPhoneNumber).toBe(2);

    // The operator decided to resend: sent once more with the same SessionContext, no lookup.
    expect((await exec.run(ctx('i:n:4', 2, { operatorResend: true }))).port).toBe('sent');
    expect(fake.sent.map((m) => m.outId)).toEqual(['i:n:3', 'i:n:4']);
    expect(fake.requests.PullSmsSendStatusByPhoneNumber).toBe(2);
  });

  it('sandbox: its own record says the message was never sent, so it is sent', async () => {
    const { mem, exec } = setup(sandboxProvider());
    await strandedClaim(mem, 'i:n:5', 'sandbox', Date.now());
    expect(await exec.run(ctx('i:n:5', 1))).toMatchObject({ port: 'sent' });
    expect(mem.messages.get('i:n:5')).toMatchObject({ status: 'sent', providerMessageId: 'sandbox-i:n:5' });
  });

  it('a provider that cannot be asked (unreachable, or switched since the claim) → asked again for 30 min, then an operator decides', async () => {
    const { mem, exec } = setup(aliyunProvider({ ...aliyunCreds, endpoint: 'http://127.0.0.1:1' }));
    const claimedAt = Date.now();
    await strandedClaim(mem, 'i:n:6', 'aliyun', claimedAt);
    expect(await failure(exec.run(ctx('i:n:6', 1)))).toMatchObject({ recheckAfterMs: 30_000 });
    const late = await failure(exec.run(ctx('i:n:6', 1, { now: new Date(claimedAt + 31 * 60_000) })));
    expect(late).toBeInstanceOf(OutcomeUnknownError);
    expect(late).toMatchObject({ recheckAfterMs: undefined, message: expect.stringContaining('lookup failed') });
    await strandedClaim(mem, 'i:n:7', 'tencent', Date.now());
    expect(await failure(exec.run(ctx('i:n:7', 1)))).toMatchObject({
      name: 'OutcomeUnknownError',
      message: expect.stringContaining('claimed with provider tencent'),
    });
    expect(mem.messages.get('i:n:7')?.status).toBe('sending');
  });
});
