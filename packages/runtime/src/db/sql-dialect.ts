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

/**
 * ` FOR UPDATE` after a SELECT on PostgreSQL, so a read-then-write transaction holds the rows it
 * read (another one waits, then reads the committed result); nothing on SQLite, whose port
 * transactions take the write lock when they begin (BEGIN IMMEDIATE).
 */
export function forUpdate(dialect: SqlDialect): string {
  return dialect === 'postgresql' ? ' FOR UPDATE' : '';
}
