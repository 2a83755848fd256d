// Server half of the WeCom nodes: executors (real WeCom API, or the SANDBOX that only records
// messages when no WeCom app is configured — the default) and the callback webhook.
import {
  type CustomerView,
  defineExecutor,
  PermanentError,
  type ServerNodePackage,
  type WebhookRoute,
} from '@siyu/shared';
import { inviteToGroup, markTags, massMessage, WELCOME_CODE_TTL_MS, welcome } from '../index.ts';
import { renderTemplate } from '../template.ts';
import { WecomApiError, type WecomAppConfig, WecomClient } from './client.ts';
import { wecomWebhooks } from './webhook.ts';

export {
  type CorpTag,
  toEngineError,
  WECOM_BASE_URL,
  WecomApiError,
  type WecomAppConfig,
  WecomClient,
} from './client.ts';
export { decryptMessage, encryptMessage, isValidSignature, signatureOf } from './crypto.ts';
export { type ChatMembersLookup, chatEventsOf, eventsOf, wecomWebhooks } from './webhook.ts';

export interface WecomMessageRecord {
  idempotencyKey: string;
  customerId: string;
  kind: 'welcome' | 'mass';
  provider: 'wecom' | 'sandbox';
  recipient: string;
  content: string;
  providerMessageId?: string;
  journeyId: string;
  nodeId: string;
  sentAt: number;
}

/** What the runtime provides (over SQLite or PostgreSQL); declared here so this package never imports it. */
export interface WecomServerDeps {
  /** The WeCom app; undefined → SANDBOX mode (messages recorded in the Message table only). */
  config?: WecomAppConfig;
  /**
   * The customer's latest `wecom.contactAdded` event: its welcome code (valid 20 s from `at`) and
   * the staff member they added (used when the customer has no ownerUserId yet).
   */
  latestContactAdded(customerId: string): Promise<{ welcomeCode?: string; userId?: string; at: number } | undefined>;
  /** True if a message with this idempotency key was already recorded (a retry after success). */
  hasMessage(idempotencyKey: string): Promise<boolean>;
  /** Records a sent message (channel 'wecom'); a duplicate key is ignored. */
  recordMessage(message: WecomMessageRecord): Promise<void>;
  /** Mass messages recorded for the customer with sentAt in [from, to). */
  countMassMessages(customerId: string, from: number, to: number): Promise<number>;
  /** Mirrors WeCom tags onto the customer's own tags so branches can test them. */
  applyTags(customerId: string, add: string[], remove: string[], source: string): Promise<void>;
  /** Per customer per month; default: the number of days in the month (WeCom's default). */
  massMessageMonthlyLimit?: number;
  fetch?: typeof fetch;
}

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The calendar month (China time, no DST) around `now`: [start, end) in epoch ms, and its days. */
export function chinaMonth(now: number): { from: number; to: number; days: number } {
  const local = new Date(now + CHINA_OFFSET_MS);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth();
  const from = Date.UTC(y, m, 1) - CHINA_OFFSET_MS;
  const to = Date.UTC(y, m + 1, 1) - CHINA_OFFSET_MS;
  return { from, to, days: Math.round((to - from) / 86_400_000) };
}

function externalIdOf(customer: CustomerView): string {
  const id = customer.identities.wecomExternalUserId;
  if (!id) throw new PermanentError('customer has no WeCom external_userid', { code: 'noWecomContact' });
  return id;
}

