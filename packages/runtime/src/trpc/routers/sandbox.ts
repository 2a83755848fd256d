import type { LocalizedText, NodeRegistry } from '@siyu/shared';
import { z } from 'zod';
import type { AppDatabase } from '../../db/app-database.ts';
import type { SqlValue } from '../../db/sql-client.ts';
import { epochMsOf } from '../../db/sql-dialect.ts';
import { parseEffectKey } from '../../engine/compiler.ts';
import { nodeWordsFor } from '../../journeys/node-words.ts';
import { SandboxChannelSchema } from '../../node-packages/sandbox-inbox.ts';
import { router, viewerProcedure } from '../trpc.ts';

/** sms, wecom, coupon, or a node package's own (deps.sandboxInbox). */
const SandboxChannel = SandboxChannelSchema;

export const SandboxMessagesSchema = z.object({
  customerId: z.string().min(1).max(100).optional(),
  channel: SandboxChannel.optional(),
  limit: z.number().int().min(1).max(500).default(100),
  /** Paging back in time: only items sent before this instant (epoch ms). */
  before: z.number().int().nonnegative().optional(),
});

export interface SandboxItem {
  /** Unique across channels: `m:<Message.id>` or `c:<Coupon.id>`. */
  key: string;
  /** sms, wecom, coupon or a node package's channel (its name by default). */
  channel: string;
  kind: string;
  customerId: string | null;
  customerName: string | null;
  recipient: string;
  content: string;
  status: string;
  journeyId: string | null;
  journeyName: string | null;
  nodeId: string | null;
  /** The node's name as the canvas shows it (null: a node no published version has). */
  nodeTitle: LocalizedText | null;
  sentAt: number;
}

/** A row as the port returns it: a coupon's amount apart from its stock's name (content). */
type Row = Omit<SandboxItem, 'sentAt' | 'nodeTitle'> & {
  sentAt: number;
  amountCents: number | null;
  seq: number;
  /** The row's idempotency key: the engine's `<instance>:<node>:<visit>` says whose step made it. */
  effectKey: string;
};

/**
 * The message sandbox (沙箱消息): what the sandbox providers "sent" — SMS and WeCom messages (and
 * node packages' messages, deps.sandboxInbox) as Message rows with provider 'sandbox', and coupons issued from sandbox stocks — newest first, so
 * a newcomer sees a journey working end to end without any provider account. Real providers'
 * messages are not listed: this is the sandbox's inbox, not a message log.
 */
export const sandboxRouter = router({
  messages: viewerProcedure.input(SandboxMessagesSchema).query(async ({ ctx, input }): Promise<SandboxItem[]> => {
    const { sql } = ctx.db;
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (input.customerId) {
      where.push('customerId = ?');
      params.push(input.customerId);
    }
    if (input.channel) {
      where.push('channel = ?');
      params.push(input.channel);
    }
    if (input.before !== undefined) {
      where.push('sentAt < ?');
      params.push(input.before);
    }
    // Coupon.issuedAt is a DateTime column. On SQLite it is ISO text when the coupon store wrote it
    // and epoch ms when Prisma did; both become epoch ms so the two sources sort together.
    // Pending = still being issued. Ties: the later row first (a coupon has no row number on
    // PostgreSQL: its key decides). A coupon's words (stock name and amount) are put together
    // below, not in SQL: the two databases format numbers differently.
    const issuedMs =
      sql.dialect === 'sqlite'
        ? `CASE WHEN typeof(k.issuedAt) IN ('integer', 'real') THEN k.issuedAt ELSE ${epochMsOf('sqlite', 'k.issuedAt')} END`
        : epochMsOf('postgresql', 'k.issuedAt');
    const rows = await sql.all<Row>(
      `SELECT * FROM (
         SELECT 'm:' || m.id AS key, m.channel, m.kind, m.customerId, c.displayName AS customerName,
                m.recipient, m.content, NULL AS amountCents, m.status, m.journeyId, j.name AS journeyName, m.nodeId,
                m.sentAt, m.id AS seq, m.idempotencyKey AS effectKey
         FROM Message m LEFT JOIN Customer c ON c.id = m.customerId LEFT JOIN Journey j ON j.id = m.journeyId
         WHERE m.provider = 'sandbox'
         UNION ALL
         SELECT 'c:' || k.id, 'coupon', 'coupon', k.customerId, c.displayName, k.customerId,
                s.name, s.amountCents, k.status, NULL, NULL, NULL, ${issuedMs},
                ${sql.dialect === 'sqlite' ? 'k.rowid' : '0'}, k.idempotencyKey
         FROM Coupon k JOIN CouponStock s ON s.id = k.stockId LEFT JOIN Customer c ON c.id = k.customerId
         WHERE s.provider = 'sandbox' AND k.status <> 'pending'
       ) AS items ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY sentAt DESC, seq DESC, key DESC LIMIT ?`,
      [...params, input.limit],
    );
    const nodeTitle = await attributeToSteps(ctx.db, ctx.registry, rows);
    return rows.map((row) => {
      const { amountCents, seq: _seq, effectKey: _key, ...r } = row;
      return {
        ...r,
        nodeTitle: nodeTitle(row),
        content: amountCents === null ? r.content : `${r.content} · ¥${(Number(amountCents) / 100).toFixed(2)}`,
        sentAt: Number(r.sentAt),
      };
    });
  }),
});

/**
 * Each row's step, from its idempotency key: a coupon gets the journey and node that issued it (its
 * row has none), and every row its node's name in the version it ran (`nodeWordsFor`). A row whose
 * key the engine did not make keeps what it has, and no name.
 */
async function attributeToSteps(
  db: AppDatabase,
  registry: NodeRegistry,
  rows: Row[],
): Promise<(row: Row) => LocalizedText | null> {
  const steps = new Map(rows.map((r) => [r, parseEffectKey(r.effectKey)] as const));
  const instanceIds = [...new Set([...steps.values()].flatMap((k) => (k ? [k.instanceId] : [])))];
  const instances = instanceIds.length
    ? await db.prisma.instance.findMany({
        where: { id: { in: instanceIds } },
        select: { id: true, journeyId: true, versionId: true, journey: { select: { name: true } } },
      })
    : [];
  const byId = new Map(instances.map((i) => [i.id, i]));
  const versionOf = new Map<Row, string>();
  for (const [row, key] of steps) {
    const instance = key && byId.get(key.instanceId);
    if (!key || !instance) continue;
    versionOf.set(row, instance.versionId);
    row.journeyId ??= instance.journeyId;
    row.journeyName ??= instance.journey.name;
    row.nodeId ??= key.nodeId;
  }
  const words = await nodeWordsFor(db, registry, [...new Set(versionOf.values())]);
  return (row) => words(versionOf.get(row), row.nodeId).nodeTitle;
}
