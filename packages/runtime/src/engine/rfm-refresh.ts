import BetterSqlite3 from 'better-sqlite3';
import { rfmOfBuyers } from '../audiences/segments.ts';
import type { Logger } from '../logger.ts';

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

  const nextOf = (rfm: { orderCount: number }) => (rfm.orderCount > 0 ? JSON.stringify(rfm) : null);

  // better-sqlite3 cannot write while a SELECT iterates on the same connection: collect first.
  // Used for an in-memory database, which no second connection can open.
  const refreshCollected = sqlite.transaction((now: number) => {
    const changes: Array<[string | null, string]> = [];
    for (const { id, rfm, storedRfm } of rfmOfBuyers({ sqlite }, now)) {
      const next = nextOf(rfm);
      if (next !== storedRfm) changes.push([next, id]);
    }
    for (const [rfm, id] of changes) update.run(rfm, id);
    return changes.length;
  });

  // A file database streams the buyers from a second, read-only connection and writes each change
  // at once. Collecting them first held every changed score in memory: at 1,000,000 customers
  // (300,000 buyers) that, with the sorts on the engine's 64 MB page cache, added ~250 MB to peak
  // RSS. The reader sees the last committed state (WAL snapshot), never its own pending updates;
  // its small cache makes SQLite's sorts spill to temporary files instead of memory.
  const refreshStreamed = (now: number): number => {
    const reader = new BetterSqlite3(sqlite.name, { readonly: true, fileMustExist: true });
    try {
      // SQLite sizes its sort buffers by the page cache: 2 MB keeps the three NTILE sorts on disk.
      reader.pragma('cache_size = -2000');
      return sqlite.transaction(() => {
        let changed = 0;
        for (const { id, rfm, storedRfm } of rfmOfBuyers({ sqlite: reader }, now)) {
          const next = nextOf(rfm);
          if (next === storedRfm) continue;
          update.run(next, id);
          changed++;
        }
        return changed;
      })();
    } finally {
      reader.close();
    }
  };
  const refresh = (now: number): number => (sqlite.memory ? refreshCollected(now) : refreshStreamed(now));

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