export function createWecomServerPackage(deps: WecomServerDeps): ServerNodePackage {
  const client = deps.config ? new WecomClient(deps.config, { fetch: deps.fetch }) : undefined;
  const provider = client ? 'wecom' : 'sandbox';

  const welcomeExecutor = defineExecutor(welcome, async (ctx) => {
    if (await deps.hasMessage(ctx.idempotencyKey)) return { port: 'sent', data: { duplicate: true } };
    const content = renderTemplate(ctx.config.text, ctx.customer);
    const recipient = ctx.customer.identities.wecomExternalUserId ?? ctx.customer.id;
    const found = await deps.latestContactAdded(ctx.customer.id);
    if (client) {
      externalIdOf(ctx.customer);
      if (!found?.welcomeCode)
        throw new PermanentError('no welcome code: the customer did not just add a staff member', {
          code: 'noWelcomeCode',
        });
      // On a re-run (after a crash or a lost answer) our earlier attempt may have used the code in
      // time: WeCom answers that (41051, below) even after 20 s, so only a first attempt checks here.
      // UNCONFIRMED: the errcode WeCom gives an expired, unused code; whatever it is, it is permanent.
      if (ctx.attempt === 1 && ctx.now.getTime() - found.at > WELCOME_CODE_TTL_MS) {
        throw new PermanentError('the welcome code expired (20 s after the contact was added)', {
          code: 'welcomeCodeExpired',
        });
      }
      try {
        await client.sendWelcome(
          { welcomeCode: found.welcomeCode, text: content, attachments: ctx.config.attachments },
          ctx.signal,
        );
      } catch (error) {
        // 41051 on a re-run means our earlier attempt reached WeCom before we could record it
        // (attempts count from their start, so a run after a crash is attempt 2 or later).
        const cause = (error as Error).cause;
        if (ctx.attempt > 1 && cause instanceof WecomApiError && cause.errcode === 41051) {
          // fall through and record it as sent
        } else throw error;
      }
    }
    await deps.recordMessage({
      idempotencyKey: ctx.idempotencyKey,
      customerId: ctx.customer.id,
      kind: 'welcome',
      provider,
      recipient,
      content,
      journeyId: ctx.journey.id,
      nodeId: ctx.nodeId,
      sentAt: ctx.now.getTime(),
    });
    return { port: 'sent', data: { provider } };
  });

  const markTagsExecutor = defineExecutor(markTags, async (ctx) => {
    const { add, remove, groupName } = ctx.config;
    if (client) {
      const userId = ctx.customer.ownerUserId ?? (await deps.latestContactAdded(ctx.customer.id))?.userId;
      if (!userId) throw new PermanentError('customer has no owning staff member (ownerUserId)', { code: 'noOwner' });
      const externalUserId = externalIdOf(ctx.customer);
      const ids = await client.ensureTags(groupName, add);
      const existing = remove.length > 0 ? await client.corpTags() : [];
      const removeIds = existing.filter((t) => t.groupName === groupName && remove.includes(t.name)).map((t) => t.id);
      const addIds = add.map((name) => ids.get(name)).filter((id): id is string => id !== undefined);
      await client.markTag({ userId, externalUserId, add: addIds, remove: removeIds });
    }
    await deps.applyTags(ctx.customer.id, add, remove, `journey:${ctx.journey.id}`);
    return { port: 'next', data: { provider } };
  });

  const inviteExecutor = defineExecutor(inviteToGroup, async (ctx) => {
    if (!client) return { port: 'joined', data: { provider, state: ctx.config.state } };
    const way = await client.addJoinWay({ chatIds: ctx.config.chatIds, state: ctx.config.state, remark: ctx.nodeId });
    return { port: 'joined', data: { provider, state: ctx.config.state, configId: way.configId } };
  });

  const massExecutor = defineExecutor(massMessage, async (ctx) => {
    if (await deps.hasMessage(ctx.idempotencyKey)) return { port: 'sent', data: { duplicate: true } };
    const month = chinaMonth(ctx.now.getTime());
    const limit = deps.massMessageMonthlyLimit ?? month.days;
    if ((await deps.countMassMessages(ctx.customer.id, month.from, month.to)) >= limit) {
      throw new PermanentError(`monthly mass-message limit (${limit}) reached for this customer`, {
        code: 'monthlyLimit',
      });
    }
    const content = renderTemplate(ctx.config.text, ctx.customer);
    let providerMessageId: string | undefined;
    if (client) {
      const externalUserId = externalIdOf(ctx.customer);
      const sender =
        ctx.config.sender ?? ctx.customer.ownerUserId ?? (await deps.latestContactAdded(ctx.customer.id))?.userId;
      const task = await client.addMsgTemplate({
        sender,
        externalUserIds: [externalUserId],
        text: content,
        attachments: ctx.config.attachments,
      });
      if (task.failList.includes(externalUserId)) {
        throw new PermanentError('WeCom refused the customer (fail_list): not a contact of the sender or over limit', {
          code: 'failList',
        });
      }
      providerMessageId = task.msgId;
    }
    await deps.recordMessage({
      idempotencyKey: ctx.idempotencyKey,
      customerId: ctx.customer.id,
      kind: 'mass',
      provider,
      recipient: ctx.customer.identities.wecomExternalUserId ?? ctx.customer.id,
      content,
      providerMessageId,
      journeyId: ctx.journey.id,
      nodeId: ctx.nodeId,
      sentAt: ctx.now.getTime(),
    });
    return { port: 'sent', data: { provider, msgId: providerMessageId } };
  });

  const webhooks: WebhookRoute[] =
    deps.config && client
      ? wecomWebhooks(deps.config, {
          chatMembers: (chatId) => client.groupChatMembers(chatId),
          contact: (externalUserId) => client.externalContact(externalUserId),
        })
      : [];
  return {
    name: 'wecom',
    executors: [welcomeExecutor, markTagsExecutor, inviteExecutor, massExecutor],
    webhooks,
  };
}
