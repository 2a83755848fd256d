import type { JourneyEvent } from '@siyu/shared';
import type BetterSqlite3 from 'better-sqlite3';

/** Events that say "this customer came in through a tracked code" (data.code = the entry code). */
export const CHANNEL_EVENT_TYPES = new Set(['channel.entered', 'qr.scanned', 'link.clicked']);

/**
 * The entry code a stored event came in through (the Event.entryCode column): data.code of a
 * channel event, null for any other event. Every writer of Event rows stores it.
 */
export function entryCodeOf(type: string, data: Record<string, unknown>): string | null {
  return CHANNEL_EVENT_TYPES.has(type) && typeof data.code === 'string' ? data.code : null;
}

export type ChannelAttribution = (event: JourneyEvent, customerId: string) => JourneyEvent;

/**
 * Channel attribution on ingest. A channel event carries only the entry code (WeCom sends the live
 * code's `state`); this adds the code's channel id, kind and variant to the event data, so
 * channel entry nodes and reports can filter on them, and records the first channel that brought
 * the customer in (first touch: a later code never overwrites it).
 */
export function channelAttribution(sqlite: BetterSqlite3.Database): ChannelAttribution {
  const codeOf = sqlite.prepare<[string], { channelId: string; kind: string; variant: string }>(
    `SELECT e.channelId, c.kind, e.variant FROM EntryCode e JOIN Channel c ON c.id = e.channelId WHERE e.code = ?`,
  );
  const firstTouch = sqlite.prepare(
    'UPDATE Customer SET channelCode = ?, variant = ? WHERE id = ? AND channelCode IS NULL',
  );
  return (event, customerId) => {
    const code = event.data.code;
    if (!CHANNEL_EVENT_TYPES.has(event.type) || typeof code !== 'string') return event;
    const entry = codeOf.get(code);
    if (!entry) return event;
    firstTouch.run(code, entry.variant, customerId);
    return {
      ...event,
      data: { channelId: entry.channelId, channelKind: entry.kind, variant: entry.variant, ...event.data },
    };
  };
}
