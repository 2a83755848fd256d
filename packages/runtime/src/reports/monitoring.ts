import { apiErrorDetail, type LocalizedText, t } from '@siyu/shared';
import type { SqlClient } from '../db/sql-client.ts';
import { epochMsOf } from '../db/sql-dialect.ts';
import { type AttributionRule, attributedOrders, attributionRule } from './attribution.ts';
import { ReportInputError } from './common.ts';

export const CHECKPOINT_HOURS = [3, 6, 12, 24] as const;
const HOUR = 3_600_000;
const HORIZON = 24 * HOUR;

export interface MonitoringPoint {
  hours: number;
  /** link.clicked (and, for a code, qr.scanned) events so far. */
  clicks: number;
  /** Distinct customers who came in through a channel (channel.entered) so far. */
  entries: number;
  orders: number;
  revenueCents: number;
  /** False while the checkpoint lies in the future for some recipient: the number may still grow. */
  complete: boolean;
}

export interface MonitoringReport {
  mode: 'send' | 'channel';
  /** Messages sent (send mode) or null (a code's deliveries are not timed). */
  sent: number | null;
  firstSendAt: number | null;
  points: MonitoringPoint[];
  definition: LocalizedText;
  attribution: AttributionRule | null;
}

export type MonitoringInput =
  | { journeyId: string; sendNodeId: string }
  | { channelCode: string; since: number; windowDays: number };

interface Hit {
  /** ms after the send. */
  d: number;
  kind: 'click' | 'entry' | 'order';
  customerId: string | null;
  amountCents: number;
}

/**
 * Cumulative clicks, entries and orders 3, 6, 12 and 24 hours after a send. For a journey's send
 * node each recipient's clock starts at their own first successful message from that node (sends
 * are spread by quiet hours and waits); for an entry code it starts at `since`.
 */
export function monitoringReport(sql: SqlClient, input: MonitoringInput, now: number): Promise<MonitoringReport> {
  if ('sendNodeId' in input) return sendMonitoring(sql, input, now);
  return channelMonitoring(sql, input, now);
}

async function sendMonitoring(
  sql: SqlClient,
  input: { journeyId: string; sendNodeId: string },
  now: number,
): Promise<MonitoringReport> {
  const recipients = `WITH r AS (
      SELECT customerId, min(sentAt) AS sentAt FROM Message
      WHERE journeyId = ? AND nodeId = ? AND status != 'failed' AND customerId IS NOT NULL GROUP BY customerId)`;
  const args = [input.journeyId, input.sendNodeId];
  const summary = (await sql.get<{ sent: number; first: number | null; last: number | null }>(
    `${recipients} SELECT count(*) AS sent, min(sentAt) AS first, max(sentAt) AS last FROM r`,
    args,
  )) as { sent: number; first: number | null; last: number | null };
  const events = await sql.all<Hit>(
    `${recipients}
     SELECT e.occurredAt - r.sentAt AS d, CASE e.type WHEN 'link.clicked' THEN 'click' ELSE 'entry' END AS kind,
       e.customerId, 0 AS amountCents
     FROM r JOIN Event e ON e.customerId = r.customerId AND e.type IN ('link.clicked', 'channel.entered')
       AND e.occurredAt >= r.sentAt AND e.occurredAt <= r.sentAt + ?`,
    [...args, HORIZON],
  );
  const placedAt = epochMsOf(sql.dialect, 'o.placedAt');
  const orders = await sql.all<Hit>(
    `${recipients}
     SELECT ${placedAt} - r.sentAt AS d, 'order' AS kind, o.customerId, o.amountCents
     FROM r JOIN "Order" o ON o.customerId = r.customerId
     WHERE ${placedAt} >= r.sentAt AND ${placedAt} <= r.sentAt + ?`,
    [...args, HORIZON],
  );
  return {
    mode: 'send',
    sent: summary.sent,
    firstSendAt: summary.first,
    points: curve([...events, ...orders], summary.last, now),
    definition: t(
      '以每位收件人从该节点首次成功发送的时刻为起点：点击 = 收件人点击链接的次数；进入 = 经渠道码进入的不同收件人数；订单 = 收件人下的订单（不经渠道归因）。各时点累计（含边界）。',
      "Each recipient's clock starts at their first successful message from the node: clicks = the recipients' link clicks; entries = distinct recipients who came in through a channel code; orders = orders the recipients placed (no channel attribution). Cumulative at each checkpoint, boundaries included.",
    ),
    attribution: null,
  };
}

async function channelMonitoring(
  sql: SqlClient,
  input: { channelCode: string; since: number; windowDays: number },
  now: number,
): Promise<MonitoringReport> {
  const known = await sql.get('SELECT 1 AS known FROM EntryCode WHERE code = ?', [input.channelCode]);
  if (!known)
    throw new ReportInputError(
      apiErrorDetail('common.notFound', { what: 'entryCode', id: input.channelCode }),
      'NOT_FOUND',
    );
  const events = await sql.all<Hit>(
    `SELECT occurredAt - ? AS d, CASE type WHEN 'channel.entered' THEN 'entry' ELSE 'click' END AS kind,
       customerId, 0 AS amountCents
     FROM Event WHERE type IN ('qr.scanned', 'link.clicked', 'channel.entered')
       AND occurredAt >= ? AND occurredAt <= ? AND entryCode = ?`,
    [input.since, input.since, input.since + HORIZON, input.channelCode],
  );
  const orders = (
    await attributedOrders(sql, {
      from: input.since,
      to: input.since + HORIZON + 1,
      windowDays: input.windowDays,
    })
  )
    .filter((o) => o.code === input.channelCode)
    .map(
      (o): Hit => ({
        d: o.placedAt - input.since,
        kind: 'order',
        customerId: o.customerId,
        amountCents: o.amountCents,
      }),
    );
  return {
    mode: 'channel',
    sent: null,
    firstSendAt: input.since,
    points: curve([...events, ...orders], input.since, now),
    definition: t(
      '以所选时刻为起点：点击 = 该渠道码的扫码和点击事件数（含匿名）；进入 = 通过该码进入的不同客户数；订单 = 按归因规则记到该码的订单。各时点累计（含边界）。',
      'The clock starts at the chosen time: clicks = scans and clicks on the code (anonymous ones too); entries = distinct customers who came in through the code; orders = orders the attribution rule credits to the code. Cumulative at each checkpoint, boundaries included.',
    ),
    attribution: attributionRule(input.windowDays),
  };
}

function curve(hits: Hit[], lastStart: number | null, now: number): MonitoringPoint[] {
  return CHECKPOINT_HOURS.map((hours) => {
    const upTo = hits.filter((h) => h.d <= hours * HOUR);
    const orders = upTo.filter((h) => h.kind === 'order');
    return {
      hours,
      clicks: upTo.filter((h) => h.kind === 'click').length,
      entries: new Set(upTo.filter((h) => h.kind === 'entry').map((h) => h.customerId)).size,
      orders: orders.length,
      revenueCents: orders.reduce((sum, o) => sum + o.amountCents, 0),
      complete: lastStart !== null && now >= lastStart + hours * HOUR,
    };
  });
}
