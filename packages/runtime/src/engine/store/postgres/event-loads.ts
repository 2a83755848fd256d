import type { JourneyEvent } from '@siyu/shared';
import { mergeProgram } from '../../../customers/merge-customers.ts';
import type { SqlClient } from '../../../db/sql-client.ts';
import { runVia } from '../../../db/sql-program.ts';
import type { Logger } from '../../../logger.ts';
import type { BatchCache, PgInstanceRow } from './batch-cache.ts';
import { type EventFacts, identitiesOf } from './event-records.ts';
import * as SQL from './sql.ts';

/** Serialises events with the same id across workers (both would otherwise see it as new). */
export const LOCK_EVENT_IDS = `SELECT pg_advisory_xact_lock(hashtext(x)) FROM (SELECT DISTINCT x FROM unnest($1::text[]) x ORDER BY x) ids`;
export const STORED_EVENTS = `SELECT "externalId", type, "customerId", "occurredAt", data FROM "Event"
  WHERE "externalId" = ANY($1::text[])`;
export const IDENTITIES = `SELECT i.kind, i.value, i."customerId", c."createdAt" FROM "CustomerIdentity" i
  JOIN "Customer" c ON c.id = i."customerId"
  JOIN unnest($1::text[], $2::text[]) AS u(kind, value) ON i.kind = u.kind AND i.value = u.value`;
export const MERGED = `SELECT "mergedId", "customerId" FROM "CustomerMerge" WHERE "mergedId" = ANY($1::text[])`;
export const ENTRY_CODES = `SELECT e.code, e."channelId", c.kind, e.variant FROM "EntryCode" e
  JOIN "Channel" c ON c.id = e."channelId" WHERE e.code = ANY($1::text[])`;

/** What the store lends an event batch's load (postgres-store.ts). */
export interface LoadContext {
  query<R>(sql: string, values: unknown[]): Promise<R[]>;
  loadCustomers(customerIds: readonly string[], lock: boolean): Promise<void>;
  reserveIds(count: number): Promise<void>;
  loadGraphs(versionIds: Iterable<string | null>): Promise<void>;
  cache: BatchCache;
  facts: EventFacts;
  /** The SQL port on the batch's connection (merges run inside the batch's transaction). */
  sql: SqlClient;
  logger?: Logger;
}

/**
 * `prepareEvents` on PostgreSQL: locks the events' ids (two workers given the same event take it
 * once), reads the stored events with those ids, the customers their ids and identities name (or
 * were merged into), entry codes, then locks those customers and their active runs and reads
 * their latest run in each live journey. A handful of statements per batch, none per event.
 */
export async function loadEventBatch(ctx: LoadContext, events: readonly JourneyEvent[], now: number): Promise<void> {
  const { query, loadCustomers, reserveIds, loadGraphs, cache, facts } = ctx;
  await query(LOCK_EVENT_IDS, [events.map((e) => e.id)]);
  for (const row of await query<{
    externalId: string;
    type: string;
    customerId: string | null;
    occurredAt: number;
    data: string;
  }>(STORED_EVENTS, [events.map((e) => e.id)]))
    facts.stored.set(row.externalId, row);
  const pairs = events.flatMap(identitiesOf);
  if (pairs.length > 0) {
    const rows = await query<{ kind: string; value: string; customerId: string; createdAt: Date }>(IDENTITIES, [
      pairs.map((p) => p[0]),
      pairs.map((p) => p[1]),
    ]);
    for (const r of rows)
      facts.identities.set(`${r.kind}\u0000${r.value}`, {
        customerId: r.customerId,
        createdAt: r.createdAt.getTime(),
      });
  }
  await mergeNamedTogether(ctx, events, now);
  const named = events.flatMap((e) => (e.customerId ? [e.customerId] : []));
  if (named.length > 0)
    for (const r of await query<{ mergedId: string; customerId: string }>(MERGED, [named]))
      facts.merged.set(r.mergedId, r.customerId);
  const codes = events.flatMap((e) => (typeof e.data.code === 'string' ? [e.data.code] : []));
  if (codes.length > 0)
    for (const r of await query<{ code: string; channelId: string; kind: string; variant: string }>(ENTRY_CODES, [
      codes,
    ]))
      facts.codes.set(r.code, r);
  const ids = [
    ...new Set([...named, ...facts.merged.values(), ...[...facts.identities.values()].map((i) => i.customerId)]),
  ];
  await loadCustomers(ids, true);
  const active = await query<PgInstanceRow>(SQL.ACTIVE_OF_CUSTOMERS, [ids]);
  cache.addActive(ids, active);
  const live = [...cache.journeys.values()].filter((j) => j.status === 'live' && j.liveVersionId);
  cache.addRuns(
    live.map((j) => j.id),
    ids,
    [...active, ...(await query<PgInstanceRow>(SQL.LATEST_RUNS, [ids, live.map((j) => j.id)]))],
  );
  // Every event may start a run in each live journey (new customers included).
  await reserveIds(events.length * live.length);
  await loadGraphs([...active.map((r) => r.versionId), ...live.map((j) => j.liveVersionId)]);
  facts.loaded = true;
}

const LOCK_PAIR = `SELECT id FROM "Customer" WHERE id = ANY($1::text[]) ORDER BY id FOR NO KEY UPDATE`;

/**
 * An event's identities are one person: where they name several customers, those are merged into
 * the oldest (customers/merge-customers.ts: nothing is lost) before the batch reads them, inside
 * its transaction, so the event and its runs then see one customer. Both are locked first: a
 * worker that finds one already merged away by another takes that merge's survivor instead.
 */
async function mergeNamedTogether(ctx: LoadContext, events: readonly JourneyEvent[], now: number): Promise<void> {
  const { facts } = ctx;
  for (const event of events) {
    const owners = new Map<string, number>();
    for (const [kind, value] of identitiesOf(event)) {
      const row = facts.identities.get(`${kind}\u0000${value}`);
      if (row) owners.set(row.customerId, row.createdAt);
    }
    if (owners.size < 2) continue;
    const [survivor, ...others] = [...owners]
      .sort(([a, ta], [b, tb]) => ta - tb || (a < b ? -1 : 1))
      .map(([id]) => id) as [string, ...string[]];
    const present = new Set((await ctx.query<{ id: string }>(LOCK_PAIR, [[survivor, ...others]])).map((r) => r.id));
    for (const other of others) {
      let into = survivor;
      if (present.has(survivor) && present.has(other)) {
        const outcome = await runVia(
          ctx.sql,
          mergeProgram('postgresql', survivor, other, { now, reason: 'identities' }),
        );
        ctx.logger?.info(
          { survivorId: survivor, mergedId: other, eventId: event.id, exitedRuns: outcome.exitedRuns },
          'customers merged: one event named identities of both',
        );
      } else {
        // Merged by another worker meanwhile: follow its record.
        const [row] = await ctx.query<{ mergedId: string; customerId: string }>(MERGED, [[other]]);
        if (!row) continue;
        into = row.customerId;
      }
      const createdAt = owners.get(survivor) as number;
      for (const [key, value] of facts.identities)
        if (value.customerId === other) facts.identities.set(key, { customerId: into, createdAt });
      for (const [mergedId, target] of facts.merged) if (target === other) facts.merged.set(mergedId, into);
      facts.merged.set(other, into);
    }
  }
}
