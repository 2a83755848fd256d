import { KNOWN_EVENT_TYPES } from '@siyu/shared';
import type { SqlClient } from '../db/sql-client.ts';

/** Customers whose attributes are read for names: the newest, enough to see every import's columns. */
const ATTRIBUTE_SAMPLE = 2000;

/**
 * What the segment builder offers in its pickers: attribute names found on the newest customers
 * (attributes are free-form JSON, so they are read rather than declared), and event types — the
 * ones the shipped nodes know plus any seen in the event log.
 */
export async function segmentFields(sql: SqlClient): Promise<{ attributeKeys: string[]; eventTypes: string[] }> {
  const rows = await sql.all<{ attributes: string }>(
    'SELECT attributes FROM Customer WHERE erasedAt IS NULL ORDER BY createdAt DESC LIMIT ?',
    [ATTRIBUTE_SAMPLE],
  );
  const keys = new Set<string>();
  for (const r of rows) {
    const value = JSON.parse(r.attributes) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) for (const k of Object.keys(value)) keys.add(k);
  }
  const seen = await sql.all<{ type: string }>('SELECT DISTINCT type FROM Event');
  const eventTypes = new Set([...Object.keys(KNOWN_EVENT_TYPES), ...seen.map((e) => e.type)]);
  return { attributeKeys: [...keys].sort(), eventTypes: [...eventTypes].sort() };
}
