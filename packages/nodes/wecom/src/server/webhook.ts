// The WeCom callback URL (path/91144): GET verifies the URL by decrypting echostr, POST carries
// encrypted XML events. Only events with a customer become journey events; the rest are answered
// "success" and dropped. Provider retries are harmless: event ids are derived from the payload.
import {
  type JourneyEventInput,
  normalizePhone,
  SIGNED_TIMESTAMP_WINDOW_SECONDS,
  signedTimestampFresh,
  type WebhookRequest,
  type WebhookResult,
  type WebhookRoute,
} from '@siyu/shared';
import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import type { ExternalContact, GroupMember } from './client.ts';
import { type CallbackSecrets, decryptMessage, isValidSignature } from './crypto.ts';

const xml = new XMLParser({ parseTagValue: false, trimValues: true });

const Query = z.object({
  msg_signature: z.string().min(1),
  timestamp: z.string().min(1),
  nonce: z.string().min(1),
});

const Envelope = z.object({ xml: z.object({ Encrypt: z.string().min(1) }) });

const Callback = z.looseObject({
  ToUserName: z.string().optional(),
  CreateTime: z.coerce.number(),
  MsgType: z.string(),
  Event: z.string().optional(),
  ChangeType: z.string().optional(),
  UserID: z.string().optional(),
  ExternalUserID: z.string().optional(),
  State: z.string().optional(),
  WelcomeCode: z.string().optional(),
  ChatId: z.string().optional(),
  UpdateDetail: z.string().optional(),
  JoinScene: z.coerce.number().optional(),
  MemChangeCnt: z.coerce.number().optional(),
  MemChangeList: z.object({ Item: z.union([z.string(), z.array(z.string())]) }).optional(),
  CurMemVer: z.string().optional(),
});
type Callback = z.infer<typeof Callback>;

const text = (status: number, body: string): WebhookResult['response'] => ({
  status,
  contentType: 'text/plain; charset=utf-8',
  body,
});

/** Journey events for one decrypted callback (possibly none). */
export function eventsOf(cb: Callback): JourneyEventInput[] {
  const occurredAt = new Date(cb.CreateTime * 1000);
  const external = cb.ExternalUserID;
  if (cb.Event === 'change_external_contact' && external) {
    const base = `wecom:${cb.ChangeType}:${cb.UserID ?? ''}:${external}:${cb.CreateTime}`;
    const identities = { wecomExternalUserId: external };
    if (cb.ChangeType === 'add_external_contact' || cb.ChangeType === 'add_half_external_contact') {
      const events: JourneyEventInput[] = [
        {
          id: base,
          type: 'wecom.contactAdded',
          identities,
          occurredAt,
          data: {
            userId: cb.UserID,
            externalUserId: external,
            state: cb.State ?? null,
            welcomeCode: cb.WelcomeCode ?? null,
            half: cb.ChangeType === 'add_half_external_contact',
          },
        },
      ];
      if (cb.State) {
        events.push({
          id: `${base}:channel`,
          type: 'channel.entered',
          identities,
          occurredAt,
          data: { code: cb.State, source: 'wecom', userId: cb.UserID },
        });
      }
      return events;
    }
    if (cb.ChangeType === 'edit_external_contact') {
      // A staff member edited the contact (e.g. noted the customer's phone): the details lookup
      // adds the phone, and the engine joins this contact with the customer who has that phone.
      return [
        {
          id: base,
          type: 'wecom.contactUpdated',
          identities,
          occurredAt,
          data: { userId: cb.UserID, externalUserId: external },
        },
      ];
    }
    if (cb.ChangeType === 'del_external_contact' || cb.ChangeType === 'del_follow_user') {
      return [
        {
          id: base,
          type: 'wecom.contactDeleted',
          identities,
          occurredAt,
          data: {
            userId: cb.UserID,
            externalUserId: external,
            by: cb.ChangeType === 'del_follow_user' ? 'customer' : 'staff',
          },
        },
      ];
    }
    return [];
  }
  return [];
}

/** Reads a group chat's members (groupchat/get); the join callback does not say who used which code. */
export type ChatMembersLookup = (chatId: string) => Promise<GroupMember[]>;
/** An external contact's WeCom profile (externalcontact/get): name and the phones staff noted. */
export type ContactLookup = (externalUserId: string) => Promise<Pick<ExternalContact, 'name' | 'followUsers'>>;

/** What the callback handler may ask WeCom about (absent in tests of the callback alone). */
export interface CallbackLookups {
  chatMembers?: ChatMembersLookup;
  contact?: ContactLookup;
  /** Wall clock (epoch ms) for the replay window; default Date.now. */
  now?: () => number;
}

/** How far a callback's signed `timestamp` may be from our clock (a replay inside it is harmless: event ids come from the payload). */
export const REPLAY_WINDOW_SECONDS = SIGNED_TIMESTAMP_WINDOW_SECONDS;

/** A details lookup may not hold the callback long: WeCom wants an answer within 5 s. */
const CONTACT_LOOKUP_MS = 2000;

/**
 * The customer's phone as the staff member of the event noted it (else any staff member), the
 * first remark that is a phone number at all; staff type these by hand.
 */
function notedPhone(contact: Pick<ExternalContact, 'followUsers'>, userId: unknown): string | undefined {
  const own = contact.followUsers.filter((f) => f.userId === userId);
  const others = contact.followUsers.filter((f) => f.userId !== userId);
  for (const f of [...own, ...others]) {
    for (const mobile of f.remarkMobiles) {
      const phone = normalizePhone(mobile);
      if (phone.ok) return phone.e164;
    }
  }
  return undefined;
}

