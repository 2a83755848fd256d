// Plain-JSON client for the WeCom server API (base https://qyapi.weixin.qq.com/cgi-bin/). WeCom
// answers HTTP 200 with an errcode; this maps the codes onto the engine's retry rules.
import { PermanentError, RetryableError } from '@siyu/shared';
import { z } from 'zod';
import { WecomUserIdSchema } from '../index.ts';

export const WECOM_BASE_URL = 'https://qyapi.weixin.qq.com/cgi-bin/';

export interface WecomAppConfig {
  corpId: string;
  /** Secret of the app with customer-contact (客户联系) permission. */
  secret: string;
  /** Callback Token and EncodingAESKey (43 chars) set on the callback URL. */
  token: string;
  encodingAESKey: string;
  /** Defaults to WECOM_BASE_URL; tests point it at a local fake. */
  baseUrl?: string;
}

/** Token errors: the cached access_token is invalid or expired, fetch a new one and try again. */
const TOKEN_ERRORS = new Set([40014, 42001]);
/** Rate limits and "system busy": try again later. */
const RATE_LIMITED = new Set([-1, 45009, 45033, 45011, 41096]);
const RATE_RETRY_MS = 60_000; // a minute block lasts 60 s (path/90454)

/** A WeCom error reply, kept as the cause of the Retryable/Permanent error thrown. */
export class WecomApiError extends Error {
  constructor(
    readonly path: string,
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`WeCom ${path} failed: errcode ${errcode} ${errmsg}`);
    this.name = 'WecomApiError';
  }
}

/** Longer than WeCom's own limit for a member's name (64): anything beyond is not a name. */
const MEMBER_NAME_MAX = 128;

const BaseReply = z.looseObject({ errcode: z.number().default(0), errmsg: z.string().default('') });
const TokenReply = z.object({ access_token: z.string().min(1), expires_in: z.number().positive() });

export interface CorpTag {
  id: string;
  name: string;
  groupName: string;
}

export interface GroupMember {
  userId: string;
  /** type 2 = external contact (a customer); 1 = staff. */
  external: boolean;
  joinScene?: number;
  state?: string;
}

export interface ExternalContact {
  name: string;
  avatar?: string;
  /** Staff members who have this customer, with the phone numbers each noted (as typed). */
  followUsers: { userId: string; remarkMobiles: string[] }[];
}

export class WecomClient {
  private token?: { value: string; expiresAt: number };
  private pendingToken?: Promise<string>;
  private readonly baseUrl: string;

