import {
  type EventCounts,
  type EventRule,
  eventCountKey,
  eventRulesOf,
  eventWindow,
  evaluateSegment,
  type RfmScore,
  type RfmSegment,
  type SegmentFilterLike,
} from '@siyu/shared';
import type { Database } from '../db/database.ts';
import type { SqlClient, SqlDialect } from '../db/sql-client.ts';
import { groupConcat } from '../db/sql-dialect.ts';

/** RFM details beyond the 1–5 scores: raw values operators can filter on too. */
export interface RfmContext extends RfmScore {
  recencyDays: number | null;
  orderCount: number;
  totalCents: number;
}

/**
 * Names an RFM cell the way operators talk about it (a common 5-group simplification of the
 * classic 11-cell RFM map); the segments and their names are shared's RFM_SEGMENTS.
 */
export function rfmSegment(r: number, f: number, m: number): RfmSegment {
  if (r === 0) return 'noOrders';
  if (r >= 4 && f >= 4) return 'champions';
  if (r >= 3 && (f >= 3 || m >= 4)) return 'loyal';
  if (r >= 4) return 'new';
  if (r <= 2 && (f >= 3 || m >= 3)) return 'atRisk';
  return 'lost';
}

interface Row {
  id: string;
  attributes: string;
  storedRfm: string | null;
  channelCode: string | null;
  variant: string | null;
  tags: string | null;
  lastOrder: string | null;
  orderCount: number;
  totalCents: number;
  r: number | null;
  f: number | null;
  m: number | null;
}

/** What a segment filter sees of one customer. */
export type SegmentContext = {
  id: string;
  tags: string[];
  attributes: Record<string, unknown>;
  channel?: { code: string; variant?: string };
  rfm: RfmContext;
  /** Events per type and period, for the segment's event rules (see `eventCountsFor`). */
  eventCounts?: EventCounts;
};

/**
 * Streams every (non-erased) customer with the context a segment filter sees — `tags`,
 * `attributes.*`, `channel.code`, `rfm.recency|frequency|monetary|segment|recencyDays|orderCount|
 * totalCents`. RFM scores are quintiles (NTILE 5) over customers who ordered; customers without
 * orders score 0. `storedRfm` is the Customer.rfm column as last refreshed.
 */
export function* segmentContexts(
  db: Pick<Database, 'sqlite'>,
  now: number,
): Generator<{ context: SegmentContext; storedRfm: string | null }> {
  const rows = db.sqlite.prepare(segmentRowsSql('sqlite', '')).iterate() as IterableIterator<Row>;
  for (const row of rows) yield { context: contextOf(row, now), storedRfm: row.storedRfm };
}

/** Customers per page when reading a segment from PostgreSQL (rows are not streamed there). */
const SEGMENT_PAGE = 5000;

/**
 * Each customer with a segment's context, on either database: streamed from SQLite's connection
 * (one pass, as the engine reads it); from PostgreSQL in pages by id, so a large customer base is
 * never held in memory at once.
 */
async function eachSegmentContext(
  db: SegmentSource,
  now: number,
  visit: (context: SegmentContext) => void,
  pageSize = SEGMENT_PAGE,
) {
  if (db.dialect === 'sqlite' && db.sqlite) {
    for (const { context } of segmentContexts({ sqlite: db.sqlite }, now)) visit(context);
    return;
  }
  const sql = segmentRowsSql('postgresql', 'AND c.id > ? ORDER BY c.id LIMIT ?');
  let after = '';
  for (;;) {
    const rows = await db.sql.all<Row>(sql, [after, pageSize]);
    for (const row of rows) visit(contextOf(row, now));
    if (rows.length < pageSize) return;
    after = (rows[rows.length - 1] as Row).id;
  }
}

function segmentRowsSql(dialect: SqlDialect, page: string): string {
  return `WITH ${SCORED_ORDERS}
       SELECT c.id, c.attributes, c.channelCode, c.variant, c.rfm AS storedRfm,
         (SELECT ${groupConcat(dialect, 'tag', `'${TAG_SEPARATOR}'`)} FROM CustomerTag t WHERE t.customerId = c.id) AS tags,
         s.lastOrder, coalesce(s.orderCount, 0) AS orderCount, coalesce(s.totalCents, 0) AS totalCents, s.r, s.f, s.m
       FROM Customer c LEFT JOIN scored s ON s.customerId = c.id
       WHERE c.erasedAt IS NULL ${page}`;
}

