import { smsPackage } from '@siyu/nodes-sms';
import { aliyunProvider, createSmsServerPackage } from '@siyu/nodes-sms/server';
import { type FakeSms, startFakeAliyun } from '@siyu/nodes-sms/testing';
import { describe, expect, it } from 'vitest';
import { addCustomers, graphOf, publishJourney } from '../../testing/fixtures.ts';
import { ManualClock } from '../engine/api.ts';
import { createEngine } from '../engine/engine.ts';
import { createLogger } from '../logger.ts';
import {
  allRows,
  cleanupAfterEach,
  oneRow,
  postJson,
  registryWith,
  scratchDatabase,
  serveWebhooks,
} from './provider-journeys.test-helper.ts';
import { createSmsServices, smsProviderFromEnv } from './sms-services.ts';

const registry = registryWith(smsPackage);

const journey = graphOf(
  [
    ['entry', 'sample.apiEntry', {}],
    [
      'sms',
      'sms.send',
      {
        templateCode: 'SMS_100',
        signName: '品牌',
        content: '{{attributes.name}}您好，新品上架 {{link}} 拒收请回复R',
        params: { name: '{{attributes.name}}', link: '{{link}}' },
        kind: 'marketing',
        trackedLink: { url: 'https://shop.example.cn/new' },
      },
    ],
    ['done', 'sample.end', {}],
    ['failed', 'sample.end', {}],
  ],
  [
    ['entry', 'next', 'sms'],
    ['sms', 'sent', 'done'],
    ['sms', 'failed', 'failed'],
  ],
  { quietHours: { enabled: false } },
);

const cleanups = cleanupAfterEach();

async function setup() {
  const db = await scratchDatabase('sms', cleanups);
  const creds = { accessKeyId: 'LTAI-e2e', accessKeySecret: 'e2e-secret' };
  const fake: FakeSms = await startFakeAliyun(creds);
  cleanups.push(() => fake.close());
  const clock = new ManualClock(Date.now());
  const logger = createLogger('silent');
  const services = createSmsServices({
    db,
    clock,
    logger,
    provider: aliyunProvider({ ...creds, endpoint: fake.url }),
    linkBaseUrl: 'https://brand.example.cn/webhooks/sms/link',
  });
  const pkg = createSmsServerPackage(services);
  const engine = createEngine({ db, registry, executors: [...pkg.executors], clock, logger });
  const base = `${await serveWebhooks([pkg], engine, logger, cleanups)}/sms`;
  const token = await services.callbackToken();
  /** Posts records to an Aliyun callback (`receipts`: SmsReport, `replies`: SmsUp) with the deployment token. */
  const aliyun = (kind: 'receipts' | 'replies', records: unknown[]) =>
    postJson(`${base}/aliyun/${kind}?token=${token}`, JSON.stringify(records));
  return { db, fake, clock, engine, pkg, base, services, token, aliyun };
}

/** Aliyun's receipt (SmsReport) saying the message reached `phone` (a mainland number without +86). */
const deliveredReceipt = (phone: string, bizId: unknown, outId: unknown) => [
  {
    phone_number: phone,
    send_time: '2026-11-23 10:00:00',
    report_time: '2026-11-23 10:00:03',
    success: true,
    err_code: 'DELIVERED',
    err_msg: '用户接收成功',
    sms_size: '1',
    biz_id: bizId,
    out_id: outId,
  },
];

const one = oneRow;
const all = allRows;

