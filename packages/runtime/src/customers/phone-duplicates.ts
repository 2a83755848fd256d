import { normalizePhone } from '@siyu/shared';
import type BetterSqlite3 from 'better-sqlite3';
import { mergeCustomers } from './merge-customers.ts';

export interface PhoneCleanup {
  /** Phone identities rewritten to E.164 (no other customer had that number). */
  normalized: number;
  /** Customers merged into the customer that already had the number (the older one survives). */
  merged: number;
  /** Stored phones that are not numbers at all: left as they were, for an operator to look at. */
  invalid: number;
  /** SMS opt-outs rewritten to E.164 (or dropped where the E.164 opt-out already existed). */
  optOuts: number;
}

/**
 * Stored values that are not E.164 (a "+", a non-zero digit, digits only). SQLite filters them
 * from the (kind, value) key index, so a database with nothing to clean costs one index pass.
 */
const NOT_E164 = "(v NOT GLOB '+[1-9]*' OR substr(v, 2) GLOB '*[^0-9]*')";

/**
 * Start-up step after the migrations: before this release, `events.ingest` stored phones as sent,
 * so "13711112222", "+8613711112222" and "137 1111 2222" became three customers (and SMS replies,
 * stored as +86…, never reached the first and the last). Every phone identity not in E.164 is
 * normalised; where the number already belongs to another customer the two are merged (see
 * mergeCustomers: the older customer survives, nothing is lost). SMS opt-outs recorded under a
 * non-E.164 spelling are rewritten too, so the number stays opted out. One transaction;
 * idempotent (a second run finds nothing to do).
 */
export function mergePhoneDuplicates(db: BetterSqlite3.Database, now: number): PhoneCleanup {
  return db.transaction((): PhoneCleanup => {
    const result: PhoneCleanup = { normalized: 0, merged: 0, invalid: 0, optOuts: 0 };
    const raw = (
      db
        .prepare(`SELECT value AS v FROM CustomerIdentity WHERE kind = 'phone' AND ${NOT_E164} ORDER BY createdAt, v`)
        .all() as { v: string }[]
    ).map((r) => r.v);
    const ownerOf = db.prepare<[string], { customerId: string }>(
      "SELECT customerId FROM CustomerIdentity WHERE kind = 'phone' AND value = ?",
    );
    const rename = db.prepare("UPDATE CustomerIdentity SET value = ? WHERE kind = 'phone' AND value = ?");
    const drop = db.prepare("DELETE FROM CustomerIdentity WHERE kind = 'phone' AND value = ?");
    const age = db.prepare<[string], { createdAt: string | number }>('SELECT createdAt FROM Customer WHERE id = ?');
    const msOf = (id: string) => {
      const v = age.get(id)?.createdAt;
      return typeof v === 'number' ? v : Date.parse(v ?? '');
    };
    for (const value of raw) {
      const phone = normalizePhone(value);
      if (!phone.ok) {
        result.invalid++;
        continue;
      }
      // Read now, not up front: an earlier merge in this loop may have moved the row.
      const holder = ownerOf.get(value)?.customerId;
      const owner = ownerOf.get(phone.e164)?.customerId;
      if (!holder) continue;
      if (!owner) {
        rename.run(phone.e164, value);
        result.normalized++;
        continue;
      }
      if (owner !== holder) {
        const [survivor, merged] =
          msOf(holder) - msOf(owner) < 0 || (msOf(holder) === msOf(owner) && holder < owner)
            ? [holder, owner]
            : [owner, holder];
        mergeCustomers(db, survivor, merged, { now, reason: 'phone' });
        result.merged++;
      }
      // The survivor now holds the E.164 row; the old spelling is redundant.
      drop.run(value);
    }

    const optOuts = db.prepare(`SELECT address AS v FROM OptOut WHERE channel = 'sms' AND ${NOT_E164}`).all() as {
      v: string;
    }[];
    const hasOptOut = db.prepare("SELECT 1 FROM OptOut WHERE channel = 'sms' AND address = ?");
    const renameOptOut = db.prepare("UPDATE OptOut SET address = ? WHERE channel = 'sms' AND address = ?");
    const dropOptOut = db.prepare("DELETE FROM OptOut WHERE channel = 'sms' AND address = ?");
    for (const { v } of optOuts) {
      const phone = normalizePhone(v);
      if (!phone.ok) continue;
      if (hasOptOut.get(phone.e164)) dropOptOut.run(v);
      else renameOptOut.run(phone.e164, v);
      result.optOuts++;
    }
    return result;
  })();
}
