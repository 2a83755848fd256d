import type { SqlClient } from '../db/sql-client.ts';

export interface CodeStats {
  code: string;
  variant: string;
  channelId: string;
  channelName: string;
  kind: string;
  /** Cards shipped / SMS sent, as recorded on the code. */
  delivered: number;
  /** qr.scanned + link.clicked events carrying this code (anonymous scans included). */
  scans: number;
  /** Customers whose first entry code is this one. */
  customers: number;
  /** customers / delivered (null when nothing was recorded as delivered). */
  recallRate: number | null;
  orders: number;
  revenueCents: number;
}

/**
 * Channel recall per entry code and variant over all time, by first touch: delivered → scanned →
 * became a customer (Customer.channelCode, the code that first brought them in) → ordered
 * (Order.channelCode, the code recorded on the order when it was placed). The period report with
 * last-touch attribution is reports/channels.ts; the API serves both (reports.channels,
 * reports.channelsFirstTouch).
 */
export async function channelsFirstTouch(sql: SqlClient, channelId?: string): Promise<CodeStats[]> {
  const codes = await sql.all<Omit<CodeStats, 'scans' | 'customers' | 'recallRate' | 'orders' | 'revenueCents'>>(
    `SELECT e.code, e.variant, e.delivered, c.id AS channelId, c.name AS channelName, c.kind
     FROM EntryCode e JOIN Channel c ON c.id = e.channelId
     WHERE (CAST(? AS TEXT) IS NULL OR c.id = ?) ORDER BY c.createdAt, e.variant, e.code`,
    [channelId ?? null, channelId ?? null],
  );
  const count = async (query: string) => {
    const map = new Map<string, { n: number; sum?: number }>();
    for (const row of await sql.all<{ code: string; n: number; sum?: number }>(query)) map.set(row.code, row);
    return map;
  };
  const scans = await count(
    "SELECT entryCode AS code, count(*) AS n FROM Event WHERE type IN ('qr.scanned', 'link.clicked') GROUP BY 1",
  );
  const customers = await count(
    'SELECT channelCode AS code, count(*) AS n FROM Customer WHERE channelCode IS NOT NULL GROUP BY channelCode',
  );
  const orders = await count(
    'SELECT channelCode AS code, count(*) AS n, sum(amountCents) AS sum FROM "Order" WHERE channelCode IS NOT NULL GROUP BY channelCode',
  );
  return codes.map((c) => {
    const joined = customers.get(c.code)?.n ?? 0;
    return {
      ...c,
      scans: scans.get(c.code)?.n ?? 0,
      customers: joined,
      recallRate: c.delivered > 0 ? joined / c.delivered : null,
      orders: orders.get(c.code)?.n ?? 0,
      revenueCents: orders.get(c.code)?.sum ?? 0,
    };
  });
}
