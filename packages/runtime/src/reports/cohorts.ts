import { DEFAULT_TIME_ZONE, DEFAULT_VARIANT, type LocalizedText, RFM_SEGMENTS, t } from '@siyu/shared';
import { IANAZone } from 'luxon';
import type { SqlClient } from '../db/sql-client.ts';
import { epochMsOf, jsonTextOf } from '../db/sql-dialect.ts';

export interface Cohort {
  /** entryWeek: the Monday (China time) starting the week, e.g. 2026-01-05; channel: the entry code ('' = none). */
  key: string;
  label: string;
  customers: number;
  buyers: number;
  repeatBuyers: number;
  /** repeatBuyers ÷ buyers (null without buyers). */
  repurchaseRate: number | null;
  orders: number;
  revenueCents: number;
  /** revenueCents ÷ orders (null without orders). */
  averageOrderCents: number | null;
}

export interface CohortsReport {
  by: 'entryWeek' | 'channel';
  cohorts: Cohort[];
  rfm: { segment: string; label: LocalizedText; customers: number }[];
  definition: LocalizedText;
}

/**
 * Repurchase and order value per cohort of customers: by the week they came in (Customer.createdAt,
 * China time, weeks from Monday) or by the channel that first brought them in. RFM segment sizes
 * are those segments.ts computes and the engine stores on each customer (what branches on rfm.*
 * read), so the numbers agree with the audiences operators build.
 */
export { weekKeys };

/** Every zone's UTC offset is a whole number of quarter hours and changes only on their boundaries. */
const SLOT_MS = 15 * 60_000;

export async function cohortsReport(
  sql: SqlClient,
  input: { by: 'entryWeek' | 'channel'; timeZone?: string },
): Promise<CohortsReport> {
  const zone = input.timeZone ?? DEFAULT_TIME_ZONE;
  // Customers are summed in SQL per group key (entry code, or 15-minute slot of createdAt) and only
  // the few group rows reach JavaScript: reading 100,000 customers one by one took ~0.4 s. Each
  // slot lies in one week (zone offsets are whole quarter hours, see weekKeys). Both databases
  // divide integers by truncating, so the slot is the same on either.
  const key = input.by === 'entryWeek' ? `${epochMsOf(sql.dialect, 'c.createdAt')} / ${SLOT_MS}` : 'c.channelCode';
  const groups = await sql.all<{
    groupKey: number | string | null;
    customers: number;
    buyers: number;
    repeatBuyers: number;
    orders: number;
    revenueCents: number;
  }>(
    `WITH o AS (SELECT customerId, count(*) AS n, sum(amountCents) AS cents FROM "Order" GROUP BY customerId)
     SELECT ${key} AS groupKey, count(*) AS customers, count(o.n) AS buyers,
       coalesce(sum(CASE WHEN o.n >= 2 THEN 1 ELSE 0 END), 0) AS repeatBuyers, coalesce(sum(o.n), 0) AS orders,
       coalesce(sum(o.cents), 0) AS revenueCents
     FROM Customer c LEFT JOIN o ON o.customerId = c.id
     WHERE c.erasedAt IS NULL GROUP BY 1`,
  );
  const codeLabels = new Map(
    (
      await sql.all<{ code: string; variant: string; name: string }>(
        'SELECT e.code, e.variant, ch.name FROM EntryCode e JOIN Channel ch ON ch.id = e.channelId',
      )
    ).map((e) => [e.code, `${e.name}${e.variant === DEFAULT_VARIANT ? '' : ` ${e.variant}`} (${e.code})`]),
  );
  const cohorts = new Map<string, Cohort>();
  const weekOf = weekKeys(zone);
  for (const g of groups) {
    const [key, label] =
      input.by === 'entryWeek'
        ? weekOf(Number(g.groupKey) * SLOT_MS)
        : [
            String(g.groupKey ?? ''),
            g.groupKey === null ? '' : (codeLabels.get(String(g.groupKey)) ?? `(${g.groupKey})`),
          ];
    const cohort = cohorts.get(key) ?? {
      key,
      label,
      customers: 0,
      buyers: 0,
      repeatBuyers: 0,
      repurchaseRate: null,
      orders: 0,
      revenueCents: 0,
      averageOrderCents: null,
    };
    cohort.customers += g.customers;
    cohort.buyers += g.buyers;
    cohort.repeatBuyers += g.repeatBuyers;
    cohort.orders += g.orders;
    cohort.revenueCents += g.revenueCents;
    cohorts.set(key, cohort);
  }
  const list = [...cohorts.values()].sort((a, b) =>
    a.key === '' ? 1 : b.key === '' ? -1 : a.key.localeCompare(b.key),
  );
  for (const c of list) {
    c.repurchaseRate = c.buyers > 0 ? c.repeatBuyers / c.buyers : null;
    c.averageOrderCents = c.orders > 0 ? c.revenueCents / c.orders : null;
  }
  // Customer.rfm is what segments.ts computes, stored by the engine's refresher (rfm-refresh.ts:
  // hourly when orders arrive, daily regardless): reading it costs one scan, recomputing the
  // quintiles for 100,000 customers ~0.7 s. NULL means no orders.
  const sizes = new Map(
    (
      await sql.all<{ segment: string; n: number }>(
        `SELECT coalesce(${jsonTextOf(sql.dialect, 'rfm', 'segment')}, 'noOrders') AS segment, count(*) AS n
         FROM Customer WHERE erasedAt IS NULL GROUP BY 1`,
      )
    ).map((r) => [r.segment, r.n]),
  );
  return {
    by: input.by,
    cohorts: list,
    rfm: RFM_SEGMENTS.map(({ id, label }) => ({ segment: id, label, customers: sizes.get(id) ?? 0 })),
    definition: t(
      '复购率 = 下过至少 2 单的客户 ÷ 下过至少 1 单的客户（所有时间的订单）；客单价 = 销售额 ÷ 订单数。按入群周分组时以客户创建时间（中国时间，周一开始）计；按渠道分组时以首次带来客户的渠道码计（空 = 无渠道）。已删除（擦除）的客户不计。RFM 分层取引擎最近一次刷新的结果（有新订单时每小时、否则每天刷新）。',
      "Repurchase rate = customers with at least 2 orders ÷ customers with at least 1 (orders at any time); average order value = revenue ÷ orders. Entry-week cohorts use the customer's creation time (China time, weeks start Monday); channel cohorts use the entry code that first brought the customer in (empty = none). Erased customers are left out. RFM segments are as the engine last refreshed them (hourly when orders arrive, daily otherwise).",
    ),
  };
}

/**
 * The Monday starting an instant's week in `zone`, as YYYY-MM-DD. Luxon's zone offset costs ~5 µs
 * and a full DateTime ~25 µs, too much per customer at 100,000 customers; every zone's offset
 * changes only on 15-minute boundaries, so it is looked up once per 15-minute slot and the calendar
 * arithmetic is done by hand (day 0 = Thursday 1970-01-01).
 */
function weekKeys(zone: string): (ms: number) => [string, string] {
  const SLOT = SLOT_MS;
  const DAY = 86_400_000;
  const tz = IANAZone.create(zone);
  const offsets = new Map<number, number>();
  return (ms) => {
    const slot = Math.floor(ms / SLOT);
    let offset = offsets.get(slot);
    if (offset === undefined) {
      offset = tz.offset(ms) * 60_000;
      offsets.set(slot, offset);
    }
    const day = Math.floor((ms + offset) / DAY);
    const monday = new Date((day - ((((day + 3) % 7) + 7) % 7)) * DAY).toISOString().slice(0, 10);
    return [monday, monday];
  };
}
