import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { JourneyEvent } from '@siyu/shared';
import { CHANNEL_EVENT_TYPES, entryCodeOf } from '../../channel-attribution.ts';
import { contactFacts } from '../../contact-recorder.ts';
import type { StoredEvent } from '../../event-inserter.ts';
import { ORDER_EVENT_TYPES, orderAmountCents, orderIdOf } from '../../order-recorder.ts';
import type { CustomerRow, EventRecords } from '../port.ts';
import { NotLoaded } from './batch-cache.ts';
import type { Send } from './write-buffer.ts';

// Event intake's records on PostgreSQL (the SQLite versions: customer-resolver.ts, event-inserter.ts,
// event-conflict.ts, channel-attribution.ts, order-recorder.ts, contact-recorder.ts). What they
// read is loaded by `prepareEvents` (event-loads.ts); what they write is collected and sent
// one statement per kind of row.

/** Keys channel attribution adds to a channel event's data (compared away, as event-conflict.ts). */
const ATTRIBUTION_KEYS = ['channelId', 'channelKind', 'variant'];

const identityKey = (kind: string, value: string) => `${kind}\u0000${value}`;

/** An event's identities, non-empty ones only. */
export function identitiesOf(event: JourneyEvent): Array<[string, string]> {
  return Object.entries(event.identities ?? {}).filter(([, v]) => Boolean(v)) as Array<[string, string]>;
}

/** What `prepareEvents` read about a batch's events. */
export class EventFacts {
  readonly stored = new Map<string, { type: string; customerId: string | null; occurredAt: number; data: string }>();
  readonly identities = new Map<string, { customerId: string; createdAt: number }>();
  readonly merged = new Map<string, string>();
  readonly codes = new Map<string, { channelId: string; kind: string; variant: string }>();
  /** Named customer ids whose existence was loaded (in the batch cache). */
  loaded = false;
}

/** The rows event intake writes in one batch. */
export class EventWrites {
  private customers: string[] = [];
  private identities: string[][] = [[], [], []];
  private events: unknown[][] = [[], [], [], [], [], [], [], []];
  private orders: unknown[][] = [[], [], [], [], []];
  /**
   * Customers whose channel, owner or name changed, as their (locked, so authoritative) cached
   * rows: the rules (first touch, first owner, …) were applied to the row, which is written as is.
   */
  private changed = new Map<string, CustomerRow>();
  rows = 0;

  customer(id: string): void {
    this.customers.push(id);
    this.rows++;
  }
  identity(kind: string, value: string, customerId: string): void {
    for (const [i, v] of [kind, value, customerId].entries()) this.identities[i]?.push(v);
    this.rows++;
  }
  event(e: StoredEvent): void {
    const row = [e.externalId, e.type, e.customerId, e.occurredAt, e.receivedAt, JSON.stringify(e.data), e.source];
    for (const [i, v] of [...row, entryCodeOf(e.type, e.data)].entries()) this.events[i]?.push(v);
    this.rows++;
  }
  order(id: string, customerId: string, amountCents: number, placedAt: Date, data: string): void {
    for (const [i, v] of [id, customerId, amountCents, placedAt, data].entries()) this.orders[i]?.push(v);
    this.rows++;
  }
  customerChanged(row: CustomerRow): void {
    if (!this.changed.has(row.id)) this.rows++;
    this.changed.set(row.id, row);
  }

  /** Sends the collected rows: customers first (instances, identities and orders refer to them). */
  async flush(q: Send, now: Date): Promise<void> {
    if (this.customers.length > 0) {
      await q(
        `INSERT INTO "Customer" (id, attributes, "createdAt", "updatedAt")
         SELECT id, '{}', $2, $2 FROM unnest($1::text[]) AS id ON CONFLICT DO NOTHING`,
        [this.customers, now],
      );
      this.customers = [];
    }
    if ((this.identities[0]?.length ?? 0) > 0) {
      await q(
        `INSERT INTO "CustomerIdentity" (kind, value, "customerId", "createdAt")
         SELECT k, v, c, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS u(k, v, c) ON CONFLICT DO NOTHING`,
        [...this.identities, now],
      );
      this.identities = [[], [], []];
    }
    if (this.changed.size > 0) {
      const rows = [...this.changed.values()];
      this.changed = new Map();
      await q(
        `UPDATE "Customer" c SET "channelCode" = u.code, variant = u.variant, "ownerUserId" = u.owner, "displayName" = u.name
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(id, code, variant, owner, name)
         WHERE c.id = u.id`,
        [
          rows.map((r) => r.id),
          rows.map((r) => r.channelCode),
          rows.map((r) => r.variant),
          rows.map((r) => r.ownerUserId),
          rows.map((r) => r.displayName),
        ],
      );
    }
    if ((this.events[0]?.length ?? 0) > 0) {
      await q(
        `INSERT INTO "Event" ("externalId", type, "customerId", "occurredAt", "receivedAt", data, source, "entryCode")
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::text[], $8::text[])
         ON CONFLICT ("externalId") DO NOTHING`,
        this.events,
      );
      this.events = [[], [], [], [], [], [], [], []];
    }
    if ((this.orders[0]?.length ?? 0) > 0) {
      await q(
        `INSERT INTO "Order" (id, "customerId", "amountCents", "placedAt", "channelCode", data)
         SELECT u.id, u.c, u.a, u.p, (SELECT "channelCode" FROM "Customer" WHERE id = u.c), u.d
         FROM unnest($1::text[], $2::text[], $3::int[], $4::timestamp(3)[], $5::text[]) AS u(id, c, a, p, d)
         ON CONFLICT (id) DO NOTHING`,
        this.orders,
      );
      this.orders = [[], [], [], [], []];
    }
  }
}

