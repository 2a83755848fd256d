// A local fake of the WeCom server API for tests: real HTTP on 127.0.0.1, access_token checked on
// every call, tokens that expire (42001), and the documented error codes. It also builds callbacks
// encrypted with the documented algorithm, as WeCom would post them to our webhook.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encryptMessage, signatureOf } from './crypto.ts';

export interface FakeWecomOptions {
  corpId?: string;
  secret?: string;
  token?: string;
  encodingAESKey?: string;
  /** Seconds a token lives (WeCom: 7200). */
  tokenTtlSeconds?: number;
}

interface Recorded {
  path: string;
  body: Record<string, unknown>;
  token?: string;
}

export interface FakeWecom {
  baseUrl: string;
  config: { corpId: string; secret: string; token: string; encodingAESKey: string; baseUrl: string };
  requests: Recorded[];
  /** Calls per path (including refused ones). */
  calls(path: string): Recorded[];
  /** Makes every issued token invalid, as if 7200 s had passed. */
  expireTokens(): void;
  /** The next call(s) to `path` answer this errcode. */
  failNext(path: string, errcode: number, times?: number): void;
  /** The next call to `path` answers errcode 0 with these fields instead (a reply out of contract). */
  garbleNext(path: string, fields: Record<string, unknown>): void;
  /** Issues a welcome code valid for one send, as the contact-added callback would carry it. */
  issueWelcomeCode(): string;
  /** Marks a welcome code used, as a send_welcome_msg whose answer never reached the caller would. */
  useWelcomeCode(code: string): void;
  tags: Array<{ id: string; name: string; groupName: string }>;
  markedTags: Map<string, Set<string>>;
  /**
   * A customer joins a group chat through a join way with `state`: recorded as a member (for
   * groupchat/get) and returned as the inner XML of the change_external_chat callback.
   */
  joinChat(chatId: string, externalUserId: string, state?: string): string;
  /** A member of the corp (user/get); `follow` = has customer-contact permission (get_follow_user_list). */
  addStaff(userId: string, name: string, options?: { follow?: boolean }): void;
  /** Takes a member out of the corp (user/get answers 60111, get_follow_user_list omits them). */
  removeStaff(userId: string): void;
  /** Makes an external contact known to externalcontact/get; `remarkMobiles` per staff userid. */
  addContact(externalUserId: string, name: string, remarkMobiles?: Record<string, string[]>): void;
  /** A POST callback for our webhook: query string and XML body, encrypted and signed. */
  callback(
    innerXml: string,
    options?: { timestamp?: string; nonce?: string },
  ): { query: Record<string, string>; body: string };
  /** A GET URL-verification request: query with echostr; the expected reply is `plain`. */
  verification(plain: string): Record<string, string>;
  close(): Promise<void>;
}

/** The read APIs WeCom serves with GET; every other path is POST. */
const GET_PATHS = new Set(['externalcontact/get', 'externalcontact/get_follow_user_list', 'user/get']);

const ERRMSG: Record<number, string> = {
  0: 'ok',
  40001: 'invalid secret',
  40014: 'invalid access_token',
  41001: 'access_token missing',
  42001: 'access_token expired',
  40058: 'invalid parameter',
  40068: 'invalid tagid',
  40050: 'chatid not exist',
  41051: 'externaluser has started chatting',
  41096: 'system busy, please retry',
  45033: 'api concurrent out of limit',
  45009: 'reach max api daily quota limit',
  84061: 'not external contact',
  60111: 'userid not found',
};

