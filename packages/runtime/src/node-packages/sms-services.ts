// SMS node dependencies over the runtime's database (SQLite or PostgreSQL, through the SQL port):
// every SMS is a Message row (channel 'sms') claimed under its idempotency key before the provider
// call, so a retried step never sends twice; opt-outs in OptOut; tracked link codes in
// TrackedLink. The provider comes from SMS_* environment variables; without them the nodes run
// with the SANDBOX provider (the default: records only).
import {
  type AliyunSmsConfig,
  aliyunProvider,
  type SmsMessageRecord,
  type SmsProvider,
  type SmsServerDeps,
  type SmsTemplateRecord,
  sandboxProvider,
  type TencentSmsConfig,
  tencentProvider,
} from '@siyu/nodes-sms/server';
import { HttpUrlSchema } from '@siyu/shared';
import { z } from 'zod';
import type { AppDatabase } from '../db/app-database.ts';
import { isoDate } from '../db/iso-date.ts';
import type { Clock } from '../engine/api.ts';
import { type Env, parseEnv, requireVariables } from '../env.ts';
import type { Logger } from '../logger.ts';
import { callbackTokenStore } from './callback-token.ts';

const SmsEnvSchema = z.object({
  SMS_PROVIDER: z.enum(['sandbox', 'aliyun', 'tencent']).default('sandbox'),
  ALIYUN_ACCESS_KEY_ID: z.string().min(1).optional(),
  ALIYUN_ACCESS_KEY_SECRET: z.string().min(1).optional(),
  ALIYUN_SMS_ENDPOINT: HttpUrlSchema.optional(),
  TENCENT_SECRET_ID: z.string().min(1).optional(),
  TENCENT_SECRET_KEY: z.string().min(1).optional(),
  TENCENT_SMS_SDK_APP_ID: z.string().min(1).optional(),
  TENCENT_SMS_REGION: z.string().min(1).optional(),
  TENCENT_SMS_ENDPOINT: HttpUrlSchema.optional(),
  SMS_PER_NUMBER_DAILY_LIMIT: z.coerce.number().int().positive().optional(),
  // How long a send whose answer was lost waits for the provider's records before it counts as not
  // sent and goes again (the providers list a send with a delay; their defaults are minutes).
  SMS_QUERY_SETTLE_MS: z.coerce.number().int().min(1000).max(3_600_000).optional(),
  PUBLIC_URL: HttpUrlSchema.optional(),
});

/** The SMS provider settings from the environment, validated; names the variable that is wrong. */
export function smsProviderFromEnv(
  env: Env,
  fetchImpl?: typeof fetch,
): { provider: SmsProvider; perNumberLimit?: number; linkBaseUrl?: string } {
  const what = 'SMS configuration';
  const e = parseEnv(SmsEnvSchema, env, { what, secrets: ['ALIYUN_ACCESS_KEY_SECRET', 'TENCENT_SECRET_KEY'] });
  const need = (...keys: Array<keyof typeof e>) =>
    requireVariables(e, keys, `SMS_PROVIDER=${e.SMS_PROVIDER} needs it`, { what });
  let provider: SmsProvider = sandboxProvider();
  if (e.SMS_PROVIDER === 'aliyun') {
    need('ALIYUN_ACCESS_KEY_ID', 'ALIYUN_ACCESS_KEY_SECRET');
    const config: AliyunSmsConfig = {
      accessKeyId: e.ALIYUN_ACCESS_KEY_ID as string,
      accessKeySecret: e.ALIYUN_ACCESS_KEY_SECRET as string,
      endpoint: e.ALIYUN_SMS_ENDPOINT,
      querySettleMs: e.SMS_QUERY_SETTLE_MS,
    };
    provider = aliyunProvider(config, fetchImpl);
  } else if (e.SMS_PROVIDER === 'tencent') {
    need('TENCENT_SECRET_ID', 'TENCENT_SECRET_KEY', 'TENCENT_SMS_SDK_APP_ID');
    const config: TencentSmsConfig = {
      secretId: e.TENCENT_SECRET_ID as string,
      secretKey: e.TENCENT_SECRET_KEY as string,
      smsSdkAppId: e.TENCENT_SMS_SDK_APP_ID as string,
      region: e.TENCENT_SMS_REGION,
      endpoint: e.TENCENT_SMS_ENDPOINT,
      statusSettleMs: e.SMS_QUERY_SETTLE_MS,
    };
    provider = tencentProvider(config, fetchImpl);
  }
  return {
    provider,
    perNumberLimit: e.SMS_PER_NUMBER_DAILY_LIMIT,
    linkBaseUrl: e.PUBLIC_URL ? new URL('/webhooks/sms/link', e.PUBLIC_URL).toString() : undefined,
  };
}