/** The records, answering from `facts` and the batch's customers, writing into `writes`. */
export function postgresEventRecords(
  batch: () => {
    facts: EventFacts;
    writes: EventWrites;
    customer(id: string): CustomerRow | undefined;
    /** A customer the batch created: readable, with no runs. */
    created(id: string, identities: Record<string, string>): void;
  },
): EventRecords {
  return {
    resolveCustomer(event) {
      const { facts, writes, customer, created } = batch();
      if (!facts.loaded) throw new NotLoaded('the facts of this batch’s events');
      if (event.customerId) {
        if (customer(event.customerId)) return event.customerId;
        return facts.merged.get(event.customerId);
      }
      const identities = identitiesOf(event);
      if (identities.length === 0) return undefined;
      const found = new Map<string, number>();
      const unknown: Array<[string, string]> = [];
      for (const [kind, value] of identities) {
        const row = facts.identities.get(identityKey(kind, value));
        if (row) found.set(row.customerId, row.createdAt);
        else unknown.push([kind, value]);
      }
      if (found.size > 1) {
        // prepareEvents merged them (event-loads.ts); still two means that load was skipped.
        throw new NotLoaded('the merge of the customers this event names');
      }
      let customerId = [...found.keys()][0];
      if (customerId === undefined) {
        customerId = randomUUID();
        writes.customer(customerId);
        created(customerId, Object.fromEntries(unknown));
      }
      for (const [kind, value] of unknown) {
        writes.identity(kind, value, customerId);
        facts.identities.set(identityKey(kind, value), { customerId, createdAt: Date.now() });
      }
      return customerId;
    },
    attributeChannel(event, customerId) {
      const code = event.data.code;
      if (!CHANNEL_EVENT_TYPES.has(event.type) || typeof code !== 'string') return event;
      const { facts, writes, customer } = batch();
      const entry = facts.codes.get(code);
      if (!entry) return event;
      // First touch: a later code never overwrites the channel that brought the customer in.
      const row = customer(customerId);
      if (row && row.channelCode === null) {
        Object.assign(row, { channelCode: code, variant: entry.variant });
        writes.customerChanged(row);
      }
      return {
        ...event,
        data: { channelId: entry.channelId, channelKind: entry.kind, variant: entry.variant, ...event.data },
      };
    },
    insertEvent(e) {
      const { facts, writes } = batch();
      if (facts.stored.has(e.externalId)) return false;
      facts.stored.set(e.externalId, {
        type: e.type,
        customerId: e.customerId,
        occurredAt: e.occurredAt,
        data: JSON.stringify(e.data),
      });
      writes.event(e);
      return true;
    },
    findEventConflict(event) {
      const row = batch().facts.stored.get(event.externalId);
      if (!row) return undefined;
      if (row.type !== event.type) return `type ${row.type} ≠ ${event.type}`;
      if (row.customerId !== event.customerId) return 'customer';
      if (Number(row.occurredAt) !== event.occurredAt) return 'occurredAt';
      const incoming = JSON.parse(JSON.stringify(event.data)) as Record<string, unknown>;
      const before = JSON.parse(row.data) as Record<string, unknown>;
      for (const key of ATTRIBUTION_KEYS) if (!(key in incoming)) delete before[key];
      return isDeepStrictEqual(before, incoming) ? undefined : 'data';
    },
    recordOrder(event, customerId) {
      if (!ORDER_EVENT_TYPES.has(event.type)) return;
      batch().writes.order(
        orderIdOf(event),
        customerId,
        orderAmountCents(event.data),
        event.occurredAt,
        JSON.stringify(event.data),
      );
    },
    recordContact(event, customerId) {
      const { writes, customer } = batch();
      const row = customer(customerId);
      if (!row) return;
      const told = contactFacts(event);
      let changed = false;
      if (told.name && !row.displayName) {
        row.displayName = told.name;
        changed = true;
      }
      // The first staff member sticks; deleting the owner releases the customer.
      if (told.claimBy && row.ownerUserId === null) {
        row.ownerUserId = told.claimBy;
        changed = true;
      } else if (told.releaseBy && row.ownerUserId === told.releaseBy) {
        row.ownerUserId = null;
        changed = true;
      }
      if (changed) writes.customerChanged(row);
    },
  };
}