export async function startFakeWecom(options: FakeWecomOptions = {}): Promise<FakeWecom> {
  const corpId = options.corpId ?? 'ww1234567890abcdef';
  const secret = options.secret ?? 'fake-secret';
  const token = options.token ?? 'callbackToken';
  const encodingAESKey = options.encodingAESKey ?? randomBytes(32).toString('base64').slice(0, 43);
  const ttl = options.tokenTtlSeconds ?? 7200;
  const tokens = new Map<string, number>(); // access_token → expiry (epoch ms)
  const failures = new Map<string, number[]>();
  const garbles = new Map<string, Record<string, unknown>>();
  const welcomeCodes = new Map<string, 'fresh' | 'used'>();
  const requests: Recorded[] = [];
  const tags: FakeWecom['tags'] = [];
  const markedTags = new Map<string, Set<string>>();
  const chats = new Map<
    string,
    Array<{ userid: string; type: number; join_time: number; join_scene: number; state?: string }>
  >();
  const memberVersion = new Map<string, number>();
  const contacts = new Map<string, { name: string; remarkMobiles: Record<string, string[]> }>();
  const staff = new Map<string, { name: string; follow: boolean }>();
  let seq = 0;

  const reply = (res: ServerResponse, errcode: number, extra: Record<string, unknown> = {}) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errcode, errmsg: ERRMSG[errcode] ?? 'error', ...extra }));
  };

  const handlers: Record<string, (body: Record<string, unknown>) => [number, Record<string, unknown>?]> = {
    'externalcontact/add_contact_way': (b) => {
      if (typeof b.state === 'string' && b.state.length > 30) return [40058];
      if (![1, 2].includes(b.type as number) || !Array.isArray(b.user)) return [40058];
      return [0, { config_id: `cfg${++seq}`, qr_code: `https://fake.wecom/qr/${seq}` }];
    },
    'externalcontact/send_welcome_msg': (b) => {
      const code = b.welcome_code as string;
      const text = (b.text as { content?: string } | undefined)?.content;
      if (!code || (!text && !(b.attachments as unknown[])?.length)) return [40058];
      if (((b.attachments as unknown[] | undefined)?.length ?? 0) > 9) return [40058];
      const state = welcomeCodes.get(code);
      if (state === undefined) return [40058];
      if (state === 'used') return [41051];
      welcomeCodes.set(code, 'used');
      return [0];
    },
    'externalcontact/get_corp_tag_list': () => {
      const groups = new Map<string, Array<{ id: string; name: string }>>();
      for (const t of tags) groups.set(t.groupName, [...(groups.get(t.groupName) ?? []), { id: t.id, name: t.name }]);
      return [
        0,
        { tag_group: [...groups].map(([group_name, tag]) => ({ group_id: `g:${group_name}`, group_name, tag })) },
      ];
    },
    'externalcontact/add_corp_tag': (b) => {
      const group = b.group_name as string;
      const wanted = (b.tag as Array<{ name: string }>) ?? [];
      if (!group || wanted.length === 0) return [40058];
      const created = wanted.map((w) => {
        const tag = { id: `et${++seq}`, name: w.name, groupName: group };
        tags.push(tag);
        return { id: tag.id, name: tag.name };
      });
      return [0, { tag_group: { group_id: `g:${group}`, group_name: group, tag: created } }];
    },
    'externalcontact/mark_tag': (b) => {
      const add = (b.add_tag as string[]) ?? [];
      const remove = (b.remove_tag as string[]) ?? [];
      if (!b.userid || !b.external_userid || add.length + remove.length === 0) return [40058];
      if ([...add, ...remove].some((id) => !tags.some((t) => t.id === id))) return [40068];
      const key = `${b.userid}:${b.external_userid}`;
      const set = markedTags.get(key) ?? new Set<string>();
      for (const id of add) set.add(id);
      for (const id of remove) set.delete(id);
      markedTags.set(key, set);
      return [0];
    },
    'externalcontact/groupchat/add_join_way': (b) => {
      const chats = b.chat_id_list as string[] | undefined;
      if (!chats || chats.length === 0 || chats.length > 5) return [40058];
      if (typeof b.state === 'string' && b.state.length > 30) return [40058];
      return [0, { config_id: `join${++seq}` }];
    },
    'externalcontact/add_msg_template': (b) => {
      const ids = (b.external_userid as string[]) ?? [];
      if (!(b.text as { content?: string })?.content) return [40058];
      // Customers whose id starts with "stranger" are not contacts of the sender.
      return [0, { msgid: `msg${++seq}`, fail_list: ids.filter((id) => id.startsWith('stranger')) }];
    },
    'externalcontact/groupchat/get': (b) => {
      const members = chats.get(b.chat_id as string);
      if (!members) return [40050]; // chat does not exist
      return [0, { group_chat: { chat_id: b.chat_id, name: 'VIP 群', owner: 'zhangsan', member_list: members } }];
    },
    // GET: the query parameters arrive as the body.
    'externalcontact/get': (b) => {
      const contact = contacts.get(b.external_userid as string);
      if (contact === undefined) return [84061]; // not an external contact of the corp
      const follow_user = Object.entries(contact.remarkMobiles).map(([userid, remark_mobiles]) => ({
        userid,
        remark: '',
        description: '',
        createtime: 1_790_000_000,
        remark_mobiles,
        add_way: 1,
      }));
      return [
        0,
        { external_contact: { external_userid: b.external_userid, name: contact.name, type: 1 }, follow_user },
      ];
    },
    'externalcontact/get_follow_user_list': () => [
      0,
      { follow_user: [...staff].filter(([, m]) => m.follow).map(([userid]) => userid) },
    ],
    'user/get': (b) => {
      const member = staff.get(b.userid as string);
      if (member === undefined) return [60111];
      return [0, { userid: b.userid, name: member.name, department: [1], status: 1 }];
    },
    'externalcontact/transfer_customer': (b) => transfer(b),
    'externalcontact/resigned/transfer_customer': (b) => transfer(b),
  };
  function transfer(b: Record<string, unknown>): [number, Record<string, unknown>?] {
    const ids = (b.external_userid as string[]) ?? [];
    if (!b.handover_userid || !b.takeover_userid || ids.length === 0 || ids.length > 100) return [40058];
    return [0, { customer: ids.map((external_userid) => ({ external_userid, errcode: 0 })) }];
  }

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.replace(/^\/cgi-bin\//, '');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: Record<string, unknown> = {};
    if (req.method === 'POST') {
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        return reply(res, 47001);
      }
    }
    const accessToken = url.searchParams.get('access_token') ?? undefined;
    if (req.method === 'GET' && path !== 'gettoken') {
      const { access_token: _token, ...params } = Object.fromEntries(url.searchParams);
      body = params;
    }
    requests.push({ path, body, token: accessToken });
    if (path === 'gettoken') {
      if (url.searchParams.get('corpid') !== corpId || url.searchParams.get('corpsecret') !== secret) {
        return reply(res, 40001);
      }
      const value = `tok${++seq}-${randomBytes(6).toString('hex')}`;
      tokens.set(value, Date.now() + ttl * 1000);
      return reply(res, 0, { access_token: value, expires_in: ttl });
    }
    const handler = handlers[path];
    if (!handler || req.method !== (GET_PATHS.has(path) ? 'GET' : 'POST')) {
      res.writeHead(404);
      return res.end();
    }
    if (!accessToken) return reply(res, 41001);
    const expiry = tokens.get(accessToken);
    if (expiry === undefined) return reply(res, 40014);
    if (expiry <= Date.now()) return reply(res, 42001);
    const queued = failures.get(path);
    if (queued && queued.length > 0) return reply(res, queued.shift() as number);
    const garbled = garbles.get(path);
    if (garbled) {
      garbles.delete(path);
      return reply(res, 0, garbled);
    }
    const [errcode, extra] = handler(body);
    return reply(res, errcode, extra);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cgi-bin/`;
  const secrets = { corpId, token, encodingAESKey };

  return {
    baseUrl,
    config: { corpId, secret, token, encodingAESKey, baseUrl },
    requests,
    calls: (path) => requests.filter((r) => r.path === path),
    expireTokens: () => {
      for (const key of tokens.keys()) tokens.set(key, 0);
    },
    failNext: (path, errcode, times = 1) => {
      failures.set(path, [...(failures.get(path) ?? []), ...Array(times).fill(errcode)]);
    },
    garbleNext: (path, fields) => {
      garbles.set(path, fields);
    },
    issueWelcomeCode: () => {
      const code = `wc${++seq}${randomBytes(8).toString('hex')}`;
      welcomeCodes.set(code, 'fresh');
      return code;
    },
    useWelcomeCode: (code) => {
      welcomeCodes.set(code, 'used');
    },
    tags,
    markedTags,
    addContact: (externalUserId, name, remarkMobiles = {}) => {
      contacts.set(externalUserId, { name, remarkMobiles });
    },
    addStaff: (userId, name, options) => {
      staff.set(userId, { name, follow: options?.follow ?? true });
    },
    removeStaff: (userId) => {
      staff.delete(userId);
    },
    joinChat: (chatId, externalUserId, state) => {
      const members = chats.get(chatId) ?? [];
      const now = Math.floor(Date.now() / 1000);
      members.push({ userid: externalUserId, type: 2, join_time: now, join_scene: 3, ...(state ? { state } : {}) });
      chats.set(chatId, members);
      const version = (memberVersion.get(chatId) ?? 0) + 1;
      memberVersion.set(chatId, version);
      return `<xml><ToUserName><![CDATA[${corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>${now}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[${chatId}]]></ChatId><ChangeType><![CDATA[update]]></ChangeType><UpdateDetail><![CDATA[add_member]]></UpdateDetail><JoinScene>3</JoinScene><MemChangeCnt>1</MemChangeCnt><MemChangeList><Item><![CDATA[${externalUserId}]]></Item></MemChangeList><LastMemVer><![CDATA[v${version - 1}]]></LastMemVer><CurMemVer><![CDATA[v${version}]]></CurMemVer></xml>`;
    },
    callback: (innerXml, o = {}) => {
      const timestamp = o.timestamp ?? String(Math.floor(Date.now() / 1000));
      const nonce = o.nonce ?? randomBytes(5).toString('hex');
      const encrypted = encryptMessage(secrets, innerXml);
      const body = `<xml><ToUserName><![CDATA[${corpId}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>`;
      return { query: { msg_signature: signatureOf(token, timestamp, nonce, encrypted), timestamp, nonce }, body };
    },
    verification: (plain) => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const nonce = randomBytes(5).toString('hex');
      const echostr = encryptMessage(secrets, plain);
      return { msg_signature: signatureOf(token, timestamp, nonce, echostr), timestamp, nonce, echostr };
    },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

/** The inner XML WeCom sends when a customer adds a staff member (path/96361). */
export function contactAddedXml(input: {
  corpId: string;
  userId: string;
  externalUserId: string;
  state?: string;
  welcomeCode?: string;
  createTime?: number;
}): string {
  return `<xml><ToUserName><![CDATA[${input.corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>${input.createTime ?? Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[add_external_contact]]></ChangeType><UserID><![CDATA[${input.userId}]]></UserID><ExternalUserID><![CDATA[${input.externalUserId}]]></ExternalUserID>${input.state ? `<State><![CDATA[${input.state}]]></State>` : ''}${input.welcomeCode ? `<WelcomeCode><![CDATA[${input.welcomeCode}]]></WelcomeCode>` : ''}</xml>`;
}

/** The inner XML WeCom sends when a staff member edits a contact (its remark, noted phones…). */
export function contactEditedXml(input: {
  corpId: string;
  userId: string;
  externalUserId: string;
  createTime?: number;
}) {
  return `<xml><ToUserName><![CDATA[${input.corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>${input.createTime ?? Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[edit_external_contact]]></ChangeType><UserID><![CDATA[${input.userId}]]></UserID><ExternalUserID><![CDATA[${input.externalUserId}]]></ExternalUserID></xml>`;
}
