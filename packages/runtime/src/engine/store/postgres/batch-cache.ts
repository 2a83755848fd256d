import { applyCustomerUpdate, type CustomerUpdate } from '@siyu/shared';
import { isoDate } from '../../../db/iso-date.ts';
import type { CustomerRow, InstanceRow, NewInstance, OutcomeResolution } from '../port.ts';

export interface JourneyRow {
  id: string;
  status: string;
  liveVersionId: string | null;
  name: string;
}

/** A row as the pool returns it: timestamps as Dates. */
export type PgInstanceRow = Omit<InstanceRow, 'enteredAt'> & { enteredAt: Date | string };
export type PgCustomerRow = Omit<CustomerRow, 'erasedAt'> & { erasedAt: Date | string | null };

export const instanceRow = (r: PgInstanceRow): InstanceRow => ({
  ...r,
  enteredAt: r.enteredAt instanceof Date ? isoDate(r.enteredAt.getTime()) : r.enteredAt,
});
const customerRow = (r: PgCustomerRow): CustomerRow => ({
  ...r,
  erasedAt: r.erasedAt instanceof Date ? isoDate(r.erasedAt.getTime()) : r.erasedAt,
});

const pair = (customerId: string, journeyId: string) => `${customerId}\u0000${journeyId}`;

/** A read the batch's loads did not cover: a missing preload, never a reason to guess. */
export class NotLoaded extends Error {
  constructor(what: string) {
    super(`PostgreSQL store: ${what} was not loaded by this batch's load`);
    this.name = 'NotLoaded';
  }
}

/**
 * What one PostgreSQL batch has read, kept current with its own writes, so the engine's per-row
 * reads (synchronous) are answered from memory: a read the batch's loads did not cover throws
 * NotLoaded rather than answer from a guess.
 */
export class BatchCache {
  readonly journeys = new Map<string, JourneyRow>();
  private readonly customers = new Map<string, CustomerRow | null>();
  private readonly instances = new Map<number, InstanceRow>();
  /** Per customer and journey whose runs were loaded: the latest run's start and the run ids. */
  private readonly runs = new Map<string, { latest?: { id: number; enteredAt: string }; ids: number[] }>();
  /** Per customer whose active runs were loaded: their ids. */
  private readonly active = new Map<string, number[]>();
  private readonly resolutions = new Map<string, OutcomeResolution & { id: number }>();
  private readonly messages = new Map<string, Array<{ channel: string; sentAt: number; key: string }>>();

  hasCustomer(customerId: string): boolean {
    return this.customers.has(customerId);
  }

  addCustomers(requested: readonly string[], rows: PgCustomerRow[]): void {
    for (const id of requested) if (!this.customers.has(id)) this.customers.set(id, null);
    for (const row of rows) this.customers.set(row.id, customerRow(row));
  }

  customer(customerId: string): CustomerRow | undefined {
    const row = this.customers.get(customerId);
    if (row === undefined) throw new NotLoaded(`customer ${customerId}`);
    return row ?? undefined;
  }

  /**
   * A customer update a step of this batch made (tag and attribute nodes): later reads see it. The
   * row object is changed in place, so the store's recent-customers memory sees it too. A customer
   * this batch did not read has nothing to keep current.
   */
  customerUpdated(customerId: string, update: CustomerUpdate): void {
    const row = this.customers.get(customerId);
    if (!row) return;
    const after = applyCustomerUpdate(
      { tags: JSON.parse(row.tags) as string[], attributes: JSON.parse(row.attributes) as Record<string, unknown> },
      update,
    );
    row.tags = JSON.stringify(after.tags.sort());
    row.attributes = JSON.stringify(after.attributes);
  }

  /** Keeps an instance row; the first row object for an id is the one everyone steps. */
  instance(row: PgInstanceRow): InstanceRow {
    const known = this.instances.get(row.id);
    if (known) return known;
    const fresh = instanceRow(row);
    this.instances.set(fresh.id, fresh);
    return fresh;
  }

  /** Runs of `journeyId` for `customerIds` (actives and each one's latest), all loaded. */
  addRuns(journeyIds: readonly string[], customerIds: readonly string[], rows: PgInstanceRow[]): void {
    for (const c of customerIds)
      for (const j of journeyIds) if (!this.runs.has(pair(c, j))) this.runs.set(pair(c, j), { ids: [] });
    for (const r of rows) {
      const row = this.instance(r);
      const entry = this.runs.get(pair(row.customerId, row.journeyId));
      if (!entry) continue;
      if (!entry.ids.includes(row.id)) entry.ids.push(row.id);
      if (!entry.latest || entry.latest.id < row.id) entry.latest = { id: row.id, enteredAt: row.enteredAt };
    }
  }