interface MessageRow {
  idempotencyKey: string;
  customerId: string | null;
  provider: string;
  kind: string;
  recipient: string;
  content: string;
  parts: number;
  status: string;
  providerMessageId: string | null;
  journeyId: string | null;
  nodeId: string | null;
  sentAt: number | bigint;
}

export function createSmsServices(deps: {
  db: Pick<AppDatabase, 'sql'>;
  clock: Clock;
  logger: Logger;
  /** Overrides the environment's provider (tests point this at the fake servers). */
  provider?: SmsProvider;
  perNumberLimit?: number;
  linkBaseUrl?: string;
  env?: Record<string, string | undefined>;
}): SmsServerDeps {
  const { sql } = deps.db;
  const fromEnv = deps.provider ? undefined : smsProviderFromEnv(deps.env ?? process.env);
  const provider = deps.provider ?? fromEnv?.provider ?? sandboxProvider();
  deps.logger.info({ provider: provider.name }, 'SMS nodes configured');
  const iso = () => isoDate(deps.clock.now());
  const tokens = callbackTokenStore(deps.db, () => deps.clock.now());
  // Generated at first start, so an admin can read the callback URLs at once (reading them makes
  // it too, so a failure here only delays it).
  tokens.current().catch((error: unknown) => {
    deps.logger.warn({ err: error }, 'SMS callback token not created at start-up; it is made when first read');
  });

  // The claim is this one statement: of two runs of a step (a retry, another worker) exactly one inserts.
  const insertClaim = `INSERT INTO Message (idempotencyKey, customerId, channel, provider, kind, recipient, content,
       parts, status, journeyId, nodeId, sentAt)
     VALUES (?, ?, 'sms', ?, ?, ?, ?, ?, 'sending', ?, ?, ?)
     ON CONFLICT (idempotencyKey) DO NOTHING`;
  // Only a message still 'sent' takes a receipt: a duplicate receipt finds it final and changes
  // nothing. The outer `status = 'sent'` matters on PostgreSQL: of two receipts racing for the row,
  // the second re-checks it after the first commits and updates nothing.
  const receipt = `UPDATE Message SET status = ?, deliveredAt = ?, error = ?
     WHERE status = 'sent' AND id = (SELECT id FROM Message
                 WHERE channel = 'sms' AND provider = ? AND providerMessageId = ? AND status = 'sent' LIMIT 1)
     RETURNING customerId, idempotencyKey`;
  // A message marked sent from a lookup has no provider id yet: the receipt's out_id finds it.
  const receiptByOutId = `UPDATE Message SET status = ?, deliveredAt = ?, error = ?, providerMessageId = ?
     WHERE idempotencyKey = ? AND channel = 'sms' AND provider = ? AND status = 'sent'
       AND providerMessageId IS NULL
     RETURNING customerId, idempotencyKey`;
  // One link per message (messageKey is unique): a retried step keeps the code of its first attempt.
  const linkOf = async (messageKey: string) =>
    sql.get<{ code: string }>('SELECT code FROM TrackedLink WHERE messageKey = ?', [messageKey]);

  const toRecord = (r: MessageRow): SmsMessageRecord => ({
    idempotencyKey: r.idempotencyKey,
    customerId: r.customerId ?? '',
    provider: r.provider,
    kind: r.kind === 'marketing' ? 'marketing' : 'notice',
    recipient: r.recipient,
    content: r.content,
    parts: r.parts,
    status: r.status as SmsMessageRecord['status'],
    providerMessageId: r.providerMessageId ?? undefined,
    journeyId: r.journeyId ?? '',
    nodeId: r.nodeId ?? '',
    sentAt: Number(r.sentAt),
  });

  return {
    provider,
    perNumberLimit: deps.perNumberLimit ?? fromEnv?.perNumberLimit,
    linkBaseUrl: deps.linkBaseUrl ?? fromEnv?.linkBaseUrl,
    now: () => deps.clock.now(),
    async claimMessage(m) {
      const inserted = await sql.run(insertClaim, [
        m.idempotencyKey,
        m.customerId,
        m.provider,
        m.kind,
        m.recipient,
        m.content,
        m.parts,
        m.journeyId,
        m.nodeId,
        m.sentAt,
      ]);
      if (inserted.changes === 1) return { claimed: true };
      const existing = await sql.get<MessageRow>('SELECT * FROM Message WHERE idempotencyKey = ?', [m.idempotencyKey]);
      if (!existing) throw new Error(`Message ${m.idempotencyKey} neither inserted nor found`);
      return { claimed: false, existing: toRecord(existing) };
    },
    async markSent(key, providerMessageId) {
      await sql.run(
        "UPDATE Message SET status = 'sent', providerMessageId = ? WHERE idempotencyKey = ? AND status = 'sending'",
        [providerMessageId ?? null, key],
      );
    },
    async releaseClaim(key) {
      await sql.run("DELETE FROM Message WHERE idempotencyKey = ? AND status = 'sending'", [key]);
    },
    async applyReceipt(providerName, id, r) {
      const status = r.delivered ? 'delivered' : 'failed';
      const error = r.error ?? null;
      type Applied = { customerId: string | null; idempotencyKey: string };
      const row =
        (await sql.get<Applied>(receipt, [status, r.at, error, providerName, id])) ??
        (r.outId
          ? await sql.get<Applied>(receiptByOutId, [status, r.at, error, id, r.outId, providerName])
          : undefined);
      if (!row) return { applied: false };
      return { applied: true, customerId: row.customerId ?? undefined, idempotencyKey: row.idempotencyKey };
    },
    async countSentTo(phone, since) {
      const row = await sql.get<{ n: number }>(
        "SELECT count(*) AS n FROM Message WHERE channel = 'sms' AND recipient = ? AND sentAt >= ?",
        [phone, since],
      );
      return row?.n ?? 0;
    },
    async isOptedOut(phone) {
      return (await sql.get("SELECT address FROM OptOut WHERE channel = 'sms' AND address = ?", [phone])) !== undefined;
    },
    async optOut(phone, reason) {
      const inserted = await sql.run(
        `INSERT INTO OptOut (channel, address, customerId, reason, createdAt)
         VALUES ('sms', ?, (SELECT customerId FROM CustomerIdentity WHERE kind = 'phone' AND value = ?), ?, ?)
         ON CONFLICT (channel, address) DO NOTHING`,
        [phone, phone, reason, iso()],
      );
      return inserted.changes === 1;
    },
    async saveTrackedLink(l) {
      const existing = await linkOf(l.messageKey);
      if (existing) return existing;
      await sql.run(
        'INSERT INTO TrackedLink (code, messageKey, customerId, url, createdAt) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
        [l.code, l.messageKey, l.customerId, l.url, iso()],
      );
      const stored = await linkOf(l.messageKey);
      if (!stored) throw new Error(`TrackedLink for ${l.messageKey} neither inserted nor found`);
      return stored;
    },
    async callbackToken() {
      return tokens.current();
    },
    async findTrackedLink(code) {
      return sql.get<{ customerId: string; url: string }>('SELECT customerId, url FROM TrackedLink WHERE code = ?', [
        code,
      ]);
    },
    async findTemplate(id) {
      const row = await sql.get<SmsTemplateRecord>(
        'SELECT id, name, provider, signName, templateCode, text, kind FROM SmsTemplate WHERE id = ?',
        [id],
      );
      return row ? { ...row, kind: row.kind === 'marketing' ? 'marketing' : 'notice' } : undefined;
    },
    async couponCodeFor(customerId, stockId) {
      // The latest one issued (a coupon still being reserved has no code the customer could use).
      const row = await sql.get<{ id: string }>(
        `SELECT id FROM Coupon WHERE customerId = ? AND stockId = ? AND status IN ('sent', 'used')
         ORDER BY issuedAt DESC, id DESC LIMIT 1`,
        [customerId, stockId],
      );
      return row?.id;
    },
  };
}
