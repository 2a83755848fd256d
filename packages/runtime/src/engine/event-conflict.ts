import { isDeepStrictEqual } from 'node:util';
import type BetterSqlite3 from 'better-sqlite3';
import type { StoredEvent } from './event-inserter.ts';

/** Keys channel attribution adds to a channel event's data when storing it (channel-attribution.ts). */
const ATTRIBUTION_KEYS = ['channelId', 'channelKind', 'variant'];

/**
 * For an event whose id is already stored: what differs between the stored event and this one, or
 * undefined when they are the same event (a provider's retry, an idempotent duplicate). A sender
 * reusing an id for a different event would otherwise be silently dropped, so the difference is
 * reported as a conflict. Data is compared as JSON, ignoring the attribution keys the store added.
 */
export function eventConflictFinder(sqlite: BetterSqlite3.Database): (event: StoredEvent) => string | undefined {
  const stored = sqlite.prepare<
    [string],
    { type: string; customerId: string | null; occurredAt: number | bigint; data: string }
  >('SELECT type, customerId, occurredAt, data FROM Event WHERE externalId = ?');
  return (event) => {
    const row = stored.get(event.externalId);
    if (!row) return undefined;
    if (row.type !== event.type) return `type ${row.type} ≠ ${event.type}`;
    if (row.customerId !== event.customerId) return 'customer';
    if (Number(row.occurredAt) !== event.occurredAt) return 'occurredAt';
    const incoming = JSON.parse(JSON.stringify(event.data)) as Record<string, unknown>;
    const before = JSON.parse(row.data) as Record<string, unknown>;
    for (const key of ATTRIBUTION_KEYS) if (!(key in incoming)) delete before[key];
    return isDeepStrictEqual(before, incoming) ? undefined : 'data';
  };
}
