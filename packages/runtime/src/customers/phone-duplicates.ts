import { normalizePhone } from '@siyu/shared';
import type BetterSqlite3 from 'better-sqlite3';
import type { SqlClient, SqlDialect } from '../db/sql-client.ts';
import { execute, query, runOnSqlite, runVia, type SqlProgram } from '../db/sql-program.ts';
import { mergeProgram } from './merge-customers.ts';

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
const notE164 = (dialect: SqlDialect, v: string) =>
  dialect === 'sqlite'
    ? `(${v} NOT GLOB '+[1-9]*' OR substr(${v}, 2) GLOB '*[^0-9]*')`
    : `(${v} !~ '^\\+[1-9]' OR substr(${v}, 2) ~ '[^0-9]')`;

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
  return db.transaction(() => runOnSqlite(db, cleanupProgram('sqlite', now)))();
}

/** `mergePhoneDuplicates` through the SQL port (PostgreSQL), in one transaction. */
export function mergePhoneDuplicatesVia(sql: SqlClient, now: number): Promise<PhoneCleanup> {
  return sql.transaction((tx) => runVia(tx, cleanupProgram(sql.dialect, now)));
}

function* cleanupProgram(dialect: SqlDialect, now: number): SqlProgram<PhoneCleanup> {
  const result: PhoneCleanup = { normalized: 0, merged: 0, invalid: 0, optOuts: 0 };
  const raw = (yield* query<{ v: string }>(
    `SELECT value AS v FROM CustomerIdentity WHERE kind = 'phone' AND ${notE164(dialect, 'value')} ORDER BY createdAt, v`,
  )).map((r) => r.v);
  const ownerOf = function* (value: string) {
    const [row] = yield* query<{ customerId: string }>(
      "SELECT customerId FROM CustomerIdentity WHERE kind = 'phone' AND value = ?",
      [value],
    );
    return row?.customerId;
  };
  const rename = (to: string, from: string) =>
    execute("UPDATE CustomerIdentity SET value = ? WHERE kind = 'phone' AND value = ?", [to, from]);
  const drop = (value: string) => execute("DELETE FROM CustomerIdentity WHERE kind = 'phone' AND value = ?", [value]);
  const msOf = function* (id: string) {
    const [row] = yield* query<{ createdAt: string | number }>('SELECT createdAt FROM Customer WHERE id = ?', [id]);
    const v = row?.createdAt;
    return typeof v === 'number' ? v : Date.parse(v ?? '');
  };
  for (const value of raw) {
    const phone = normalizePhone(value);
    if (!phone.ok) {
      result.invalid++;
      continue;
    }
    // Read now, not up front: an earlier merge in this loop may have moved the row.
    const holder = yield* ownerOf(value);
    const owner = yield* ownerOf(phone.e164);
    if (!holder) continue;
    if (!owner) {
      yield* rename(phone.e164, value);
      result.normalized++;
      continue;
    }
    if (owner !== holder) {
      const [holderMs, ownerMs] = [yield* msOf(holder), yield* msOf(owner)];
      const [survivor, merged] =
        holderMs - ownerMs < 0 || (holderMs === ownerMs && holder < owner) ? [holder, owner] : [owner, holder];
      yield* mergeProgram(dialect, survivor, merged, { now, reason: 'phone' });
      result.merged++;
    }
    // The survivor now holds the E.164 row; the old spelling is redundant.
    yield* drop(value);
  }

  const optOuts = yield* query<{ v: string }>(
    `SELECT address AS v FROM OptOut WHERE channel = 'sms' AND ${notE164(dialect, 'address')}`,
  );
  for (const { v } of optOuts) {
    const phone = normalizePhone(v);
    if (!phone.ok) continue;
    const [has] = yield* query("SELECT 1 AS one FROM OptOut WHERE channel = 'sms' AND address = ?", [phone.e164]);
    if (has) yield* execute("DELETE FROM OptOut WHERE channel = 'sms' AND address = ?", [v]);
    else yield* execute("UPDATE OptOut SET address = ? WHERE channel = 'sms' AND address = ?", [phone.e164, v]);
    result.optOuts++;
  }
  return result;
}
