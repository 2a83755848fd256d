import BetterSqlite3 from 'better-sqlite3';
import { rfmOfBuyers, rfmOfBuyersVia } from '../audiences/segments.ts';
import type { SqlClient, SqlDialect } from '../db/sql-client.ts';
import { placeholders } from '../db/sql-dialect.ts';
import type { Logger } from '../logger.ts';
import type { MaybePromise } from './maybe-async.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Keeps Customer.rfm (what branch conditions on `rfm.*` read during a step) in step with orders.
 * Scores are quintiles over all customers who ordered, so they are recomputed for everyone at
 * once: at most hourly when orders came in since the last run, and daily regardless (recency
 * ages). Only buyers are read and only changed rows written, so a steady state costs one pass over
 * the orders.
 *
 * On SQLite it reads and writes on the engine's connection (below); elsewhere through the SQL port
 * (`refreshVia`). Two engines on one database may both refresh: the scores come out the same.
 */
export function rfmRefresher(deps: {
  /** The database; SQLite's connection may be passed alone (`sqlite`). */
  db?: { dialect: SqlDialect; sql: SqlClient; sqlite?: BetterSqlite3.Database };
  sqlite?: BetterSqlite3.Database;
  logger: Logger;
  minIntervalMs?: number;
}): (now: number) => MaybePromise<number> {
  const minInterval = deps.minIntervalMs ?? HOUR;
  const sqlite = deps.sqlite ?? (deps.db?.dialect === 'sqlite' ? deps.db.sqlite : undefined);
  let lastRunAt = Number.NEGATIVE_INFINITY;
  let lastMark = '';
  const decide = (now: number, m: { n: number; last: number | string | null } | undefined) => {
    const mark = `${m?.n ?? 0}:${m?.last ?? 0}`;
    if (mark === lastMark && now - lastRunAt < DAY) return false;
    lastMark = mark;
    return true;
  };
  const done = (now: number, changed: number) => {
    lastRunAt = now;
    if (changed > 0) deps.logger.info({ changed }, 'customer RFM refreshed');
    return changed;
  };
  // The refresh runs first in every tick: a throw from it would keep that tick's timers and effects
  // from running, and every tick would try the whole refresh again. It is logged, and tried again
  // after the interval (the orders' mark forgotten, so it runs then whether or not orders came in).
  const failed = (now: number, error: unknown) => {
    lastRunAt = now;
    lastMark = '';
    deps.logger.warn({ err: error }, 'customer RFM refresh failed; trying again after the interval');
    return 0;
  };

  if (sqlite) {
    // Synchronous on SQLite: the tick does not wait a turn for it, as before.
    const orderMark = sqlite.prepare<[], { n: number; last: number | null }>(
      'SELECT count(*) AS n, max(rowid) AS last FROM "Order"',
    );
    const refresh = sqliteRefresh(sqlite);
    return (now) => {
      if (now - lastRunAt < minInterval) return 0;
      try {
        if (!decide(now, orderMark.get())) return 0;
        return done(now, refresh(now));
      } catch (error) {
        return failed(now, error);
      }
    };
  }
  if (!deps.db) throw new Error('rfmRefresher: give the database (db) or a SQLite connection (sqlite)');
  const { sql } = deps.db;
  const refresh = refreshVia(sql);
  return async (now) => {
    if (now - lastRunAt < minInterval) return 0;
    try {
      // No rowid here: the count and the latest order's time say whether orders came in.
      if (!decide(now, await sql.get('SELECT count(*) AS n, max(placedAt) AS last FROM "Order"'))) return 0;
      return done(now, await refresh(now));
    } catch (error) {
      return failed(now, error);
    }
  };
}

const nextOf = (rfm: { orderCount: number }) => (rfm.orderCount > 0 ? JSON.stringify(rfm) : null);

/** Changed scores per statement through the port. */
const CHANGES_PER_UPDATE = 500;

/** Through the SQL port: the buyers read at once, the changed scores written in one transaction. */
function refreshVia(sql: SqlClient): (now: number) => Promise<number> {
  return async (now) => {
    const changes: Array<[string, string | null]> = [];
    for (const { id, rfm, storedRfm } of await rfmOfBuyersVia(sql, now)) {
      const next = nextOf(rfm);
      if (next !== storedRfm) changes.push([id, next]);
    }
    await sql.transaction(async (tx) => {
      for (let i = 0; i < changes.length; i += CHANGES_PER_UPDATE) {
        const chunk = changes.slice(i, i + CHANGES_PER_UPDATE);
        await tx.run(
          `WITH v (id, rfm) AS (VALUES ${chunk.map(() => `(${placeholders(2)})`).join(', ')})
           UPDATE Customer SET rfm = (SELECT v.rfm FROM v WHERE v.id = Customer.id) WHERE id IN (SELECT id FROM v)`,
          chunk.flat(),
        );
      }
    });
    return changes.length;
  };
}

/** On the engine's SQLite connection, as tuned for a million customers. */
function sqliteRefresh(sqlite: BetterSqlite3.Database): (now: number) => number {
  const update = sqlite.prepare('UPDATE Customer SET rfm = ? WHERE id = ?');

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
  return (now: number): number => (sqlite.memory ? refreshCollected(now) : refreshStreamed(now));
}
