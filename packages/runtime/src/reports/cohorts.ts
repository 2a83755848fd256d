import { DEFAULT_TIME_ZONE, type LocalizedText, t } from '@siyu/shared';
import type BetterSqlite3 from 'better-sqlite3';
import { DateTime } from 'luxon';
import { segmentContexts } from '../server/segments.ts';
import { msOf } from './common.ts';

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

/** Segment names from segments.ts's rfmSegment, in the order operators read them. */
const RFM_SEGMENTS: [string, LocalizedText][] = [
  ['champions', t('重要价值客户', 'Champions')],
  ['loyal', t('忠诚客户', 'Loyal')],
  ['new', t('新客户', 'New')],
  ['atRisk', t('流失风险客户', 'At risk')],
  ['lost', t('已流失客户', 'Lost')],
  ['noOrders', t('未下单', 'No orders')],
];

/**
 * Repurchase and order value per cohort of customers: by the week they came in (Customer.createdAt,
 * China time, weeks from Monday) or by the channel that first brought them in. RFM segment sizes
 * come from the same code segments and branches use (segments.ts), so the numbers agree.
 */
export function cohortsReport(
  sqlite: BetterSqlite3.Database,
  input: { by: 'entryWeek' | 'channel'; timeZone?: string },
  now: number,
): CohortsReport {
  const zone = input.timeZone ?? DEFAULT_TIME_ZONE;
  const customers = sqlite
    .prepare(
      `SELECT ${msOf('c.createdAt')} AS createdAt, c.channelCode, ch.name AS channelName, e.variant,
         count(o.id) AS orders, coalesce(sum(o.amountCents), 0) AS revenueCents
       FROM Customer c LEFT JOIN "Order" o ON o.customerId = c.id
         LEFT JOIN EntryCode e ON e.code = c.channelCode LEFT JOIN Channel ch ON ch.id = e.channelId
       WHERE c.erasedAt IS NULL GROUP BY c.id`,
    )
    .iterate() as IterableIterator<{
    createdAt: number;
    channelCode: string | null;
    channelName: string | null;
    variant: string | null;
    orders: number;
    revenueCents: number;
  }>;
  const cohorts = new Map<string, Cohort>();
  for (const c of customers) {
    const [key, label] =
      input.by === 'entryWeek'
        ? weekOf(c.createdAt, zone)
        : [
            c.channelCode ?? '',
            c.channelCode ? `${c.channelName ?? ''} ${c.variant ?? ''} (${c.channelCode})`.trim() : '',
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
    cohort.customers++;
    if (c.orders >= 1) cohort.buyers++;
    if (c.orders >= 2) cohort.repeatBuyers++;
    cohort.orders += c.orders;
    cohort.revenueCents += c.revenueCents;
    cohorts.set(key, cohort);
  }
  const list = [...cohorts.values()].sort((a, b) =>
    a.key === '' ? 1 : b.key === '' ? -1 : a.key.localeCompare(b.key),
  );
  for (const c of list) {
    c.repurchaseRate = c.buyers > 0 ? c.repeatBuyers / c.buyers : null;
    c.averageOrderCents = c.orders > 0 ? c.revenueCents / c.orders : null;
  }
  const sizes = new Map<string, number>();
  for (const { context } of segmentContexts({ sqlite }, now)) {
    const segment = context.rfm.segment ?? 'noOrders';
    sizes.set(segment, (sizes.get(segment) ?? 0) + 1);
  }
  return {
    by: input.by,
    cohorts: list,
    rfm: RFM_SEGMENTS.map(([segment, label]) => ({ segment, label, customers: sizes.get(segment) ?? 0 })),
    definition: t(
      '复购率 = 下过至少 2 单的客户 ÷ 下过至少 1 单的客户（所有时间的订单）；客单价 = 销售额 ÷ 订单数。按入群周分组时以客户创建时间（中国时间，周一开始）计；按渠道分组时以首次带来客户的渠道码计（空 = 无渠道）。已删除（擦除）的客户不计。',
      "Repurchase rate = customers with at least 2 orders ÷ customers with at least 1 (orders at any time); average order value = revenue ÷ orders. Entry-week cohorts use the customer's creation time (China time, weeks start Monday); channel cohorts use the entry code that first brought the customer in (empty = none). Erased customers are left out.",
    ),
  };
}

function weekOf(ms: number, zone: string): [string, string] {
  const monday = DateTime.fromMillis(ms, { zone }).startOf('week').toISODate() as string;
  return [monday, monday];
}
