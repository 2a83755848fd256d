import type BetterSqlite3 from 'better-sqlite3';
import type { SqlClient } from '../db/sql-client.ts';
import { entryCodeOf } from './channel-attribution.ts';

export interface StoredEvent {
  externalId: string;
  type: string;
  customerId: string | null;
  occurredAt: number;
  receivedAt: number;
  data: Record<string, unknown>;
  source: string;
  /** Set for events no journey will see (anonymous scans): stored as already processed. */
  processedAt?: number;
}

/**
 * The one writer of Event rows (engine ingest, the redirect's anonymous scans, test fixtures, the
 * reports bench): derived columns such as entryCode are filled the same way everywhere. Duplicate
 * externalIds are ignored; returns whether the row is new.
 */
export function eventInserter(sqlite: BetterSqlite3.Database): (event: StoredEvent) => boolean {
  const insert = sqlite.prepare(INSERT_EVENT);
  return (e) => insert.run(...valuesOf(e)).changes > 0;
}

/** `eventInserter` through the SQL port (PostgreSQL; outside the engine's batches). */
export async function insertEventVia(sql: SqlClient, e: StoredEvent): Promise<boolean> {
  return (await sql.run(INSERT_EVENT, valuesOf(e))).changes > 0;
}

const INSERT_EVENT = `INSERT INTO Event (externalId, type, customerId, occurredAt, receivedAt, data, source, processedAt, entryCode)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (externalId) DO NOTHING`;

function valuesOf(e: StoredEvent) {
  return [
    e.externalId,
    e.type,
    e.customerId,
    e.occurredAt,
    e.receivedAt,
    JSON.stringify(e.data),
    e.source,
    e.processedAt ?? null,
    entryCodeOf(e.type, e.data),
  ];
}
