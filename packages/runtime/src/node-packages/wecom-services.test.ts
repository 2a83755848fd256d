import { contactAddedXml } from '@siyu/nodes-wecom/testing';
import { describe, expect, it } from 'vitest';
import { executorContext } from '../../testing/executor-context.ts';
import { graphOf, publishJourney } from '../../testing/fixtures.ts';
import { allRows, cleanupAfterEach, oneRow } from './provider-journeys.test-helper.ts';
import { wecomJourneys } from './wecom-journeys.test-helper.ts';
import { wecomConfigFromEnv } from './wecom-services.ts';

const cleanups = cleanupAfterEach();

const welcomeJourney = graphOf(
  [
    ['entry', 'sample.eventEntry', { event: 'wecom.contactAdded' }],
    ['welcome', 'wecom.welcome', { text: '{{displayName}}您好，欢迎来到{{channel.code}}' }],
    ['tags', 'wecom.markTags', { groupName: '旅程', add: ['新客'] }],
    ['done', 'sample.end', {}],
    ['failed', 'sample.end', {}],
  ],
  [
    ['entry', 'next', 'welcome'],
    ['welcome', 'sent', 'tags'],
    ['welcome', 'failed', 'failed'],
    ['tags', 'next', 'done'],
    ['tags', 'failed', 'failed'],
  ],
  { quietHours: { enabled: false } },
);

const setup = (mode: 'fake' | 'sandbox') => wecomJourneys('wecom', cleanups, mode);

const one = oneRow;
const all = allRows;

