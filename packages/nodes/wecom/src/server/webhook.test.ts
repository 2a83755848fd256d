import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookRoute } from '@siyu/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { WecomClient } from './client.ts';
import { contactAddedXml, contactEditedXml, type FakeWecom, startFakeWecom } from './fake-wecom.ts';
import { wecomWebhooks } from './webhook.ts';

let fake: FakeWecom;
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  await fake?.close();
});

/** Serves the routes over real HTTP, as the runtime mounts them under /webhooks/wecom. */
async function serve(routes: WebhookRoute[]) {
  const received: unknown[] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const route = routes.find((r) => r.method === req.method && `/webhooks/wecom${r.path}` === url.pathname);
    if (!route) return res.writeHead(404).end();
    const result = await route.handle({
      method: req.method ?? 'GET',
      path: route.path,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers as Record<string, string>,
      body: Buffer.concat(chunks).toString('utf8'),
    });
    received.push(...result.events);
    res.writeHead(result.response.status, { 'content-type': result.response.contentType }).end(result.response.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  close = () => new Promise<void>((r) => server.close(() => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/wecom/callback`;
  return { base, received };
}

const qs = (q: Record<string, string>) => new URLSearchParams(q).toString();

describe('WeCom callback webhook over HTTP', () => {
  it('verifies the URL by decrypting echostr, and rejects a bad signature', async () => {
    fake = await startFakeWecom();
    const { base } = await serve(wecomWebhooks(fake.config));
    const ok = await fetch(`${base}?${qs(fake.verification('1616140317555161061'))}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1616140317555161061');
    const bad = await fetch(`${base}?${qs({ ...fake.verification('x'), msg_signature: 'f'.repeat(40) })}`);
    expect(bad.status).toBe(401);
    const missing = await fetch(`${base}?echostr=abc`);
    expect(missing.status).toBe(400);
    expect(await missing.text()).toMatch(/msg_signature/);
  });

  it('turns a contact-added callback into contactAdded + channel.entered, and replies "success"', async () => {
    fake = await startFakeWecom();
    const { base, received } = await serve(wecomWebhooks(fake.config));
    const xml = contactAddedXml({
      corpId: fake.config.corpId,
      userId: 'zhangsan',
      externalUserId: 'wmEXT1',
      state: 'poster-A',
      welcomeCode: 'WC1',
      createTime: 1_790_000_000,
    });
    const { query, body } = fake.callback(xml);
    const res = await fetch(`${base}?${qs(query)}`, { method: 'POST', body });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('success');
    expect(received).toEqual([
      {
        id: 'wecom:add_external_contact:zhangsan:wmEXT1:1790000000',
        type: 'wecom.contactAdded',
        identities: { wecomExternalUserId: 'wmEXT1' },
        occurredAt: new Date(1_790_000_000_000),
        data: { userId: 'zhangsan', externalUserId: 'wmEXT1', state: 'poster-A', welcomeCode: 'WC1', half: false },
      },
      expect.objectContaining({ type: 'channel.entered', data: expect.objectContaining({ code: 'poster-A' }) }),
    ]);
    // A retried delivery produces the same event ids (the engine de-duplicates them).
    const again = fake.callback(xml);
    await fetch(`${base}?${qs(again.query)}`, { method: 'POST', body: again.body });
    expect((received[2] as { id: string }).id).toBe((received[0] as { id: string }).id);
  });

  it('adds the WeCom name (externalcontact/get, GET) to contactAdded; a failed lookup still answers "success"', async () => {
    fake = await startFakeWecom();
    const client = new WecomClient(fake.config);
    fake.addContact('wmNAMED', '王芳');
    const { base, received } = await serve(wecomWebhooks(fake.config, { contact: (id) => client.externalContact(id) }));
    for (const externalUserId of ['wmNAMED', 'wmUNKNOWN']) {
      const xml = contactAddedXml({ corpId: fake.config.corpId, userId: 'zhangsan', externalUserId, createTime: 1 });
      const { query, body } = fake.callback(xml);
      const res = await fetch(`${base}?${qs(query)}`, { method: 'POST', body });
      expect(await res.text()).toBe('success');
    }
    const names = received.map((e) => (e as { data: { name?: string } }).data.name);
    expect(names).toEqual(['王芳', undefined]); // the unknown contact answers errcode 84061
    expect(fake.calls('externalcontact/get').map((c) => c.body.external_userid)).toEqual(['wmNAMED', 'wmUNKNOWN']);
  });

  it('adds the phone a staff member noted (follow_user remark_mobiles) as an identity, on add and on edit', async () => {
    fake = await startFakeWecom();
    const client = new WecomClient(fake.config);
    const { base, received } = await serve(wecomWebhooks(fake.config, { contact: (id) => client.externalContact(id) }));
    const post = async (xml: string) => {
      const { query, body } = fake.callback(xml);
      expect(await (await fetch(`${base}?${qs(query)}`, { method: 'POST', body })).text()).toBe('success');
    };
    const who = { corpId: fake.config.corpId, userId: 'zhangsan', externalUserId: 'wmP', createTime: 1 };
    fake.addContact('wmP', '王芳'); // no phone noted yet
    await post(contactAddedXml(who));
    // zhangsan's own note wins over another staff member's; notes that are not numbers are skipped.
    fake.addContact('wmP', '王芳', { lisi: ['139 0000 0001'], zhangsan: ['她不给', '137-1111-2222'] });
    await post(contactEditedXml({ ...who, createTime: 2 }));
    expect(received.map((e) => [(e as { type: string }).type, (e as { identities: object }).identities])).toEqual([
      ['wecom.contactAdded', { wecomExternalUserId: 'wmP' }],
      ['wecom.contactUpdated', { wecomExternalUserId: 'wmP', phone: '+8613711112222' }],
    ]);
  });

  it('no state → no channel event; deletes and group joins become events; unknown events are dropped', async () => {
    fake = await startFakeWecom();
    const client = new WecomClient(fake.config);
    const { base, received } = await serve(
      wecomWebhooks(fake.config, { chatMembers: (chatId) => client.groupChatMembers(chatId) }),
    );
    const post = async (xml: string) => {
      const { query, body } = fake.callback(xml);
      return fetch(`${base}?${qs(query)}`, { method: 'POST', body });
    };
    await post(contactAddedXml({ corpId: fake.config.corpId, userId: 'u', externalUserId: 'wmB' }));
    await post(
      `<xml><CreateTime>1790000001</CreateTime><MsgType>event</MsgType><Event>change_external_contact</Event><ChangeType>del_follow_user</ChangeType><UserID>u</UserID><ExternalUserID>wmB</ExternalUserID></xml>`,
    );
    await post(fake.joinChat('wrCHAT', 'wmB', 'grp'));
    await post(
      `<xml><CreateTime>1790000004</CreateTime><MsgType>event</MsgType><Event>change_external_chat</Event><ChatId>wrCHAT</ChatId><ChangeType>update</ChangeType><UpdateDetail>del_member</UpdateDetail><MemChangeList><Item>wmB</Item><Item>zhangsan</Item></MemChangeList><CurMemVer>v9</CurMemVer></xml>`,
    );
    const other = await post(
      `<xml><CreateTime>1790000003</CreateTime><MsgType>event</MsgType><Event>enter_agent</Event></xml>`,
    );
    expect(await other.text()).toBe('success');
    expect(received.map((e) => (e as { type: string }).type)).toEqual([
      'wecom.contactAdded',
      'wecom.contactDeleted',
      'wecom.groupJoined',
      'wecom.groupLeft', // staff member zhangsan leaving is not a customer event
    ]);
    expect((received[2] as { data: unknown }).data).toEqual({
      chatId: 'wrCHAT',
      externalUserId: 'wmB',
      state: 'grp',
      joinScene: 3,
    });
  });

  it('rejects a tampered body, a wrong signature and a message for another corp', async () => {
    fake = await startFakeWecom();
    const { base, received } = await serve(wecomWebhooks(fake.config));
    const { query, body } = fake.callback(contactAddedXml({ corpId: 'x', userId: 'u', externalUserId: 'wmC' }));
    const tampered = body.replace(
      /<Encrypt><!\[CDATA\[(.)/,
      (_m, c: string) => `<Encrypt><![CDATA[${c === 'A' ? 'B' : 'A'}`,
    );
    expect((await fetch(`${base}?${qs(query)}`, { method: 'POST', body: tampered })).status).toBe(401);
    expect((await fetch(`${base}?${qs({ ...query, timestamp: '1' })}`, { method: 'POST', body })).status).toBe(401);
    expect((await fetch(`${base}?${qs(query)}`, { method: 'POST', body: 'not xml' })).status).toBe(400);
    const otherCorp = await startFakeWecom({
      encodingAESKey: fake.config.encodingAESKey,
      token: fake.config.token,
      corpId: 'wwOTHER',
    });
    const foreign = otherCorp.callback(contactAddedXml({ corpId: 'wwOTHER', userId: 'u', externalUserId: 'wmC' }));
    await otherCorp.close();
    const res = await fetch(`${base}?${qs(foreign.query)}`, { method: 'POST', body: foreign.body });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/not this corp/);
    expect(received).toEqual([]);
  });

  it('refuses a genuinely signed callback replayed outside the ±5 min window', async () => {
    fake = await startFakeWecom();
    let now = Date.parse('2026-11-23T02:00:00Z');
    const { base, received } = await serve(wecomWebhooks(fake.config, { now: () => now }));
    const signedAt = String(now / 1000);
    const { query, body } = fake.callback(
      contactAddedXml({ corpId: fake.config.corpId, userId: 'u', externalUserId: 'wmR' }),
      {
        timestamp: signedAt,
      },
    );
    now += 290_000; // a slow retry is still fine
    expect((await fetch(`${base}?${qs(query)}`, { method: 'POST', body })).status).toBe(200);
    expect(received).toHaveLength(1);
    for (const later of [301_000, 86_400_000]) {
      now = Number(signedAt) * 1000 + later;
      const replay = await fetch(`${base}?${qs(query)}`, { method: 'POST', body });
      expect(replay.status).toBe(401);
      expect(await replay.text()).toMatch(/replay window/);
    }
    now = Number(signedAt) * 1000 - 301_000; // from the future (or our clock is behind)
    expect((await fetch(`${base}?${qs(query)}`, { method: 'POST', body })).status).toBe(401);
    expect(received).toHaveLength(1);
  });
});
