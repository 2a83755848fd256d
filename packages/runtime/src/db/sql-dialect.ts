// SQL fragments that differ between SQLite and PostgreSQL, for SQL written through the port
// (sql-client.ts). Everything else is written once: `?` placeholders, `ON CONFLICT … DO NOTHING`
// (not `INSERT OR IGNORE`), `RETURNING`, `TRUE`/`FALSE` (not 1/0) against Boolean columns.
import type { SqlDialect } from './sql-client.ts';

/** A DateTime column (ISO text on SQLite, timestamp on PostgreSQL) as epoch milliseconds. */
export function epochMsOf(dialect: SqlDialect, column: string): string {
  return dialect === 'postgresql'
    ? `CAST(round(extract(epoch from ${column}) * 1000) AS BIGINT)`
    : // julianday reads both `Z` and `+00:00` forms, as Prisma and the engine write them.
      `CAST(round((julianday(${column}) - 2440587.5) * 86400000) AS INTEGER)`;
}

/** The text at `key` of a JSON object stored as text (null when absent). */
export function jsonTextOf(dialect: SqlDialect, column: string, key: string): string {
  if (!/^[A-Za-z0-9_]+$/.test(key)) throw new Error(`jsonTextOf: unsafe key ${key}`);
  return dialect === 'postgresql' ? `(CAST(${column} AS jsonb) ->> '${key}')` : `json_extract(${column}, '$.${key}')`;
}

/** `expression`'s values of a group joined by `separator` (a SQL string literal, e.g. `','`). */
export function groupConcat(dialect: SqlDialect, expression: string, separator: string): string {
  return dialect === 'postgresql'
    ? `string_agg(CAST(${expression} AS text), ${separator})`
    : `group_concat(${expression}, ${separator})`;
}

/** `?, ?, ?` for an IN list of `count` values (at least one: `IN ()` is an error on PostgreSQL). */
export function placeholders(count: number): string {
  if (count < 1) throw new Error('placeholders: an IN list needs at least one value');
  return Array.from({ length: count }, () => '?').join(', ');
}

const DAY_MS = 86_400_000;
/** 0001-01-01 and 9999-12-31: ISO-8601 text with a 4-digit year that both databases read. */
const EARLIEST = -62_135_596_800_000;
const LATEST = 253_402_300_799_999;
const clamp = (ms: number) => Math.min(Math.max(ms, EARLIEST), LATEST);
const isoPrefix = (ms: number) => new Date(clamp(ms)).toISOString().slice(0, 23);

/**
 * SQL true when the DateTime `column` lies in [from, to) (epoch ms; open ends may be
 * ±Number.MAX_SAFE_INTEGER), with its parameters. Both forms can use an index on the column.
 *
 * PostgreSQL: the column is a real timestamp, so a plain range with Date parameters.
 *
 * SQLite: the column is ISO-8601 text, with `Z` or an offset. Same answer as
 * `epochMsOf(column) >= from AND epochMsOf(column) < to`, without running julianday on every row
 * (it dominated reports over 100k customers): ISO-8601 text sorts like time, give or take the UTC
 * offset (±14 h at most), so a row whose text is more than a day inside both ends is in the
 * period, a row more than a day outside is not (and the outer test can use an index); only rows
 * within a day of either end are converted exactly. Assumes what every writer here stores:
 * `YYYY-MM-DDTHH:MM:SS[.sss]` followed by `Z` or an offset.
 */
export function timeInPeriod(
  dialect: SqlDialect,
  column: string,
  from: number,
  to: number,
): { sql: string; params: (string | number | Date)[] } {
  if (dialect === 'postgresql') {
    return { sql: `(${column} >= ? AND ${column} < ?)`, params: [new Date(clamp(from)), new Date(clamp(to))] };
  }
  const ms = epochMsOf(dialect, column);
  return {
    sql: `(${column} >= ? AND ${column} < ? AND ((${column} >= ? AND ${column} < ?)
      OR (${ms} >= ? AND ${ms} < ?)))`,
    params: [
      isoPrefix(from - DAY_MS),
      isoPrefix(to + DAY_MS),
      isoPrefix(from + DAY_MS),
      isoPrefix(to - DAY_MS),
      from,
      to,
    ],
  };
}

/**
 * A subquery (`SELECT …`) of the integers in one parameter holding a JSON array of them, for
 * `column IN (…)` with a list too long for placeholders.
 */
export function integersOfJsonParam(dialect: SqlDialect): string {
  return dialect === 'postgresql'
    ? 'SELECT CAST(value AS BIGINT) FROM jsonb_array_elements_text(CAST(? AS jsonb))'
    : 'SELECT value FROM json_each(?)';
}

/** A group's `expression` values as JSON array text (`null` for no rows: wrap in coalesce). */
export function jsonArrayAgg(dialect: SqlDialect, expression: string): string {
  return dialect === 'postgresql'
    ? `CAST(json_agg(${expression} ORDER BY ${expression}) AS text)`
    : `json_group_array(${expression})`;
}

/** A group's key → value pairs as JSON object text (`null` on PostgreSQL for no rows: wrap in coalesce). */
export function jsonObjectAgg(dialect: SqlDialect, key: string, value: string): string {
  return dialect === 'postgresql'
    ? `CAST(json_object_agg(${key}, ${value}) AS text)`
    : `json_group_object(${key}, ${value})`;
}

/**
 * Appended to a SELECT inside a transaction that must keep the rows it read from other writers
 * until it ends. Empty on SQLite, whose write transactions (BEGIN IMMEDIATE) already exclude each other.
 */
export function forUpdate(dialect: SqlDialect): string {
  return dialect === 'postgresql' ? ' FOR UPDATE' : '';
}

/** `LIKE` that ignores ASCII case on both, as SQLite's does (PostgreSQL's LIKE does not: ILIKE). */
export function likeIgnoringCase(dialect: SqlDialect): string {
  return dialect === 'postgresql' ? 'ILIKE' : 'LIKE';
}

/**
 * The text at a JSON object's key given as a parameter (any key an operator typed, e.g. `城市`):
 * the SQL with one `?`, and the parameter to bind for it. The key must not contain `"` or `\`.
 */
export function jsonTextAtParam(dialect: SqlDialect, column: string, key: string): { sql: string; param: string } {
  if (/["\\]/.test(key)) throw new Error(`jsonTextAtParam: a key must not contain quotes or backslashes: ${key}`);
  return dialect === 'postgresql'
    ? { sql: `(CAST(${column} AS jsonb) ->> CAST(? AS text))`, param: key }
    : { sql: `json_extract(${column}, ?)`, param: `$."${key}"` };
}