describe('SMS end to end: journey → Aliyun fake → receipts and replies', () => {
  it('sends once, never to an opted-out number, and a re-run effect does not send again', async () => {
    const { db, fake, clock, engine, pkg, base, aliyun } = await setup();
    publishJourney(db.sqlite, 'j1', journey);
    const [c1, c2] = addCustomers(db.sqlite, 'c', 10, 12) as [string, string];
    db.sqlite.prepare(`UPDATE Customer SET attributes = '{"name":"王芳"}' WHERE id = ?`).run(c1);
    db.sqlite
      .prepare(
        "INSERT INTO OptOut (channel, address, customerId, reason, createdAt) VALUES ('sms', ?, ?, 'replied R', ?)",
      )
      .run('+8613800000011', c2, new Date().toISOString());

    expect((await engine.enroll('j1', c1)).status).toBe('enrolled');
    expect((await engine.enroll('j1', c2)).status).toBe('enrolled');
    for (let i = 0; i < 4; i++) {
      clock.advance(1_000);
      await engine.tick();
    }

    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]).toMatchObject({ phone: '13800000010', signName: '品牌', templateCode: 'SMS_100' });
    const messages = all(db, 'SELECT * FROM Message');
    expect(messages).toHaveLength(1);
    const m = messages[0] as Record<string, unknown>;
    expect(m).toMatchObject({
      channel: 'sms',
      provider: 'aliyun',
      kind: 'marketing',
      customerId: c1,
      status: 'sent',
      parts: 2,
    });
    expect(m.recipient).toBe('+8613800000010');
    expect(String(m.content)).toMatch(
      /^【品牌】王芳您好，新品上架 https:\/\/brand\.example\.cn\/webhooks\/sms\/link\?c=[\w-]{16} 拒收请回复R$/,
    );
    expect(one(db, 'SELECT nodeId FROM Instance WHERE customerId = ?', c1).nodeId).toBe('done');
    expect(one(db, 'SELECT nodeId FROM Instance WHERE customerId = ?', c2).nodeId).toBe('failed');

    // The outbox re-running the same step (a crash after the send) must not message twice.
    const executor = pkg.executors[0];
    if (!executor) throw new Error('no executor');
    const rerun = await executor.run({
      config: journey.nodes[1]?.config as never,
      customer: { id: c1, tags: [], attributes: { name: '王芳' }, identities: { phone: '+8613800000010' } },
      idempotencyKey: String(m.idempotencyKey),
      attempt: 2,
      journey: { id: 'j1', versionId: 'j1-v1' },
      instanceId: 'x',
      nodeId: 'sms',
      now: new Date(clock.now()),
      signal: new AbortController().signal,
    });
    expect(rerun).toMatchObject({ port: 'sent', data: { deduplicated: true, providerMessageId: m.providerMessageId } });
    expect(fake.sent).toHaveLength(1);
    expect(all(db, 'SELECT id FROM Message')).toHaveLength(1);

    // Delivery receipt over HTTP, twice (Aliyun retries): one status change, one event.
    const receipt = deliveredReceipt('13800000010', m.providerMessageId, m.idempotencyKey);
    for (let i = 0; i < 2; i++) {
      const res = await aliyun('receipts', receipt);
      expect(await res.json()).toEqual({ code: 0, msg: '接收成功' });
    }
    expect(one(db, 'SELECT status FROM Message').status).toBe('delivered');
    expect(one(db, "SELECT count(*) n FROM Event WHERE type = 'sms.delivered'").n).toBe(1);

    // The tracked link resolves to the target and records a click for the customer.
    const code = /c=([\w-]+)/.exec(String(m.content))?.[1];
    const click = await fetch(`${base}/link?c=${code}`, { redirect: 'manual' });
    expect(click.status).toBe(302);
    expect(click.headers.get('location')).toBe('https://shop.example.cn/new');
    expect(one(db, "SELECT customerId FROM Event WHERE type = 'link.clicked'").customerId).toBe(c1);

    // Replying R opts the number out: the next send is refused.
    const reply = await aliyun('replies', [
      { phone_number: '13800000010', content: 'R', send_time: '2026-11-23 10:05:00', dest_code: '01', sequence_id: 7 },
    ]);
    expect(reply.status).toBe(200);
    expect(one(db, "SELECT customerId, reason FROM OptOut WHERE address = '+8613800000010'")).toEqual({
      customerId: c1,
      reason: 'replied R',
    });
    expect(one(db, "SELECT customerId FROM Event WHERE type = 'sms.optedOut'").customerId).toBe(c1);
  });

  it('over HTTP, a forged reply or receipt without the deployment token is refused and changes nothing', async () => {
    const { db, base, token } = await setup();
    const [c] = addCustomers(db.sqlite, 'c', 40, 41) as [string];
    db.sqlite
      .prepare(
        `INSERT INTO Message (idempotencyKey, customerId, channel, provider, kind, recipient, content, parts, status,
           providerMessageId, sentAt) VALUES ('k', ?, 'sms', 'aliyun', 'notice', '+8613800000040', 'x', 1, 'sent', 'BIZ', 1)`,
      )
      .run(c);
    const post = (path: string, body: unknown) => postJson(`${base}${path}`, JSON.stringify(body));
    const optOut = [{ phone_number: '13800000040', content: 'R', send_time: '2026-11-23 10:05:00', sequence_id: 1 }];
    const newcomer = { mobile: '13900000099', text: '你好', time: 1763863200 };
    const receipt = [{ mobile: '13800000040', report_status: 'FAIL', sid: 'BIZ' }];
    for (const q of ['', '?token=', '?token=guess', `?token=${token.slice(0, -1)}`]) {
      expect((await post(`/aliyun/replies${q}`, optOut)).status).toBe(401);
      expect((await post(`/tencent/replies${q}`, newcomer)).status).toBe(401);
      expect((await post(`/tencent/receipts${q}`, receipt)).status).toBe(401);
    }
    expect(all(db, 'SELECT * FROM OptOut')).toEqual([]);
    expect(one(db, 'SELECT count(*) n FROM Customer').n).toBe(1);
    expect(one(db, 'SELECT status FROM Message').status).toBe('sent');
    expect(all(db, 'SELECT type FROM Event')).toEqual([]);
    // The genuine provider, with the token: applied.
    expect((await post(`/aliyun/replies?token=${token}`, optOut)).status).toBe(200);
    expect(one(db, 'SELECT count(*) n FROM OptOut').n).toBe(1);
  });

  it('keeps one tracked link per message: a second save for the same message returns the first code', async () => {
    const { services } = await setup();
    const link = { customerId: 'c', url: 'https://a.cn/', messageKey: 'm1' };
    expect(await services.saveTrackedLink({ ...link, code: 'firstCode0000001' })).toEqual({ code: 'firstCode0000001' });
    expect(await services.saveTrackedLink({ ...link, code: 'otherCode0000002' })).toEqual({ code: 'firstCode0000001' });
    expect(await services.findTrackedLink('otherCode0000002')).toBeUndefined();
  });

  it('a send whose answer was lost is found by QuerySendDetails (no resend); its receipt matches by out_id', async () => {
    const { db, fake, clock, engine, aliyun } = await setup();
    publishJourney(db.sqlite, 'j1', journey);
    const [c1] = addCustomers(db.sqlite, 'c', 20, 21) as [string];
    fake.loseAnswers = 1;
    await engine.enroll('j1', c1);
    await engine.tick();
    expect(one(db, 'SELECT status FROM Message')).toEqual({ status: 'sending' });
    clock.advance(30_000);
    await engine.tick();
    expect(fake.sent).toHaveLength(1);
    expect(fake.requests).toMatchObject({ SendSms: 1, QuerySendDetails: 1 });
    expect(one(db, 'SELECT nodeId FROM Instance WHERE customerId = ?', c1).nodeId).toBe('done');
    const m = one(db, 'SELECT idempotencyKey, status, providerMessageId FROM Message');
    expect(m).toMatchObject({ status: 'sent', providerMessageId: null });
    const res = await aliyun('receipts', deliveredReceipt('13800000020', fake.sent[0]?.id, m.idempotencyKey));
    expect(res.status).toBe(200);
    expect(one(db, 'SELECT status, providerMessageId FROM Message')).toEqual({
      status: 'delivered',
      providerMessageId: fake.sent[0]?.id,
    });
    expect(one(db, "SELECT count(*) n FROM Event WHERE type = 'sms.delivered'").n).toBe(1);
  });

  it('follows the skipped port when a frequency cap drops the message, and "sent" when it is not drawn', async () => {
    const { db, fake, engine } = await setup();
    const capped = (withSkipped: boolean) =>
      graphOf(
        [
          ['entry', 'sample.apiEntry', {}],
          ['sms', 'sms.send', { templateCode: 'SMS_2', signName: '品牌', content: '发货通知', kind: 'notice' }],
          ['done', 'sample.end', {}],
          ['skip', 'sample.end', {}],
        ],
        [
          ['entry', 'next', 'sms'],
          ['sms', 'sent', 'done'],
          ...(withSkipped ? [['sms', 'skipped', 'skip'] as [string, string, string]] : []),
        ],
        {
          quietHours: { enabled: false },
          frequencyCaps: [{ channel: 'sms', max: 1, per: { amount: 1, unit: 'days' } }],
        },
      );
    publishJourney(db.sqlite, 'first', capped(false));
    publishJourney(db.sqlite, 'drawn', capped(true));
    publishJourney(db.sqlite, 'undrawn', capped(false));
    const [c] = addCustomers(db.sqlite, 'c', 30, 31) as [string];
    for (const journeyId of ['first', 'drawn', 'undrawn']) {
      await engine.enroll(journeyId, c);
      await engine.tick();
    }
    expect(fake.sent).toHaveLength(1);
    expect(all(db, 'SELECT journeyId, nodeId FROM Instance ORDER BY id')).toEqual([
      { journeyId: 'first', nodeId: 'done' },
      { journeyId: 'drawn', nodeId: 'skip' },
      { journeyId: 'undrawn', nodeId: 'done' },
    ]);
    expect(all(db, "SELECT status FROM OutboxEffect WHERE nodeType = 'sms.send' ORDER BY id")).toEqual([
      { status: 'done' },
      { status: 'skipped' },
      { status: 'skipped' },
    ]);
  });

  it('reads the provider from the environment and names what is missing', () => {
    expect(smsProviderFromEnv({}).provider.name).toBe('sandbox');
    expect(() => smsProviderFromEnv({ SMS_PROVIDER: 'aliyun', ALIYUN_ACCESS_KEY_ID: 'x' })).toThrow(
      /ALIYUN_ACCESS_KEY_SECRET/,
    );
    expect(() => smsProviderFromEnv({ SMS_PROVIDER: 'qq' })).toThrow(/SMS_PROVIDER/);
    const tencent = smsProviderFromEnv({
      SMS_PROVIDER: 'tencent',
      TENCENT_SECRET_ID: 'a',
      TENCENT_SECRET_KEY: 'b',
      TENCENT_SMS_SDK_APP_ID: '1400',
      PUBLIC_URL: 'https://brand.example.cn',
    });
    expect(tencent.provider.name).toBe('tencent');
    expect(tencent.linkBaseUrl).toBe('https://brand.example.cn/webhooks/sms/link');
    expect(() => smsProviderFromEnv({ SMS_QUERY_SETTLE_MS: '10' })).toThrow(/SMS_QUERY_SETTLE_MS/);
  });

  it('SMS_QUERY_SETTLE_MS: how long an unlisted send waits for the provider before it counts as not sent', async () => {
    // Aliyun's QuerySendDetails answering "no sends that day" for the number.
    const empty = (async () =>
      new Response(JSON.stringify({ Code: 'OK', TotalCount: 0, SmsSendDetailDTOs: { SmsSendDetailDTO: [] } }), {
        status: 200,
      })) as unknown as typeof fetch;
    const aliyun = { SMS_PROVIDER: 'aliyun', ALIYUN_ACCESS_KEY_ID: 'a', ALIYUN_ACCESS_KEY_SECRET: 'b' };
    const now = Date.UTC(2026, 11, 6, 4);
    const request = { phone: '+8613800000001', outId: 'o1', claimedAt: now - 10_000, now };
    // Ten seconds after the claim: within Aliyun's default five minutes it may still appear...
    expect((await smsProviderFromEnv(aliyun, empty).provider.lookup?.(request))?.status).toBe('unknown');
    // ...past a configured five seconds it counts as never sent.
    const short = smsProviderFromEnv({ ...aliyun, SMS_QUERY_SETTLE_MS: '5000' }, empty);
    expect((await short.provider.lookup?.(request))?.status).toBe('absent');
  });
});
