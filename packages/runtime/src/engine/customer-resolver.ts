import { randomUUID } from 'node:crypto';
import type { JourneyEvent } from '@siyu/shared';
import type BetterSqlite3 from 'better-sqlite3';
import { mergeCustomers } from '../customers/merge-customers.ts';
import { isoDate } from '../db/iso-date.ts';
import type { Logger } from '../logger.ts';

/**
 * Finds the customer an event is about (phones arrive here already E.164: the event schema
 * normalises them), creating one from its identities if none matches.
 *
 * An event's identities are one person. Identities not yet known are added to the customer
 * (a WeCom contact whose phone becomes known now has it), and when they belong to different
 * customers those customers are merged into the oldest (mergeCustomers: nothing is lost) — the
 * WeCom contact and the customer imported with that phone become one. A customerId that was
 * merged away resolves to the customer it was merged into.
 */
export function customerResolver(db: BetterSqlite3.Database, logger: Logger) {
  const byIdentity = db.prepare<[string, string], { customerId: string; createdAt: string | number }>(
    `SELECT i.customerId, c.createdAt FROM CustomerIdentity i JOIN Customer c ON c.id = i.customerId
     WHERE i.kind = ? AND i.value = ?`,
  );
  const exists = db.prepare<[string], { id: string }>('SELECT id FROM Customer WHERE id = ?');
  const mergedInto = db.prepare<[string], { customerId: string }>(
    'SELECT customerId FROM CustomerMerge WHERE mergedId = ?',
  );
  const insertCustomer = db.prepare(
    "INSERT INTO Customer (id, attributes, createdAt, updatedAt) VALUES (?, '{}', ?, ?)",
  );
  const insertIdentity = db.prepare(
    'INSERT OR IGNORE INTO CustomerIdentity (kind, value, customerId, createdAt) VALUES (?, ?, ?, ?)',
  );
  const msOf = (v: string | number) => (typeof v === 'number' ? v : Date.parse(v));

  return (event: JourneyEvent, now: number): string | undefined => {
    if (event.customerId) {
      if (exists.get(event.customerId)) return event.customerId;
      return mergedInto.get(event.customerId)?.customerId;
    }
    const identities = Object.entries(event.identities ?? {}).filter(([, v]) => Boolean(v)) as [string, string][];
    if (identities.length === 0) return undefined;
    const found = new Map<string, number>();
    const unknown: [string, string][] = [];
    for (const [kind, value] of identities) {
      const row = byIdentity.get(kind, value);
      if (row) found.set(row.customerId, msOf(row.createdAt));
      else unknown.push([kind, value]);
    }
    const at = isoDate(now);
    let customerId: string;
    if (found.size === 0) {
      customerId = randomUUID();
      insertCustomer.run(customerId, at, at);
    } else {
      const [survivor, ...others] = [...found].sort(([a, ta], [b, tb]) => ta - tb || (a < b ? -1 : 1));
      customerId = (survivor as [string, number])[0];
      for (const [other] of others) {
        const outcome = mergeCustomers(db, customerId, other, { now, reason: 'identities' });
        logger.info(
          { survivorId: customerId, mergedId: other, eventId: event.id, exitedRuns: outcome.exitedRuns },
          'customers merged: one event named identities of both',
        );
      }
    }
    for (const [kind, value] of unknown) insertIdentity.run(kind, value, customerId, at);
    return customerId;
  };
}