/**
 * Adds what WeCom knows of the customer to contact-added and contact-updated events: the WeCom
 * name (greetings use it) and, as an identity, a phone a staff member noted — so the contact
 * becomes the same customer as the one imported or messaged with that phone. Best effort: a
 * slow or failed lookup leaves the event as it was rather than failing the callback.
 */
async function withContactDetails(events: JourneyEventInput[], lookup?: ContactLookup): Promise<void> {
  if (!lookup) return;
  for (const event of events) {
    const external = event.data?.externalUserId;
    if (event.type !== 'wecom.contactAdded' && event.type !== 'wecom.contactUpdated') continue;
    if (typeof external !== 'string') continue;
    const contact = await Promise.race([
      lookup(external).catch(() => undefined),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), CONTACT_LOOKUP_MS).unref()),
    ]);
    if (!contact) continue;
    if (contact.name) event.data = { ...event.data, name: contact.name };
    const phone = notedPhone(contact, event.data?.userId);
    if (phone) event.identities = { ...event.identities, phone };
  }
}

/**
 * Group member changes (change_external_chat/update): the callback lists the changed members'
 * ids in MemChangeList; the join way's `state` is only on the member entry of groupchat/get, so a
 * join is looked up before it becomes a `wecom.groupJoined` event. Staff members are skipped.
 */
export async function chatEventsOf(cb: Callback, lookup: ChatMembersLookup | undefined): Promise<JourneyEventInput[]> {
  if (cb.Event !== 'change_external_chat' || cb.ChangeType !== 'update' || !cb.ChatId) return [];
  const changed = [cb.MemChangeList?.Item ?? []].flat();
  const occurredAt = new Date(cb.CreateTime * 1000);
  const idOf = (kind: string, member: string) =>
    `wecom:${kind}:${cb.ChatId}:${member}:${cb.CurMemVer ?? cb.CreateTime}`;
  const chatId = cb.ChatId;
  if (cb.UpdateDetail === 'del_member') {
    // External user ids start with "wm"/"wo"; staff userids are plain names.
    return changed
      .filter((id) => /^w[mo]/.test(id))
      .map((id) => ({
        id: idOf('del_member', id),
        type: 'wecom.groupLeft',
        identities: { wecomExternalUserId: id },
        occurredAt,
        data: { chatId, externalUserId: id },
      }));
  }
  if (cb.UpdateDetail !== 'add_member' || !lookup || changed.length === 0) return [];
  const members = await lookup(chatId);
  return members
    .filter((m) => m.external && changed.includes(m.userId))
    .map((m) => ({
      id: idOf('add_member', m.userId),
      type: 'wecom.groupJoined',
      identities: { wecomExternalUserId: m.userId },
      occurredAt,
      data: {
        chatId,
        externalUserId: m.userId,
        state: m.state ?? null,
        joinScene: m.joinScene ?? cb.JoinScene ?? null,
      },
    }));
}

async function handle(
  secrets: CallbackSecrets,
  request: WebhookRequest,
  lookups: CallbackLookups = {},
): Promise<WebhookResult> {
  const query = Query.safeParse(request.query);
  if (!query.success)
    return {
      response: text(400, query.error.issues.map((i) => `query ${i.path.join('.')} is missing or empty`).join('; ')),
      events: [],
    };
  const params = { msgSignature: query.data.msg_signature, timestamp: query.data.timestamp, nonce: query.data.nonce };
  if (!signedTimestampFresh(params.timestamp, (lookups.now ?? Date.now)(), REPLAY_WINDOW_SECONDS)) {
    return {
      response: text(
        401,
        `timestamp outside the ±${REPLAY_WINDOW_SECONDS} s replay window (a replayed callback, or this server's clock is off)`,
      ),
      events: [],
    };
  }

  if (request.method === 'GET') {
    const echostr = request.query.echostr;
    if (!echostr) return { response: text(400, 'echostr is missing'), events: [] };
    if (!isValidSignature(secrets, params, echostr)) return { response: text(401, 'bad msg_signature'), events: [] };
    try {
      return { response: text(200, decryptMessage(secrets, echostr)), events: [] };
    } catch (error) {
      return { response: text(400, (error as Error).message), events: [] };
    }
  }

  let envelope: z.infer<typeof Envelope>;
  try {
    envelope = Envelope.parse(xml.parse(request.body));
  } catch {
    return { response: text(400, 'body is not a WeCom <xml><Encrypt> envelope'), events: [] };
  }
  if (!isValidSignature(secrets, params, envelope.xml.Encrypt)) {
    return { response: text(401, 'bad msg_signature'), events: [] };
  }
  let callback: Callback;
  try {
    const inner = xml.parse(decryptMessage(secrets, envelope.xml.Encrypt)) as { xml?: unknown };
    callback = Callback.parse(inner.xml);
  } catch (error) {
    return { response: text(400, `bad callback: ${(error as Error).message}`), events: [] };
  }
  // A failed member lookup throws: the runtime answers 500 and WeCom delivers the callback again.
  const events = [...eventsOf(callback), ...(await chatEventsOf(callback, lookups.chatMembers))];
  await withContactDetails(events, lookups.contact);
  return { response: text(200, 'success'), events };
}

/** GET and POST on /callback → mounted at /webhooks/wecom/callback. */
export function wecomWebhooks(secrets: CallbackSecrets, lookups: CallbackLookups = {}): WebhookRoute[] {
  return [
    { method: 'GET', path: '/callback', handle: (request) => handle(secrets, request, { now: lookups.now }) },
    { method: 'POST', path: '/callback', handle: (request) => handle(secrets, request, lookups) },
  ];
}