describe('WeCom end to end: callback → engine → welcome', () => {
  it('a contact-added callback enrols the customer with its channel and the welcome is sent once', async () => {
    const { db, fake, clock, engine, url } = await setup('fake');
    if (!fake) throw new Error('fake missing');
    publishJourney(db.sqlite, 'j1', welcomeJourney);
    fake.addContact('wmEXT1', '王芳'); // the callback looks the name up (externalcontact/get)
    const welcomeCode = fake.issueWelcomeCode();
    const xml = contactAddedXml({
      corpId: fake.config.corpId,
      userId: 'zhangsan',
      externalUserId: 'wmEXT1',
      state: 'poster-A',
      welcomeCode,
      createTime: Math.floor(clock.now() / 1000),
    });
    const post = async () => {
      const { query, body } = fake.callback(xml);
      const res = await fetch(`${url}?${new URLSearchParams(query)}`, { method: 'POST', body });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('success');
    };
    await post();
    await post(); // WeCom retries a callback it thinks failed: no second enrolment or message
    clock.advance(2_000);
    await engine.tick();
    await engine.tick();

    const customer = one(
      db,
      "SELECT c.id, c.channelCode FROM Customer c JOIN CustomerIdentity i ON i.customerId = c.id WHERE i.kind = 'wecomExternalUserId' AND i.value = 'wmEXT1'",
    );
    expect(customer).toBeDefined();
    expect(one(db, "SELECT count(*) n FROM Event WHERE type = 'channel.entered'").n).toBe(1);
    const messages = all(db, 'SELECT * FROM Message');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      channel: 'wecom',
      provider: 'wecom',
      kind: 'welcome',
      customerId: customer.id,
    });
    expect(fake.calls('externalcontact/send_welcome_msg')).toHaveLength(1);
    expect(fake.calls('externalcontact/send_welcome_msg')[0]?.body).toMatchObject({
      welcome_code: welcomeCode,
      text: { content: '王芳您好，欢迎来到' }, // poster-A is not a registered entry code here
    });
    expect(one(db, 'SELECT displayName FROM Customer WHERE id = ?', customer.id).displayName).toBe('王芳');
    // Tags: created in WeCom, marked on the contact (staff from the callback), mirrored locally.
    const tagId = fake.tags.find((x) => x.name === '新客')?.id;
    expect([...(fake.markedTags.get('zhangsan:wmEXT1') ?? [])]).toEqual([tagId]);
    expect(all(db, 'SELECT tag FROM CustomerTag WHERE customerId = ?', customer.id)).toEqual([{ tag: '新客' }]);
    expect(one(db, "SELECT status, nodeId FROM Instance WHERE journeyId = 'j1'")).toMatchObject({
      status: 'completed',
      nodeId: 'done',
    });
  });

  it('inviteToGroup: the join callback with its state takes "joined"; without it the timeout takes "notJoined"', async () => {
    const { db, fake, clock, engine, url } = await setup('fake');
    if (!fake) throw new Error('fake missing');
    publishJourney(
      db.sqlite,
      'g1',
      graphOf(
        [
          ['entry', 'sample.eventEntry', { event: 'wecom.contactAdded' }],
          ['invite', 'wecom.inviteToGroup', { chatIds: ['wrVIP'], state: 'vip', timeout: { amount: 1, unit: 'days' } }],
          ['joined', 'sample.end', {}],
          ['notJoined', 'sample.end', {}],
        ],
        [
          ['entry', 'next', 'invite'],
          ['invite', 'joined', 'joined'],
          ['invite', 'notJoined', 'notJoined'],
        ],
        { quietHours: { enabled: false } },
      ),
    );
    for (const ext of ['wmJOIN', 'wmSTAY']) {
      await engine.ingestEvent({
        id: `add-${ext}`,
        type: 'wecom.contactAdded',
        identities: { wecomExternalUserId: ext },
        occurredAt: new Date(clock.now()),
        data: { userId: 'zhangsan' },
      });
    }
    await engine.tick();
    expect(fake.calls('externalcontact/groupchat/add_join_way')).toHaveLength(2);
    // wmSTAY joins through another campaign's code (other state): that is not this invitation.
    for (const [ext, state] of [
      ['wmSTAY', 'other-campaign'],
      ['wmJOIN', 'vip'],
    ] as const) {
      const { query, body } = fake.callback(fake.joinChat('wrVIP', ext, state));
      expect((await fetch(`${url}?${new URLSearchParams(query)}`, { method: 'POST', body })).status).toBe(200);
    }
    expect(fake.calls('externalcontact/groupchat/get')).toHaveLength(2);
    await engine.tick();
    clock.advance(86_400_000 + 1_000);
    await engine.tick();
    const rows = all(
      db,
      `SELECT i.value ext, n.nodeId FROM Instance n JOIN CustomerIdentity i ON i.customerId = n.customerId
       WHERE n.journeyId = 'g1' ORDER BY i.value`,
    );
    expect(rows).toEqual([
      { ext: 'wmJOIN', nodeId: 'joined' },
      { ext: 'wmSTAY', nodeId: 'notJoined' },
    ]);
    // Creating the join code chose no port: only the moves (after the join / the timeout) carry one.
    expect(
      all(db, "SELECT kind, port FROM StepLog WHERE journeyId = 'g1' AND fromNodeId = 'invite' ORDER BY id").concat(
        all(db, "SELECT kind, port FROM StepLog WHERE journeyId = 'g1' AND kind = 'effect'"),
      ),
    ).toEqual([
      { kind: 'move', port: 'joined' },
      { kind: 'move', port: 'notJoined' },
      { kind: 'effect', port: null },
      { kind: 'effect', port: null },
    ]);
  });

  it('a welcome code older than 20 s is not used: the customer takes the failed port', async () => {
    const { db, fake, clock, engine } = await setup('fake');
    if (!fake) throw new Error('fake missing');
    publishJourney(db.sqlite, 'j1', welcomeJourney);
    const outcome = await engine.ingestEvent({
      id: 'evt-1',
      type: 'wecom.contactAdded',
      identities: { wecomExternalUserId: 'wmLATE' },
      occurredAt: new Date(clock.now()),
      data: { userId: 'zhangsan', welcomeCode: fake.issueWelcomeCode() },
    });
    expect(outcome.enrolled).toBe(1);
    clock.advance(21_000);
    await engine.tick();
    expect(fake.calls('externalcontact/send_welcome_msg')).toHaveLength(0);
    expect(one(db, 'SELECT count(*) n FROM Message').n).toBe(0);
    expect(one(db, "SELECT nodeId FROM Instance WHERE journeyId = 'j1'").nodeId).toBe('failed');
  });

  it('sandbox (no WeCom app configured) records the welcome in Message only', async () => {
    const { db, engine, clock, pkg } = await setup('sandbox');
    expect(pkg.webhooks).toEqual([]);
    publishJourney(db.sqlite, 'j1', welcomeJourney);
    await engine.ingestEvent({
      id: 'evt-s',
      type: 'wecom.contactAdded',
      identities: { wecomExternalUserId: 'wmSANDBOX' },
      occurredAt: new Date(clock.now()),
      data: {},
    });
    await engine.tick();
    await engine.tick();
    expect(all(db, 'SELECT provider, kind, channel, content FROM Message')).toEqual([
      { provider: 'sandbox', kind: 'welcome', channel: 'wecom', content: '您好，欢迎来到' },
    ]);
    expect(one(db, "SELECT nodeId FROM Instance WHERE journeyId = 'j1'").nodeId).toBe('done');
  });

  it('mass messages stop at the per-customer monthly limit', async () => {
    const { db, clock, pkg } = await setup('sandbox');
    db.sqlite
      .prepare(
        "INSERT INTO Customer (id, attributes, createdAt, updatedAt) VALUES ('c1', '{}', '2026-01-01', '2026-01-01')",
      )
      .run();
    const mass = pkg.executors.find((e) => e.definition.type === 'wecom.massMessage');
    if (!mass) throw new Error('no mass executor');
    const run = (key: string) =>
      mass.run(
        executorContext(
          { text: 'hi', attachments: [] },
          {
            customer: { id: 'c1', tags: [], attributes: {}, identities: { wecomExternalUserId: 'wm1' } },
            idempotencyKey: key,
            journey: { id: 'j', versionId: 'j-v1' },
            nodeId: 'mass',
            now: new Date(clock.now()),
          },
        ),
      );
    const days = new Date(
      new Date(clock.now() + 8 * 3_600_000).getUTCFullYear(),
      new Date(clock.now() + 8 * 3_600_000).getUTCMonth() + 1,
      0,
    ).getDate();
    for (let i = 0; i < days; i++) expect((await run(`k${i}`)).port).toBe('sent');
    expect((await run('k0')).data).toEqual({ duplicate: true }); // a retried step is not a new message
    await expect(run('over')).rejects.toThrow(/monthly mass-message limit/);
    expect(one(db, "SELECT count(*) n FROM Message WHERE kind = 'mass'").n).toBe(days);
  });

  it('reads the WeCom app from WECOM_* variables: all or none', () => {
    expect(wecomConfigFromEnv({})).toBeUndefined();
    expect(() => wecomConfigFromEnv({ WECOM_CORP_ID: 'ww1' })).toThrow(
      /WECOM_SECRET: must be set.*\n.*WECOM_TOKEN: must be set.*\n.*WECOM_ENCODING_AES_KEY: must be set/,
    );
    expect(() =>
      wecomConfigFromEnv({ WECOM_CORP_ID: 'a', WECOM_SECRET: 'b', WECOM_TOKEN: 'c', WECOM_ENCODING_AES_KEY: 'short' }),
    ).toThrow(/WECOM_ENCODING_AES_KEY/);
    const key = 'a'.repeat(43);
    expect(
      wecomConfigFromEnv({ WECOM_CORP_ID: 'a', WECOM_SECRET: 'b', WECOM_TOKEN: 'c', WECOM_ENCODING_AES_KEY: key }),
    ).toEqual({ corpId: 'a', secret: 'b', token: 'c', encodingAESKey: key, baseUrl: undefined });
  });
});