  addActive(customerIds: readonly string[], rows: PgInstanceRow[]): void {
    for (const c of customerIds) if (!this.active.has(c)) this.active.set(c, []);
    for (const r of rows) {
      const row = this.instance(r);
      const ids = this.active.get(row.customerId);
      if (ids && !ids.includes(row.id)) ids.push(row.id);
    }
  }

  /** A customer the batch created (event intake): known, with no runs anywhere yet. */
  created(customerId: string, identities: Record<string, string>, liveJourneyIds: readonly string[]): void {
    this.customers.set(customerId, {
      id: customerId,
      attributes: '{}',
      displayName: null,
      ownerUserId: null,
      channelCode: null,
      variant: null,
      erasedAt: null,
      rfm: null,
      tags: '[]',
      identities: JSON.stringify(identities),
    });
    this.active.set(customerId, []);
    for (const j of liveJourneyIds) this.runs.set(pair(customerId, j), { ids: [] });
  }

  /** A run the batch inserted: it is the customer's latest in its journey from now on. */
  inserted(id: number, i: NewInstance): void {
    const row: InstanceRow = {
      id,
      journeyId: i.journeyId,
      versionId: i.versionId,
      customerId: i.customerId,
      status: i.status,
      holdout: i.holdout ? 1 : 0,
      snapshot: i.snapshot,
      nodeId: i.nodeId,
      waitingFor: i.waitingFor,
      enteredAt: isoDate(i.at),
    };
    this.instances.set(id, row);
    this.runs.get(pair(i.customerId, i.journeyId))?.ids.push(id);
    const entry = this.runs.get(pair(i.customerId, i.journeyId));
    if (entry) entry.latest = { id, enteredAt: row.enteredAt };
    this.active.get(i.customerId)?.push(id);
  }

  /** Keeps the cached row of an instance current with a step written for another row object. */
  stepped(row: InstanceRow, change: Pick<InstanceRow, 'snapshot' | 'nodeId' | 'status' | 'waitingFor'>): void {
    const cached = this.instances.get(row.id);
    if (cached && cached !== row) Object.assign(cached, change);
  }

  lastInstance(customerId: string, journeyId: string): { enteredAt: string } | undefined {
    const entry = this.runs.get(pair(customerId, journeyId));
    if (!entry) throw new NotLoaded(`runs of customer ${customerId} in journey ${journeyId}`);
    return entry.latest;
  }

  hasActiveInstance(customerId: string, journeyId: string): boolean {
    const entry = this.runs.get(pair(customerId, journeyId));
    if (!entry) throw new NotLoaded(`runs of customer ${customerId} in journey ${journeyId}`);
    return entry.ids.some((id) => this.instances.get(id)?.status === 'active');
  }

  activeInstancesOfCustomer(customerId: string): InstanceRow[] {
    const ids = this.active.get(customerId);
    if (!ids) throw new NotLoaded(`active runs of customer ${customerId}`);
    return ids.flatMap((id) => {
      const row = this.instances.get(id);
      return row?.status === 'active' ? [row] : [];
    });
  }

  addResolutions(rows: Array<OutcomeResolution & { id: number; effectKey: string }>): void {
    for (const { effectKey, ...resolution } of rows) this.resolutions.set(effectKey, resolution);
  }

  /** The open decision on an effect (loaded with its claim), if any; `take` marks it gone. */
  resolution(effectKey: string, take = false): (OutcomeResolution & { id: number }) | undefined {
    const found = this.resolutions.get(effectKey);
    if (take) this.resolutions.delete(effectKey);
    return found;
  }

  addMessages(
    customerIds: readonly string[],
    rows: Array<{ customerId: string; channel: string; sentAt: number; idempotencyKey: string }>,
  ): void {
    for (const c of customerIds) if (!this.messages.has(c)) this.messages.set(c, []);
    for (const r of rows)
      this.messages.get(r.customerId)?.push({ channel: r.channel, sentAt: r.sentAt, key: r.idempotencyKey });
  }

  countMessages(customerId: string, channel: string, since: number, exceptKey: string): number {
    const sent = this.messages.get(customerId);
    if (!sent) throw new NotLoaded(`messages of customer ${customerId}`);
    return sent.filter((m) => m.channel === channel && m.sentAt >= since && m.key !== exceptKey).length;
  }
}
