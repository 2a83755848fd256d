import { z } from 'zod';
import { SandboxChannelSchema } from '../../node-packages/sandbox-inbox.ts';
import { msOf } from '../../reports/common.ts';
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
  sentAt: number;
}

/** A row as SQLite returns it: sentAt possibly a bigint. */
type Row = Omit<SandboxItem, 'sentAt'> & { sentAt: number | bigint };

/**
 * The message sandbox (沙箱消息): what the sandbox providers "sent" — SMS and WeCom messages (and
 * node packages' messages, deps.sandboxInbox) as Message rows with provider 'sandbox', and coupons issued from sandbox stocks — newest first, so
 * a newcomer sees a journey working end to end without any provider account. Real providers'
 * messages are not listed: this is the sandbox's inbox, not a message log.
 */
export const sandboxRouter = router({
  messages: viewerProcedure.input(SandboxMessagesSchema).query(({ ctx, input }): SandboxItem[] => {
    const where: string[] = [];
    const params: unknown[] = [];
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
    // Coupon.issuedAt is a DateTime column: ISO text when the coupon store wrote it, epoch ms when
    // Prisma did; both become epoch ms so the two sources sort together. Pending = still being issued.
    const rows = ctx.db.sqlite
      .prepare(
        `SELECT * FROM (
           SELECT 'm:' || m.id AS key, m.channel, m.kind, m.customerId, c.displayName AS customerName,
                  m.recipient, m.content, m.status, m.journeyId, j.name AS journeyName, m.nodeId, m.sentAt, m.id AS seq
           FROM Message m LEFT JOIN Customer c ON c.id = m.customerId LEFT JOIN Journey j ON j.id = m.journeyId
           WHERE m.provider = 'sandbox'
           UNION ALL
           SELECT 'c:' || k.id, 'coupon', 'coupon', k.customerId, c.displayName, k.customerId,
                  s.name || ' · ¥' || printf('%.2f', s.amountCents / 100.0), k.status, NULL, NULL, NULL,
                  CASE WHEN typeof(k.issuedAt) IN ('integer', 'real') THEN k.issuedAt
                       ELSE ${msOf('k.issuedAt')} END, k.rowid
           FROM Coupon k JOIN CouponStock s ON s.id = k.stockId LEFT JOIN Customer c ON c.id = k.customerId
           WHERE s.provider = 'sandbox' AND k.status <> 'pending'
         ) ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY sentAt DESC, seq DESC LIMIT ?`,
      )
      .all(...params, input.limit) as Row[];
    return rows.map((r) => ({ ...r, sentAt: Number(r.sentAt) }));
  }),
});
