import { type JourneyGraph, type NodeRegistry, nextRunTimes, type SegmentFilterLike, SegmentFilterSchema } from '@siyu/shared';
import { visitSegmentMembers } from '../audiences/segments.ts';
import type { AppDatabase } from '../db/app-database.ts';

/** How many customers an entry would bring in, read from the real data. */
export type EntryEstimate =
  /** A segment entry: the members now, who enter at publish (again every `everyMs` when repeating). */
  | {
      nodeId: string;
      kind: 'audience';
      membersNow: number;
      everyMs: number | null;
      /** A calendar entry's first run time after now (epoch ms): its members enter then, not at publish. */
      nextRunAt: number | null;
      sample: string[];
    }
  /**
   * An event entry (channel scans, orders, …): events of its type over the last `days` days and
   * the customers they came from. The entry's own conditions are left to the simulation, which
   * replays sampled events through the real event intake: the share it enrols scales the rate.
   */
  | {
      nodeId: string;
      kind: 'event';
      event: string;
      days: number;
      events: number;
      customers: number;
      /** Customers a day with an event of the type. */
      perDay: number;
      /** Each customer's latest event of the type, newest first. */
      sample: { customerId: string; eventId: string }[];
    }
  /** An API entry: the brand's systems decide; there is nothing to read. */
  | { nodeId: string; kind: 'api' };

export const EVENT_RATE_DAYS = 7;
/** Matching events read at most per entry (the newest): enough for a rate, bounded in memory. */
const EVENTS_READ = 50_000;
/** Segment members kept for sampling (the sample is drawn at random from these). */
const MEMBERS_KEPT = 5_000;

/**
 * Each entry node of `graph` with what the real data says about it now: segment members, or the
 * rate of matching events. Reads through Prisma and the segment walker, so it runs on either database.
 */
export async function estimateEntries(
  db: AppDatabase,
  registry: NodeRegistry,
  graph: JourneyGraph,
  now: number,
): Promise<EntryEstimate[]> {
  const estimates: EntryEstimate[] = [];
  for (const node of graph.nodes) {
    const definition = registry.get(node.type);
    if (!definition?.entry) continue;
    const parsed = definition.config.safeParse(node.config);
    if (!parsed.success) continue; // validation reports it; the dry run refuses a journey with problems
    const trigger = definition.entry.trigger(parsed.data);
    if (trigger.kind === 'api') {
      estimates.push({ nodeId: node.id, kind: 'api' });
    } else if (trigger.kind === 'audience') {
      const filters: SegmentFilterLike[] = [trigger.filter];
      if (trigger.segmentId) {
        const segment = await db.prisma.segment.findUnique({ where: { id: trigger.segmentId } });
        if (segment) filters.unshift(SegmentFilterSchema.parse(JSON.parse(segment.filter)));
      }
      let membersNow = 0;
      const sample: string[] = [];
      await visitSegmentMembers(db, filters, now, (id) => {
        membersNow++;
        if (sample.length < MEMBERS_KEPT) sample.push(id);
      });
      const nextRunAt = trigger.calendar ? (nextRunTimes(trigger.calendar, now, 1)[0]?.getTime() ?? null) : null;
      estimates.push({
        nodeId: node.id,
        kind: 'audience',
        membersNow,
        everyMs: trigger.everyMs ?? null,
        nextRunAt,
        sample,
      });
    } else {
      const since = now - EVENT_RATE_DAYS * 86_400_000;
      const rows = await db.prisma.event.findMany({
        where: { type: trigger.event, occurredAt: { gte: since, lte: now }, customerId: { not: null } },
        orderBy: { occurredAt: 'desc' },
        take: EVENTS_READ,
        select: { externalId: true, customerId: true },
      });
      const latestPerCustomer = new Map<string, string>();
      for (const r of rows) {
        if (r.customerId && !latestPerCustomer.has(r.customerId)) latestPerCustomer.set(r.customerId, r.externalId);
      }
      estimates.push({
        nodeId: node.id,
        kind: 'event',
        event: trigger.event,
        days: EVENT_RATE_DAYS,
        events: rows.length,
        customers: latestPerCustomer.size,
        perDay: latestPerCustomer.size / EVENT_RATE_DAYS,
        sample: [...latestPerCustomer].map(([customerId, eventId]) => ({ customerId, eventId })),
      });
    }
  }
  return estimates;
}
