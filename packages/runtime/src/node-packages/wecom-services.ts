// WeCom node dependencies over the runtime's database (SQLite or PostgreSQL, through the SQL port):
// messages in Message (channel 'wecom', keyed by the idempotency key so a retried step never
// records twice), welcome codes read back from the stored `wecom.contactAdded` events, tags
// mirrored onto CustomerTag. The WeCom app comes from WECOM_* environment variables; without them
// the nodes run in SANDBOX mode (the default).
import type { WecomAppConfig, WecomServerDeps } from '@siyu/nodes-wecom/server';
import { HttpUrlSchema } from '@siyu/shared';
import { z } from 'zod';
import type { AppDatabase } from '../db/app-database.ts';
import type { Clock } from '../engine/api.ts';
import { type Env, parseEnv, requireVariables } from '../env.ts';
import type { Logger } from '../logger.ts';
import { customerTagWriter } from './customer-tags.ts';

const WecomEnvSchema = z.object({
  WECOM_CORP_ID: z.string().min(1).optional(),
  WECOM_SECRET: z.string().min(1).optional(),
  WECOM_TOKEN: z.string().min(1).optional(),
  WECOM_ENCODING_AES_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}$/, 'must be the 43-character EncodingAESKey')
    .optional(),
  WECOM_BASE_URL: HttpUrlSchema.optional(),
});

/** The WeCom app from the environment: all of corp id, secret, token and AES key, or none (sandbox). */
export function wecomConfigFromEnv(env: Env): WecomAppConfig | undefined {
  const what = 'WeCom configuration';
  const e = parseEnv(WecomEnvSchema, env, { what, secrets: ['WECOM_SECRET', 'WECOM_TOKEN', 'WECOM_ENCODING_AES_KEY'] });
  const required = ['WECOM_CORP_ID', 'WECOM_SECRET', 'WECOM_TOKEN', 'WECOM_ENCODING_AES_KEY'] as const;
  if (required.every((k) => !e[k])) return undefined;
  requireVariables(e, required, 'the WeCom app needs all four or none', { what });
  return {
    corpId: e.WECOM_CORP_ID as string,
    secret: e.WECOM_SECRET as string,
    token: e.WECOM_TOKEN as string,
    encodingAESKey: e.WECOM_ENCODING_AES_KEY as string,
    baseUrl: e.WECOM_BASE_URL,
  };
}

const ContactAddedData = z.looseObject({
  welcomeCode: z.string().nullish(),
  userId: z.string().nullish(),
});

export function createWecomServices(deps: {
  db: Pick<AppDatabase, 'sql'>;
  clock: Clock;
  logger: Logger;
  /** Overrides the environment (tests point this at the fake WeCom server). */
  wecom?: WecomAppConfig | null;
  env?: Record<string, string | undefined>;
  fetch?: typeof fetch;
}): WecomServerDeps {
  const { sql } = deps.db;
  const config = deps.wecom === undefined ? wecomConfigFromEnv(deps.env ?? process.env) : (deps.wecom ?? undefined);
  deps.logger.info({ mode: config ? 'wecom' : 'sandbox' }, 'WeCom nodes configured');
  const writeTags = customerTagWriter(sql, deps.clock);

  return {
    config,
    fetch: deps.fetch,
    async latestContactAdded(customerId) {
      const row = await sql.get<{ data: string; occurredAt: number }>(
        `SELECT data, occurredAt FROM Event WHERE customerId = ? AND type = 'wecom.contactAdded'
         ORDER BY occurredAt DESC, id DESC LIMIT 1`,
        [customerId],
      );
      if (!row) return undefined;
      const data = ContactAddedData.safeParse(JSON.parse(row.data));
      if (!data.success) return { at: Number(row.occurredAt) };
      return {
        welcomeCode: data.data.welcomeCode ?? undefined,
        userId: data.data.userId ?? undefined,
        at: Number(row.occurredAt),
      };
    },
    async hasMessage(idempotencyKey) {
      return (await sql.get('SELECT id FROM Message WHERE idempotencyKey = ?', [idempotencyKey])) !== undefined;
    },
    async recordMessage(m) {
      // Keyed by the step's idempotency key: a retried step records nothing twice.
      await sql.run(
        `INSERT INTO Message (idempotencyKey, customerId, channel, provider, kind, recipient, content,
           providerMessageId, journeyId, nodeId, sentAt)
         VALUES (?, ?, 'wecom', ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (idempotencyKey) DO NOTHING`,
        [
          m.idempotencyKey,
          m.customerId,
          m.provider,
          m.kind,
          m.recipient,
          m.content,
          m.providerMessageId ?? null,
          m.journeyId,
          m.nodeId,
          m.sentAt,
        ],
      );
    },
    async countMassMessages(customerId, from, to) {
      const row = await sql.get<{ n: number }>(
        `SELECT count(*) AS n FROM Message
         WHERE customerId = ? AND channel = 'wecom' AND kind = 'mass' AND sentAt >= ? AND sentAt < ?`,
        [customerId, from, to],
      );
      return row?.n ?? 0;
    },
    async applyTags(customerId, add, remove, source) {
      await writeTags(customerId, add, remove, source);
    },
  };
}