/** Joins a customer's tags in one column: a control character no tag contains. */
const TAG_SEPARATOR = '\u001f';

function contextOf(row: Row, now: number): SegmentContext {
  return {
    id: row.id,
    tags: row.tags ? row.tags.split(TAG_SEPARATOR) : [],
    attributes: JSON.parse(row.attributes) as Record<string, unknown>,
    channel: row.channelCode ? { code: row.channelCode, variant: row.variant ?? undefined } : undefined,
    rfm: rfmOf(row, now),
  };
}

/**
 * Only what the stored Customer.rfm needs, for the engine's refresh: every customer who ordered,
 * plus those whose stored RFM must be cleared (their orders are gone). Scales with buyers, not
 * with all customers, and reads no tags or attributes.
 */
export function* rfmOfBuyers(
  db: Pick<Database, 'sqlite'>,
  now: number,
): Generator<{ id: string; rfm: RfmContext; storedRfm: string | null }> {
  const rows = db.sqlite.prepare(RFM_OF_BUYERS).iterate() as IterableIterator<BuyerRow>;
  for (const row of rows) yield { id: row.id, rfm: rfmOf(row, now), storedRfm: row.storedRfm };
}

/** `rfmOfBuyers` through the SQL port (PostgreSQL: read at once; SQLite streams above). */
export async function rfmOfBuyersVia(
  sql: SqlClient,
  now: number,
): Promise<Array<{ id: string; rfm: RfmContext; storedRfm: string | null }>> {
  return (await sql.all<BuyerRow>(RFM_OF_BUYERS)).map((row) => ({
    id: row.id,
    rfm: rfmOf(row, now),
    storedRfm: row.storedRfm,
  }));
}

type BuyerRow = Omit<Row, 'attributes' | 'channelCode' | 'variant' | 'tags'>;

/** Per-customer order totals scored into quintiles (NTILE 5) over customers who ordered. */
const SCORED_ORDERS = `o AS (
         SELECT customerId, max(placedAt) AS lastOrder, count(*) AS orderCount, sum(amountCents) AS totalCents
         FROM "Order" GROUP BY customerId),
       scored AS (
         SELECT o.*, ntile(5) OVER (ORDER BY lastOrder) AS r, ntile(5) OVER (ORDER BY orderCount) AS f,
                ntile(5) OVER (ORDER BY totalCents) AS m FROM o)`;

const RFM_OF_BUYERS = `WITH ${SCORED_ORDERS}
       SELECT c.id, c.rfm AS storedRfm, s.lastOrder, s.orderCount, s.totalCents, s.r, s.f, s.m
       FROM scored s JOIN Customer c ON c.id = s.customerId
       WHERE c.erasedAt IS NULL
       UNION ALL
       SELECT c.id, c.rfm, NULL, 0, 0, NULL, NULL, NULL FROM Customer c
       WHERE c.rfm IS NOT NULL AND c.erasedAt IS NULL
         AND NOT EXISTS (SELECT 1 FROM "Order" o WHERE o.customerId = c.id)`;

function rfmOf(row: Pick<Row, 'lastOrder' | 'orderCount' | 'totalCents' | 'r' | 'f' | 'm'>, now: number): RfmContext {
  const r = row.r ?? 0;
  const f = row.f ?? 0;
  const m = row.m ?? 0;
  const lastOrderMs = row.lastOrder === null ? null : parseOrderTime(row.lastOrder);
  return {
    recency: r,
    frequency: f,
    monetary: m,
    segment: rfmSegment(r, f, m),
    recencyDays: lastOrderMs === null ? null : Math.floor((now - lastOrderMs) / 86_400_000),
    orderCount: row.orderCount,
    totalCents: row.totalCents,
  };
}

/**
 * Calls `visit` for each customer matching every filter (a saved segment AND an entry's
 * conditions), on SQLite's connection synchronously: the engine's audience entries.
 */
export function forEachSegmentMember(
  db: Pick<Database, 'sqlite'>,
  filter: SegmentFilterLike | readonly SegmentFilterLike[],
  now: number,
  visit: (customerId: string) => void,
): void {
  const filters = filterList(filter);
  const counts = countersOf(
    filters,
    now,
    (q) => db.sqlite.prepare(EVENT_COUNTS_SQL).all(q.event, q.from, q.to) as EventCountRow[],
  );
  for (const { context } of segmentContexts(db, now)) {
    const withCounts = { ...context, eventCounts: counts(context.id) };
    if (filters.every((f) => evaluateSegment(f, withCounts))) visit(context.id);
  }
}

