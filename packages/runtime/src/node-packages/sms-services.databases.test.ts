// The SMS services on SQLite and PostgreSQL, through the node's executor against the Aliyun fake:
// claim before send (one message per step even when runs of a step race), receipts applied once,
// opt-outs, the per-number count and tracked links. (The journey and webhook tests in
// sms-services.test.ts need createEngine and stay on SQLite.)
import { type SendSmsConfig, SendSmsConfigSchema } from '@siyu/nodes-sms';
import { aliyunProvider, createSmsServerPackage } from '@siyu/nodes-sms/server';
import { type FakeSms, startFakeAliyun } from '@siyu/nodes-sms/testing';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../engine/api.ts';
import { createLogger } from '../logger.ts';
import { bothDatabases, seedCustomers } from './databases.test-helper.ts';
import { createSmsServices } from './sms-services.ts';

const { databases, cleanups } = bothDatabases('sms-services');
const creds = { accessKeyId: 'LTAI-db', accessKeySecret: 'db-secret' };
const config: SendSmsConfig = SendSmsConfigSchema.parse({
  templateCode: 'SMS_100',
  signName: '品牌',
  content: '新品上架 {{link}} 拒收请回复R',
  params: { link: '{{link}}' },
  kind: 'marketing',
  trackedLink: { url: 'https://shop.example.cn/new' },
});

