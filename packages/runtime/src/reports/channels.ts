import type { SqlClient } from '../db/sql-client.ts';
import { groupConcat, placeholders, timeInPeriod } from '../db/sql-dialect.ts';
import { CHANNEL_EVENT_TYPES } from '../engine/channel-attribution.ts';
import { type AttributionRule, attributedTotals, attributionRule } from './attribution.ts';

export interface ChannelRow {
  channelId: string;
  channelName: string;
  kind: string;
  code: string;
  variant: string;
  /** Recorded on the code (cards shipped, posters printed): a running total, not per period. */
  deliveredRecorded: number;
  /** SMS sent in the period (not failed) that carried this code's link (/r/<code>). */
  smsSent: number;
  /** deliveredRecorded + smsSent. */
  delivered: number;
  /** qr.scanned and link.clicked events for the code in the period, anonymous ones included. */
  scans: number;
  /** Distinct customers who came in through the code in the period. */
  cameIn: number;
  /** 引流召回率 = cameIn ÷ delivered (null when nothing was delivered). */
  recallRate: number | null;
  orders: number;
  revenueCents: number;
  /** 单卡贡献率 = revenueCents ÷ delivered, in cents per card / SMS (null when nothing was delivered). */
  revenuePerDeliveredCents: number | null;
}

export interface ChannelsReport {
  from: number;
  to: number;
  rows: ChannelRow[];
  /**
   * Distinct customers who came in through any of a channel's codes in the period: a channel's
   * total, which is not the sum of its rows when one customer came in through two of its codes.
   */
  channelCameIn: { channelId: string; cameIn: number }[];
  /** Orders in the period no channel is credited with. */
  unattributed: { orders: number; revenueCents: number };
  attribution: AttributionRule;
}

const LINK = /\/r\/([A-Za-z0-9_-]{1,30})(?![A-Za-z0-9_-])/g;

/**
 * Per channel and variant over [from, to): delivered → came in → ordered. "Came in" = a customer
 * with a channel event (channel.entered, qr.scanned, link.clicked) carrying the code in the period,
 * or whose first touch is the code and who was created in the period (imports without events).
 * Orders are credited by the one attribution rule (attribution.ts).
 */
export async function channelsReport(
  sql: SqlClient,
  input: { from: number; to: number; windowDays: number; channelId?: string },
): Promise<ChannelsReport> {
  const channelId = input.channelId ?? null;
  const codes = await sql.all<
    Pick<ChannelRow, 'channelId' | 'channelName' | 'kind' | 'code' | 'variant' | 'deliveredRecorded'>
  >(
    `SELECT c.id AS channelId, c.name AS channelName, c.kind, e.code, e.variant, e.delivered AS deliveredRecorded
     FROM EntryCode e JOIN Channel c ON c.id = e.channelId
     WHERE (CAST(? AS TEXT) IS NULL OR c.id = ?) ORDER BY c.createdAt, c.id, e.variant, e.code`,
    [channelId, channelId],
  );
  const types = [...CHANNEL_EVENT_TYPES];
  const scans = new Map(
    (
      await sql.all<{ code: string; n: number }>(
        `SELECT entryCode AS code, count(*) AS n FROM Event
         WHERE type IN ('qr.scanned', 'link.clicked') AND occurredAt >= ? AND occurredAt < ? GROUP BY 1`,
        [input.from, input.to],
      )
    ).map((r) => [r.code, r.n]),
  );
  // The (code, customer) pairs are de-duplicated once (UNION, materialized) and counted twice: per
  // code, and per channel over distinct customers.
  const created = timeInPeriod(sql.dialect, 'createdAt', input.from, input.to);
  const cameIn = new Map<string, number>();
  const channelCameIn: ChannelsReport['channelCameIn'] = [];
  for (const { level, key, n } of await sql.all<{ level: 'code' | 'channel'; key: string; n: number }>(
    `WITH pairs AS MATERIALIZED (
       SELECT entryCode AS code, customerId FROM Event
       WHERE type IN (${placeholders(types.length)}) AND occurredAt >= ? AND occurredAt < ?
         AND customerId IS NOT NULL AND entryCode IS NOT NULL
       UNION
       SELECT channelCode, id FROM Customer WHERE channelCode IS NOT NULL AND ${created.sql})
     SELECT 'code' AS level, code AS key, count(*) AS n FROM pairs GROUP BY code
     UNION ALL
     SELECT 'channel', e.channelId, count(DISTINCT p.customerId)
     FROM pairs p JOIN EntryCode e ON e.code = p.code
     WHERE (CAST(? AS TEXT) IS NULL OR e.channelId = ?) GROUP BY e.channelId`,
    [...types, input.from, input.to, ...created.params, channelId, channelId],
  )) {
    if (level === 'code') cameIn.set(key, n);
    else channelCameIn.push({ channelId: key, cameIn: n });
  }
  channelCameIn.sort((a, b) => (a.channelId < b.channelId ? -1 : a.channelId > b.channelId ? 1 : 0));
  const smsSent = await smsSentPerCode(sql, input.from, input.to);
  const credited = await attributedTotals(sql, input);
  const unattributed = credited.get(null) ?? { orders: 0, revenueCents: 0 };
  const rows = codes.map((c): ChannelRow => {
    const sent = smsSent.get(c.code) ?? 0;
    const delivered = c.deliveredRecorded + sent;
    const joined = cameIn.get(c.code) ?? 0;
    const orders = credited.get(c.code) ?? { orders: 0, revenueCents: 0 };
    return {
      ...c,
      smsSent: sent,
      delivered,
      scans: scans.get(c.code) ?? 0,
      cameIn: joined,
      recallRate: delivered > 0 ? joined / delivered : null,
      ...orders,
      revenuePerDeliveredCents: delivered > 0 ? orders.revenueCents / delivered : null,
    };
  });
  return {
    from: input.from,
    to: input.to,
    rows,
    channelCameIn,
    unattributed,
    attribution: attributionRule(input.windowDays),
  };
}

/**
 * SMS that carried an entry code's link: the tracked link's target or the text itself contains
 * /r/<code>. Each SMS sent in the period is joined to its own tracked links (TrackedLink.messageKey
 * index), and identical texts are counted in SQL, so a campaign of one template is matched once.
 */
async function smsSentPerCode(sql: SqlClient, from: number, to: number): Promise<Map<string, number>> {
  const texts = await sql.all<{ body: string; messages: number }>(
    `SELECT body, count(*) AS messages FROM (
       SELECT m.content || coalesce(
         (SELECT ' ' || ${groupConcat(sql.dialect, 't.url', "' '")} FROM TrackedLink t
          WHERE t.messageKey = m.idempotencyKey), '') AS body
       FROM Message m
       WHERE m.channel = 'sms' AND m.status != 'failed' AND m.sentAt >= ? AND m.sentAt < ?) sent
     GROUP BY body`,
    [from, to],
  );
  const counts = new Map<string, number>();
  for (const { body: text, messages } of texts) {
    const found = new Set<string>();
    for (const m of text.matchAll(LINK)) found.add(m[1] as string);
    for (const code of found) counts.set(code, (counts.get(code) ?? 0) + messages);
  }
  return counts;
}
