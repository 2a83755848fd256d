import { KNOWN_EVENT_TYPES, type LocalizedText, t } from '@siyu/shared';
import type { SqlClient, SqlDialect, SqlValue } from '../db/sql-client.ts';
import { epochMsOf, placeholders, timeInPeriod } from '../db/sql-dialect.ts';
import { CHANNEL_EVENT_TYPES } from '../engine/channel-attribution.ts';

export const DEFAULT_ATTRIBUTION_WINDOW_DAYS = 7;
const DAY_MS = 86_400_000;

/** The rule every report that credits orders to channels states in its response. */
export interface AttributionRule {
  rule: 'lastTouch';
  windowDays: number;
  /** Event types that count as a touch (a customer came in through an entry code). */
  touchEvents: string[];
  fallback: 'firstTouch';
  text: LocalizedText;
}

export function attributionRule(windowDays = DEFAULT_ATTRIBUTION_WINDOW_DAYS): AttributionRule {
  const touchEvents = [...CHANNEL_EVENT_TYPES].sort();
  // The touches by their words (the definition is read on screen and in CSVs: no event ids).
  const touch = (locale: 'zh-CN' | 'en') => touchEvents.map((type) => KNOWN_EVENT_TYPES[type]?.[locale] ?? type);
  return {
    rule: 'lastTouch',
    windowDays,
    touchEvents,
    fallback: 'firstTouch',
    text: t(
      `订单归属于下单前 ${windowDays} 天内（含下单时刻）客户最近一次通过渠道码进入（${touch('zh-CN').join('、')}）的渠道和方案；窗口内没有则归属首次带来该客户的渠道（首次触达）；都没有则不归属任何渠道。`,
      `An order is credited to the channel and variant of the customer's most recent entry through an entry code (${touch('en').join(', ')}) in the ${windowDays} days up to and including the order time; with none in that window, to the channel that first brought the customer in (first touch); otherwise to no channel.`,
    ),
  };
}

export interface AttributedOrder {
  orderId: string;
  customerId: string;
  amountCents: number;
  placedAt: number;
  /** Entry code credited with the order (null: unattributed). */
  code: string | null;
  variant: string | null;
  channelId: string | null;
  touch: 'lastTouch' | 'firstTouch' | null;
}

type AttributionOptions = { from?: number; to?: number; windowDays?: number };

/**
 * One row per order placed in [from, to): orderId, customerId, amountCents, placedAt (ms), the
 * customer's first-touch code and the last-touch code within the window (or NULL). The last touch
 * is one correlated lookup per order on Event(customerId, type, occurredAt, entryCode), so the cost
 * follows the number of orders in the period, not the size of the event log.
 */
function ordersWithTouches(dialect: SqlDialect, options: AttributionOptions): { sql: string; params: SqlValue[] } {
  const windowMs = (options.windowDays ?? DEFAULT_ATTRIBUTION_WINDOW_DAYS) * DAY_MS;
  const types = [...CHANNEL_EVENT_TYPES];
  const placed = timeInPeriod(
    dialect,
    'placedAt',
    options.from ?? Number.MIN_SAFE_INTEGER,
    options.to ?? Number.MAX_SAFE_INTEGER,
  );
  return {
    sql: `WITH o AS (
         SELECT id, customerId, amountCents, ${epochMsOf(dialect, 'placedAt')} AS placedAt FROM "Order" WHERE ${placed.sql}
       )
       SELECT o.id AS orderId, o.customerId, o.amountCents, o.placedAt, c.channelCode AS firstCode,
         (SELECT e.entryCode FROM Event e
          WHERE e.customerId = o.customerId AND e.type IN (${placeholders(types.length)})
            AND e.occurredAt <= o.placedAt AND e.occurredAt >= o.placedAt - ?
            AND e.entryCode IN (SELECT code FROM EntryCode)
          ORDER BY e.occurredAt DESC, e.id DESC LIMIT 1) AS lastCode
       FROM o JOIN Customer c ON c.id = o.customerId`,
    params: [...placed.params, ...types, windowMs],
  };
}

/** Orders placed in [from, to), oldest first, with the channel each is credited to under `attributionRule`. */
export async function attributedOrders(sql: SqlClient, options: AttributionOptions = {}): Promise<AttributedOrder[]> {
  const query = ordersWithTouches(sql.dialect, options);
  const rows = await sql.all<{
    orderId: string;
    customerId: string;
    amountCents: number;
    placedAt: number;
    firstCode: string | null;
    lastCode: string | null;
  }>(`${query.sql} ORDER BY o.placedAt, o.id`, query.params);
  const codes = new Map(
    (
      await sql.all<{ code: string; variant: string; channelId: string }>(
        'SELECT code, variant, channelId FROM EntryCode',
      )
    ).map((c) => [c.code, c]),
  );
  // Fields copied one by one: object rest/spread over better-sqlite3's row objects cost ~2.5 µs a
  // row (60 ms of the channel report at 25k orders).
  return rows.map(({ orderId, customerId, amountCents, placedAt, firstCode, lastCode }) => {
    const code = lastCode ?? firstCode;
    const entry = code ? codes.get(code) : undefined;
    return {
      orderId,
      customerId,
      amountCents,
      placedAt,
      code: code ?? null,
      variant: entry?.variant ?? null,
      channelId: entry?.channelId ?? null,
      touch: lastCode ? 'lastTouch' : firstCode ? 'firstTouch' : null,
    };
  });
}

/**
 * Orders and revenue per credited entry code (key null: unattributed) over the same rule, summed
 * in SQL: the channel report needs only the totals, and 25k order rows in JavaScript cost more
 * than the lookups.
 */
export async function attributedTotals(
  sql: SqlClient,
  options: AttributionOptions = {},
): Promise<Map<string | null, { orders: number; revenueCents: number }>> {
  const query = ordersWithTouches(sql.dialect, options);
  const rows = await sql.all<{ code: string | null; orders: number; revenueCents: number }>(
    `SELECT coalesce(lastCode, firstCode) AS code, count(*) AS orders, sum(amountCents) AS revenueCents
     FROM (${query.sql}) t GROUP BY 1`,
    query.params,
  );
  return new Map(rows.map(({ code, orders, revenueCents }) => [code, { orders, revenueCents }]));
}