describe.each(databases)('SMS services on %s', (_name, open) => {
  async function setup() {
    const db = await open();
    const fake: FakeSms = await startFakeAliyun(creds);
    cleanups.push(() => fake.close());
    const clock = new ManualClock(Date.parse('2026-11-23T02:00:00Z'));
    const services = createSmsServices({
      db,
      clock,
      logger: createLogger('silent'),
      provider: aliyunProvider({ ...creds, endpoint: fake.url }),
      linkBaseUrl: 'https://brand.example.cn/webhooks/sms/link',
    });
    const [executor] = createSmsServerPackage(services).executors;
    if (!executor) throw new Error('the SMS package has no executor');
    const send = (customerId: string, phone: string, idempotencyKey: string, attempt = 1) =>
      executor.run({
        config,
        customer: { id: customerId, tags: [], attributes: {}, identities: { phone } },
        idempotencyKey,
        attempt,
        journey: { id: 'j1', versionId: 'j1-v1' },
        instanceId: '1',
        nodeId: 'sms',
        now: new Date(clock.now()),
        signal: new AbortController().signal,
      });
    return { db, fake, clock, services, send };
  }

  it('messages a customer once per step: racing runs and a later retry send nothing more', async () => {
    const { db, fake, send } = await setup();
    const [c] = (await seedCustomers(db, 'c', 10, 11)) as [string];
    const runs = await Promise.allSettled([1, 2, 3].map(() => send(c, '+8613800000010', '1:sms:0')));
    expect(fake.sent).toHaveLength(1);
    expect(runs.some((r) => r.status === 'fulfilled' && r.value.port === 'sent')).toBe(true);
    const retry = await send(c, '+8613800000010', '1:sms:0', 2);
    expect(retry).toMatchObject({ port: 'sent', data: { deduplicated: true } });
    expect(fake.sent).toHaveLength(1);
    const rows = await db.sql.all<Record<string, unknown>>('SELECT * FROM Message');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      idempotencyKey: '1:sms:0',
      channel: 'sms',
      provider: 'aliyun',
      kind: 'marketing',
      customerId: c,
      recipient: '+8613800000010',
      status: 'sent',
      providerMessageId: fake.sent[0]?.id,
    });
    expect(String(rows[0]?.content)).toMatch(
      /^【品牌】新品上架 https:\/\/brand\.example\.cn\/webhooks\/sms\/link\?c=[\w-]{16} /,
    );
    expect(await db.sql.all('SELECT messageKey, customerId FROM TrackedLink')).toEqual([
      { messageKey: '1:sms:0', customerId: c },
    ]);
  });

  it('applies a receipt once even when the provider delivers it twice at the same moment', async () => {
    const { db, fake, services, send } = await setup();
    const [c] = (await seedCustomers(db, 'c', 11, 12)) as [string];
    await send(c, '+8613800000011', '2:sms:0');
    const id = String(fake.sent[0]?.id);
    const receipt = { delivered: true, at: Date.parse('2026-11-23T02:00:03Z') };
    const applied = await Promise.all([
      services.applyReceipt('aliyun', id, receipt),
      services.applyReceipt('aliyun', id, receipt),
    ]);
    expect(applied.filter((a) => a.applied)).toEqual([{ applied: true, customerId: c, idempotencyKey: '2:sms:0' }]);
    expect(await db.sql.get('SELECT status, deliveredAt, error FROM Message')).toEqual({
      status: 'delivered',
      deliveredAt: receipt.at,
      error: null,
    });
    expect(await services.applyReceipt('aliyun', 'unknown', receipt)).toEqual({ applied: false });
  });

  it('matches a receipt by out_id when the send was confirmed by a lookup (no provider id yet)', async () => {
    const { db, services } = await setup();
    const [c] = (await seedCustomers(db, 'c', 12, 13)) as [string];
    const claim = {
      idempotencyKey: '3:sms:0',
      customerId: c,
      provider: 'aliyun',
      kind: 'notice' as const,
      recipient: '+8613800000012',
      content: '发货通知',
      parts: 1,
      status: 'sending' as const,
      journeyId: 'j1',
      nodeId: 'sms',
      sentAt: Date.parse('2026-11-23T02:00:00Z'),
    };
    expect(await services.claimMessage(claim)).toEqual({ claimed: true });
    const again = await services.claimMessage(claim);
    expect(again).toMatchObject({ claimed: false, existing: { status: 'sending', sentAt: claim.sentAt } });
    await services.markSent('3:sms:0', undefined);
    const applied = await services.applyReceipt('aliyun', 'BIZ-9', {
      delivered: false,
      error: 'MOBILE_NOT_ON_SERVICE',
      at: claim.sentAt + 5_000,
      outId: '3:sms:0',
    });
    expect(applied).toEqual({ applied: true, customerId: c, idempotencyKey: '3:sms:0' });
    expect(await db.sql.get('SELECT status, providerMessageId, error FROM Message')).toEqual({
      status: 'failed',
      providerMessageId: 'BIZ-9',
      error: 'MOBILE_NOT_ON_SERVICE',
    });
    // A claim released before any send leaves no row; one already sent is kept.
    await services.claimMessage({ ...claim, idempotencyKey: '3:sms:1' });
    await services.releaseClaim('3:sms:1');
    await services.releaseClaim('3:sms:0');
    expect(await db.sql.all('SELECT idempotencyKey FROM Message')).toEqual([{ idempotencyKey: '3:sms:0' }]);
    expect(await services.countSentTo('+8613800000012', claim.sentAt)).toBe(1);
    expect(await services.countSentTo('+8613800000012', claim.sentAt + 1)).toBe(0);
  });

  it('records an opt-out once, with the customer the number belongs to', async () => {
    const { db, services } = await setup();
    const [c] = (await seedCustomers(db, 'c', 13, 14)) as [string];
    expect(await services.isOptedOut('+8613800000013')).toBe(false);
    const results = await Promise.all([
      services.optOut('+8613800000013', 'replied R'),
      services.optOut('+8613800000013', 'replied R'),
    ]);
    expect(results.sort()).toEqual([false, true]);
    expect(await services.isOptedOut('+8613800000013')).toBe(true);
    expect(await services.optOut('+8613900000000', 'replied TD')).toBe(true);
    expect(await db.sql.all('SELECT address, customerId, reason FROM OptOut ORDER BY address')).toEqual([
      { address: '+8613800000013', customerId: c, reason: 'replied R' },
      { address: '+8613900000000', customerId: null, reason: 'replied TD' },
    ]);
  });

  it('keeps one tracked link per message when two runs save one at once', async () => {
    const { services } = await setup();
    const link = { customerId: 'c', url: 'https://a.cn/', messageKey: 'm1' };
    const saved = await Promise.all([
      services.saveTrackedLink({ ...link, code: 'firstCode0000001' }),
      services.saveTrackedLink({ ...link, code: 'otherCode0000002' }),
    ]);
    expect(saved[0]).toEqual(saved[1]);
    const code = String(saved[0]?.code);
    expect(await services.findTrackedLink(code)).toEqual({ customerId: 'c', url: 'https://a.cn/' });
    expect(await services.findTrackedLink(code === 'firstCode0000001' ? 'otherCode0000002' : 'firstCode0000001')).toBe(
      undefined,
    );
  });
});