/**
 * What segment reads need: the SQL port, and SQLite's connection when there is one (streamed in
 * one pass there; paged through the port otherwise).
 */
export type SegmentSource = { dialect: SqlDialect; sql: SqlClient } & Partial<Pick<Database, 'sqlite'>>;

/** The same on either database (API, CLI); `pageSize`: customers per page on PostgreSQL. */
export async function visitSegmentMembers(
  db: SegmentSource,
  filter: SegmentFilterLike | readonly SegmentFilterLike[],
  now: number,
  visit: (customerId: string) => void,
  options: { pageSize?: number } = {},
): Promise<void> {
  const filters = filterList(filter);
  const queries = eventQueries(filters, now);
  const rows = new Map<string, EventCountRow[]>();
  for (const q of queries) rows.set(q.key, await db.sql.all<EventCountRow>(EVENT_COUNTS_SQL, [q.event, q.from, q.to]));
  const counts = countersOf(filters, now, (q) => rows.get(q.key) ?? []);
  await eachSegmentContext(
    db,
    now,
    (context) => {
      const withCounts = { ...context, eventCounts: counts(context.id) };
      if (filters.every((f) => evaluateSegment(f, withCounts))) visit(context.id);
    },
    options.pageSize,
  );
}

function filterList(filter: SegmentFilterLike | readonly SegmentFilterLike[]): readonly SegmentFilterLike[] {
  return Array.isArray(filter) ? filter : [filter as SegmentFilterLike];
}

/** Events of one type in [from, to), per customer: what an event rule counts. */
const EVENT_COUNTS_SQL = `SELECT customerId, count(*) AS n FROM Event
  WHERE type = ? AND occurredAt >= ? AND occurredAt < ? AND customerId IS NOT NULL GROUP BY customerId`;

interface EventCountRow {
  customerId: string;
  n: number | bigint;
}
type EventQuery = { key: string; event: string; from: number; to: number };

/** One count query per distinct (event type, period) the filters' event rules name. */
function eventQueries(filters: readonly SegmentFilterLike[], now: number): EventQuery[] {
  const byKey = new Map<string, EventQuery>();
  for (const rule of filters.flatMap(eventRulesOf) as EventRule[]) {
    const key = eventCountKey(rule);
    if (!byKey.has(key)) byKey.set(key, { key, event: rule.event, ...eventWindow(rule.period, now) });
  }
  return [...byKey.values()];
}

/**
 * Each customer's event counts for the filters' event rules. Counted once per rule with a GROUP BY
 * (customers who did the event are far fewer than all customers), then looked up per customer.
 */
function countersOf(
  filters: readonly SegmentFilterLike[],
  now: number,
  read: (q: EventQuery) => EventCountRow[],
): (customerId: string) => EventCounts | undefined {
  const queries = eventQueries(filters, now);
  if (queries.length === 0) return () => undefined;
  const maps = queries.map((q) => ({ key: q.key, n: new Map(read(q).map((r) => [r.customerId, Number(r.n)])) }));
  return (id) => Object.fromEntries(maps.map((m) => [m.key, m.n.get(id) ?? 0]));
}

/** The ids, sorted, of customers matching every filter (the engine's audience runs), on either database. */
export async function segmentMemberIds(
  db: SegmentSource,
  filters: readonly SegmentFilterLike[],
  now: number,
): Promise<string[]> {
  const ids: string[] = [];
  await visitSegmentMembers(db, filters, now, (id) => ids.push(id));
  return ids.sort();
}

/** Prisma stores DateTime as ISO text on SQLite; epoch numbers are accepted too. */
function parseOrderTime(value: string | number): number {
  return typeof value === 'number' ? value : Date.parse(value);
}

/** Size of a segment and a few example customer ids, for the editor's preview. */
export async function previewSegment(db: SegmentSource, filter: SegmentFilterLike, now: number, sampleSize = 20) {
  let size = 0;
  const sample: string[] = [];
  await visitSegmentMembers(db, filter, now, (id) => {
    size++;
    if (sample.length < sampleSize) sample.push(id);
  });
  return { size, sample };
}