  constructor(
    private readonly config: WecomAppConfig,
    private readonly options: { fetch?: typeof fetch; now?: () => number } = {},
  ) {
    this.baseUrl = (config.baseUrl ?? WECOM_BASE_URL).replace(/\/?$/, '/');
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** Cached per app; refreshed 5 minutes before it expires, or at once after a token error. */
  async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > this.now()) return this.token.value;
    this.pendingToken ??= this.fetchToken().finally(() => {
      this.pendingToken = undefined;
    });
    return this.pendingToken;
  }

  private async fetchToken(): Promise<string> {
    const url = new URL('gettoken', this.baseUrl);
    url.searchParams.set('corpid', this.config.corpId);
    url.searchParams.set('corpsecret', this.config.secret);
    const reply = await this.send('gettoken', url, { method: 'GET' });
    const token = TokenReply.parse(reply);
    this.token = { value: token.access_token, expiresAt: this.now() + (token.expires_in - 300) * 1000 };
    return token.access_token;
  }

  /** POSTs JSON to `path` with the access token; one refetch of the token on a token error. */
  async call(path: string, body: unknown, signal?: AbortSignal): Promise<z.infer<typeof BaseReply>> {
    return this.authorized(
      path,
      {},
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal,
      },
    );
  }

  /** GETs `path` with query parameters and the access token (the few read APIs that are GET). */
  async get(path: string, params: Record<string, string>, signal?: AbortSignal): Promise<z.infer<typeof BaseReply>> {
    return this.authorized(path, params, { method: 'GET', signal });
  }

  private async authorized(
    path: string,
    params: Record<string, string>,
    init: RequestInit,
  ): Promise<z.infer<typeof BaseReply>> {
    for (let attempt = 1; ; attempt++) {
      const token = await this.accessToken();
      const url = new URL(path, this.baseUrl);
      url.searchParams.set('access_token', token);
      for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
      try {
        return await this.send(path, url, init);
      } catch (error) {
        if (attempt === 1 && error instanceof WecomApiError && TOKEN_ERRORS.has(error.errcode)) {
          this.token = undefined;
          continue;
        }
        throw toEngineError(error);
      }
    }
  }

  private async send(path: string, url: URL, init: RequestInit): Promise<z.infer<typeof BaseReply>> {
    let response: Response;
    try {
      response = await (this.options.fetch ?? fetch)(url, init);
    } catch (error) {
      throw new RetryableError(`WeCom ${path}: network error ${(error as Error).message}`, { cause: error });
    }
    if (response.status >= 500 || response.status === 429) {
      throw new RetryableError(`WeCom ${path}: HTTP ${response.status}`);
    }
    if (!response.ok) throw new PermanentError(`WeCom ${path}: HTTP ${response.status}`, { code: 'http' });
    const parsed = BaseReply.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new RetryableError(`WeCom ${path}: reply is not a WeCom JSON object`);
    if (parsed.data.errcode !== 0) {
      const error = new WecomApiError(path, parsed.data.errcode, parsed.data.errmsg);
      if (path === 'gettoken') throw toEngineError(error);
      throw error;
    }
    return parsed.data;
  }

  // --- customer contact (客户联系) -------------------------------------------------------------

  /** A live code (联系我) for staff members; `state` (≤30 chars) comes back on each contact added. */
  async addContactWay(input: {
    users: string[];
    state: string;
    type?: 1 | 2;
    scene?: 1 | 2;
    skipVerify?: boolean;
    remark?: string;
  }): Promise<{ configId: string; qrCode?: string }> {
    if (input.state.length > 30) throw new PermanentError('state is longer than 30 characters', { code: 'state' });
    const reply = await this.call('externalcontact/add_contact_way', {
      type: input.type ?? (input.users.length > 1 ? 2 : 1),
      scene: input.scene ?? 2,
      state: input.state,
      user: input.users,
      skip_verify: input.skipVerify ?? true,
      remark: input.remark,
    });
    return { configId: String(reply.config_id), qrCode: reply.qr_code as string | undefined };
  }

  /** The welcome message for a welcome code; 41051 (already sent) is permanent, 41096 retryable. */
  async sendWelcome(input: { welcomeCode: string; text: string; attachments?: unknown[] }, signal?: AbortSignal) {
    await this.call(
      'externalcontact/send_welcome_msg',
      { welcome_code: input.welcomeCode, text: { content: input.text }, attachments: input.attachments ?? [] },
      signal,
    );
  }

  async corpTags(): Promise<CorpTag[]> {
    const reply = await this.call('externalcontact/get_corp_tag_list', {});
    const groups = z
      .array(z.object({ group_name: z.string(), tag: z.array(z.object({ id: z.string(), name: z.string() })) }))
      .parse(reply.tag_group ?? []);
    return groups.flatMap((g) => g.tag.map((tag) => ({ id: tag.id, name: tag.name, groupName: g.group_name })));
  }

  /** Ids of the named tags in the group, creating the missing ones (and the group) in one call. */
  async ensureTags(groupName: string, names: string[]): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    if (names.length === 0) return ids;
    for (const tag of await this.corpTags()) if (tag.groupName === groupName) ids.set(tag.name, tag.id);
    const missing = [...new Set(names)].filter((n) => !ids.has(n));
    if (missing.length > 0) {
      const reply = await this.call('externalcontact/add_corp_tag', {
        group_name: groupName,
        tag: missing.map((name) => ({ name })),
      });
      const created = z
        .object({ tag: z.array(z.object({ id: z.string(), name: z.string() })) })
        .parse(reply.tag_group ?? { tag: [] });
      for (const tag of created.tag) ids.set(tag.name, tag.id);
    }
    return ids;
  }

  async markTag(input: { userId: string; externalUserId: string; add: string[]; remove: string[] }) {
    if (input.add.length + input.remove.length === 0) return;
    await this.call('externalcontact/mark_tag', {
      userid: input.userId,
      external_userid: input.externalUserId,
      add_tag: input.add,
      remove_tag: input.remove,
    });
  }

  /** A join-group code (加入群聊) for up to 5 chats; `state` comes back on the member who joins. */
  async addJoinWay(input: { chatIds: string[]; state: string; scene?: 1 | 2; remark?: string }) {
    if (input.chatIds.length === 0 || input.chatIds.length > 5) {
      throw new PermanentError('a join way takes 1 to 5 chat ids', { code: 'chatIds' });
    }
    const reply = await this.call('externalcontact/groupchat/add_join_way', {
      scene: input.scene ?? 2,
      chat_id_list: input.chatIds,
      state: input.state,
      auto_create_room: 0,
      remark: input.remark,
    });
    return { configId: String(reply.config_id) };
  }

  /**
   * A customer's WeCom profile (externalcontact/get, path/92114): the name greetings use, and per
   * staff member who has the customer the phone numbers they noted (`follow_user[].remark_mobiles`).
   */
  async externalContact(externalUserId: string, signal?: AbortSignal): Promise<ExternalContact> {
    const reply = await this.get('externalcontact/get', { external_userid: externalUserId }, signal);
    const contact = z.object({ name: z.string(), avatar: z.string().optional() }).parse(reply.external_contact);
    const follow = z
      .array(z.looseObject({ userid: z.string(), remark_mobiles: z.array(z.string()).optional() }))
      .catch([])
      .parse(reply.follow_user ?? []);
    return {
      ...contact,
      followUsers: follow.map((f) => ({ userId: f.userid, remarkMobiles: f.remark_mobiles ?? [] })),
    };
  }

  // --- staff directory (成员) --------------------------------------------------------------------

  /** Userids of the members with customer-contact permission (externalcontact/get_follow_user_list, path/92571). */
  async followUsers(signal?: AbortSignal): Promise<string[]> {
    const reply = await this.get('externalcontact/get_follow_user_list', {}, signal);
    // Strict (a missing list too): a reply we cannot read must fail the sync, not read as "nobody",
    // which would mark every stored member inactive.
    const list = z.array(WecomUserIdSchema).safeParse(reply.follow_user);
    if (!list.success) {
      throw new RetryableError('WeCom externalcontact/get_follow_user_list: follow_user is not a list of userids');
    }
    return list.data;
  }

  /** A member's name as WeCom shows it (user/get, path/90196). */
  async member(userId: string, signal?: AbortSignal): Promise<{ userId: string; name: string }> {
    const reply = await this.get('user/get', { userid: userId }, signal);
    const parsed = z.object({ name: z.string().trim().min(1).max(MEMBER_NAME_MAX) }).safeParse(reply);
    if (!parsed.success)
      throw new PermanentError(`WeCom user/get: no readable name for ${userId}`, { code: 'badName' });
    return { userId, name: parsed.data.name };
  }

  /** Members of a customer group chat; `state` is set on members who joined through a join way. */
  async groupChatMembers(chatId: string): Promise<GroupMember[]> {
    const reply = await this.call('externalcontact/groupchat/get', { chat_id: chatId, need_name: 0 });
    const chat = z
      .object({
        member_list: z.array(
          z.object({
            userid: z.string(),
            type: z.number(),
            join_scene: z.number().optional(),
            state: z.string().optional(),
          }),
        ),
      })
      .parse(reply.group_chat);
    return chat.member_list.map((m) => ({
      userId: m.userid,
      external: m.type === 2,
      joinScene: m.join_scene,
      state: m.state,
    }));
  }

  /** A mass-message task; the staff member confirms it in the WeCom client. */
  async addMsgTemplate(input: { sender?: string; externalUserIds: string[]; text: string; attachments?: unknown[] }) {
    const reply = await this.call('externalcontact/add_msg_template', {
      chat_type: 'single',
      external_userid: input.externalUserIds,
      sender: input.sender,
      text: { content: input.text },
      attachments: input.attachments ?? [],
    });
    return { msgId: String(reply.msgid ?? ''), failList: z.array(z.string()).parse(reply.fail_list ?? []) };
  }

  /** Moves customers to another staff member (≤100 per call); `resigned` for staff who left. */
  async transferCustomers(input: {
    handoverUserId: string;
    takeoverUserId: string;
    externalUserIds: string[];
    resigned?: boolean;
    transferSuccessMsg?: string;
  }): Promise<Array<{ externalUserId: string; errcode: number }>> {
    const results: Array<{ externalUserId: string; errcode: number }> = [];
    const path = input.resigned ? 'externalcontact/resigned/transfer_customer' : 'externalcontact/transfer_customer';
    for (let i = 0; i < input.externalUserIds.length; i += 100) {
      const reply = await this.call(path, {
        handover_userid: input.handoverUserId,
        takeover_userid: input.takeoverUserId,
        external_userid: input.externalUserIds.slice(i, i + 100),
        transfer_success_msg: input.resigned ? undefined : input.transferSuccessMsg,
      });
      const customer = z
        .array(z.object({ external_userid: z.string(), errcode: z.number() }))
        .parse(reply.customer ?? []);
      results.push(...customer.map((c) => ({ externalUserId: c.external_userid, errcode: c.errcode })));
    }
    return results;
  }
}

/** Maps a WeCom error onto the engine's retry rules. */
export function toEngineError(error: unknown): Error {
  if (!(error instanceof WecomApiError)) return error as Error;
  if (RATE_LIMITED.has(error.errcode)) {
    return new RetryableError(error.message, {
      cause: error,
      retryAfterMs: error.errcode === 41096 ? 2_000 : RATE_RETRY_MS,
    });
  }
  return new PermanentError(error.message, { cause: error, code: `wecom.${error.errcode}` });
}
