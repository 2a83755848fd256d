// Customer behaviour as the outside world reports it. WeCom events go through the WeCom package's
// own callback parsers (eventsOf / chatEventsOf: what the webhook produces after decrypting), SMS
// replies and link taps through the SMS package's webhooks over HTTP, shop orders through the
// events API. Times are the simulated clock's.
import { chatEventsOf, eventsOf } from '@siyu/nodes-wecom/server';
import { callbackTokenStore } from '@siyu/runtime';
import type { JourneyEventInput } from '@siyu/shared';
import type { Playbook } from './playbook.ts';

const seconds = (at: number) => Math.floor(at / 1000);

/** A customer added staff member `userId` through a live code whose state is `state`. */
export function contactAdded(input: { externalUserId: string; userId: string; state?: string; at: number }) {
  return eventsOf({
    CreateTime: seconds(input.at),
    MsgType: 'event',
    Event: 'change_external_contact',
    ChangeType: 'add_external_contact',
    UserID: input.userId,
    ExternalUserID: input.externalUserId,
    State: input.state,
    WelcomeCode: `welcome-${input.externalUserId}-${seconds(input.at)}`,
  });
}

/** The customer deleted the staff member (del_follow_user). */
export function contactDeleted(input: { externalUserId: string; userId: string; at: number }) {
  return eventsOf({
    CreateTime: seconds(input.at),
    MsgType: 'event',
    Event: 'change_external_contact',
    ChangeType: 'del_follow_user',
    UserID: input.userId,
    ExternalUserID: input.externalUserId,
  });
}

/** The customer joined group chat `chatId` through a join code with `state`. */
export function groupJoined(input: { externalUserId: string; chatId: string; state: string; at: number }) {
  return chatEventsOf(
    {
      CreateTime: seconds(input.at),
      MsgType: 'event',
      Event: 'change_external_chat',
      ChangeType: 'update',
      ChatId: input.chatId,
      UpdateDetail: 'add_member',
      MemChangeList: { Item: input.externalUserId },
      CurMemVer: `v${input.at}`,
    },
    // groupchat/get as WeCom answers it: the member entry carries the join code's state.
    async () => [{ userId: input.externalUserId, external: true, state: input.state, joinScene: 3 }],
  );
}

/** "2026-03-02 10:00:00" in China time, the form SMS providers use in callbacks. */
export function chinaTimeText(at: number): string {
  return new Date(at + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Upstream SMS replies (e.g. "TD") as Aliyun posts them to /webhooks/sms/aliyun/replies, with the
 * deployment's callback token in the URL as configured in Aliyun's console.
 */
export async function smsReplies(
  book: Pick<Playbook, 'baseUrl' | 'db'>,
  replies: ReadonlyArray<{ phone: string; text: string; at: number; sequenceId: string }>,
): Promise<void> {
  const body = replies.map((r) => ({
    phone_number: r.phone,
    content: r.text,
    send_time: chinaTimeText(r.at),
    dest_code: '',
    sequence_id: r.sequenceId,
  }));
  const token = await callbackTokenStore(book.db).current();
  const res = await fetch(`${book.baseUrl}/webhooks/sms/aliyun/replies?token=${token}`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`SMS replies webhook answered ${res.status}: ${await res.text()}`);
}

/** The customer taps the tracked link in an SMS they received (the link is in the message text). */
export async function tapSmsLink(book: Pick<Playbook, 'baseUrl'>, smsText: string): Promise<void> {
  const path = /\/webhooks\/sms\/link\?c=[A-Za-z0-9_-]+/.exec(smsText)?.[0];
  if (!path) throw new Error(`no tracked link in SMS: ${smsText}`);
  // Not followed: the target is the brand's shop on the internet.
  const res = await fetch(`${book.baseUrl}${path}`, { redirect: 'manual' });
  if (res.status !== 302) throw new Error(`tracked link answered ${res.status}`);
  await res.text();
}

/** A scan of a printed QR code pointing at /r/<code> (anonymous: counted for recall). */
export async function scanCode(book: Pick<Playbook, 'baseUrl'>, code: string): Promise<void> {
  const res = await fetch(`${book.baseUrl}/r/${encodeURIComponent(code)}`, { redirect: 'manual' });
  if (res.status !== 302) throw new Error(`/r/${code} answered ${res.status}`);
  await res.text();
}

/** An order from the shop's feed (event ids are the shop's order ids, so a re-sent feed is harmless). */
export function orderPlaced(input: {
  orderId: string;
  at: number;
  amountCents: number;
  identities?: JourneyEventInput['identities'];
  customerId?: string;
  data?: Record<string, unknown>;
}): JourneyEventInput {
  return {
    id: `order:${input.orderId}`,
    type: 'order.placed',
    customerId: input.customerId,
    identities: input.identities,
    occurredAt: new Date(input.at),
    data: { orderId: input.orderId, amountCents: input.amountCents, ...input.data },
  };
}
