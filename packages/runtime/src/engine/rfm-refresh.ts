import type BetterSqlite3 from 'better-sqlite3';
import type { Logger } from '../logger.ts';
import { rfmOfBuyers } from '../server/segments.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Keeps Customer.rfm (what branch conditions on `rfm.*` read during a step) in step with orders.
 * Scores are quintiles over all customers who ordered, so they are recomputed for everyone at
 * once: at most hourly when orders came in since the last run, and daily regardless (recency
 * ages). Only buyers are read and only changed rows written, so a steady state costs one pass over
 * the orders.
 */
export function rfmRefresher(deps: { sqlite: BetterSqlite3.Database; logger: Logger; minIntervalMs?: number }) {
  const { sqlite } = deps;
  const minInterval = deps.minIntervalMs ?? HOUR;
  const orderMark = sqlite.prepare<[], { n: number; last: number | null }>(
    'SELECT count(*) AS n, max(rowid) AS last FROM "Order"',
  );
  const update = sqlite.prepare('UPDATE Customer SET rfm = ? WHERE id = ?');
  let lastRunAt = Number.NEGATIVE_INFINITY;
  let lastMark = '';

  const refresh = sqlite.transaction((now: number) => {
    // better-sqlite3 cannot write while a SELECT iterates on the same connection: collect first.
    const changes: Array<[string | null, string]> = [];
    for (const { id, rfm, storedRfm } of rfmOfBuyers({ sqlite }, now)) {
      const next = rfm.orderCount > 0 ? JSON.stringify(rfm) : null;
      if (next !== storedRfm) changes.push([next, id]);
    }
    for (const [rfm, id] of changes) update.run(rfm, id);
    return changes.length;
  });

  /** Refreshes if due at `now`; returns the number of customers whose RFM changed. */
  return function refreshIfDue(now: number): number {
    if (now - lastRunAt < minInterval) return 0;
    const m = orderMark.get();
    const mark = `${m?.n ?? 0}:${m?.last ?? 0}`;
    if (mark === lastMark && now - lastRunAt < DAY) return 0;
    const changed = refresh(now);
    lastRunAt = now;
    lastMark = mark;
    if (changed > 0) deps.logger.info({ changed }, 'customer RFM refreshed');
    return changed;
  };
}
