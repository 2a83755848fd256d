import pg from 'pg';
import type { SqlClient, SqlRunResult, SqlValue } from './sql-client.ts';

/**
 * SQLite-style SQL → PostgreSQL: `?` → `$1, $2, …`, and every identifier written in mixed case
 * (Prisma's `StepLog`, `journeyId`, an alias such as `nodeCount`) double-quoted, because
 * PostgreSQL folds unquoted names to lower case. String literals, quoted identifiers and comments
 * are left alone. SQL keywords and functions are written in one case, so they are never quoted.
 */
export function toPostgresSql(sql: string): string {
  let out = '';
  let param = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] as string;
    if (c === "'" || c === '"') {
      const end = closing(sql, i, c);
      out += sql.slice(i, end);
      i = end;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '?') {
      param++;
      out += `$${param}`;
      i++;
    } else if (/[A-Za-z_]/.test(c) && !/[A-Za-z0-9_$]/.test(sql[i - 1] ?? ' ')) {
      let end = i + 1;
      while (end < sql.length && /[A-Za-z0-9_]/.test(sql[end] as string)) end++;
      const word = sql.slice(i, end);
      out += /[a-z]/.test(word) && /[A-Z]/.test(word) ? `"${word}"` : word;
      i = end;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Index after the literal or quoted identifier opened at `start` (a doubled quote escapes it). */
function closing(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  throw new Error(
    `unterminated ${quote === "'" ? 'string literal' : 'quoted identifier'} in SQL: ${sql.slice(start, start + 40)}`,
  );
}

const OID = { bool: 16, int8: 20, json: 114, numeric: 1700, timestamp: 1114, timestamptz: 1184, jsonb: 3802 };

function parseSafeNumber(text: string): number {
  const value = Number(text);
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
    throw new RangeError(`${text} does not fit a JavaScript number`);
  }
  return value;
}

/**
 * How the port reads PostgreSQL values, so rows look like SQLite's (sql-client.ts): timestamps
 * (Prisma's DateTime is `timestamp(3)` in UTC) as ISO-8601 text, BIGINT/numeric as numbers,
 * booleans as 0/1, JSON left as text.
 */
export const PORT_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (format !== 'binary') {
      switch (oid) {
        case OID.bool:
          return (text: string) => (text === 't' ? 1 : 0);
        case OID.int8:
        case OID.numeric:
          return parseSafeNumber;
        case OID.timestamp:
          return (text: string) => new Date(`${text.replace(' ', 'T')}Z`).toISOString();
        case OID.timestamptz:
          return (text: string) => new Date(text).toISOString();
        case OID.json:
        case OID.jsonb:
          return (text: string) => text;
      }
    }
    return pg.types.getTypeParser(oid, format as 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

function bind(params: readonly SqlValue[] | undefined): unknown[] {
  if (!params) return [];
  // An epoch-ms BIGINT bound as a JS bigint goes as text; Dates go as ISO text (UTC).
  return params.map((value) => (value instanceof Date ? value.toISOString() : value));
}

// Translations by SQL text, shared by every client; bounded, since a statement built with a
// varying number of placeholders (an IN list) gives a new text per length.
const translated = new Map<string, string>();
const TRANSLATIONS_KEPT = 5000;
function text(sql: string): string {
  let t = translated.get(sql);
  if (t === undefined) {
    t = toPostgresSql(sql);
    if (translated.size >= TRANSLATIONS_KEPT) translated.clear();
    translated.set(sql, t);
  }
  return t;
}

/** A statement written for the port, as a pg query config (for a client the port does not wrap). */
export function portQuery(sql: string, params?: readonly SqlValue[]): pg.QueryConfig {
  return { text: text(sql), values: bind(params), types: PORT_TYPES };
}

function over(target: Queryable, transaction: SqlClient['transaction']): SqlClient {
  const query = (sql: string, params?: readonly SqlValue[]) => target.query(portQuery(sql, params));
  return {
    dialect: 'postgresql',
    async all<T>(sql: string, params?: readonly SqlValue[]) {
      return (await query(sql, params)).rows as T[];
    },
    async get<T>(sql: string, params?: readonly SqlValue[]) {
      return (await query(sql, params)).rows[0] as T | undefined;
    },
    async run(sql: string, params?: readonly SqlValue[]): Promise<SqlRunResult> {
      return { changes: (await query(sql, params)).rowCount ?? 0 };
    },
    transaction,
  };
}

/**
 * The SQL port over one connection already inside a transaction (the engine store's batch): its
 * `transaction` joins that one.
 */
export function postgresSqlClientOn(connection: pg.PoolClient): SqlClient {
  const client: SqlClient = over(connection, (work) => work(client));
  return client;
}

/** The SQL port over a PostgreSQL pool: a transaction takes one connection until it ends. */
export function postgresSqlClient(pool: pg.Pool): SqlClient {
  return over(pool, async (work) => {
    const connection = await pool.connect();
    let broken: unknown;
    try {
      await connection.query('BEGIN');
      const tx: SqlClient = over(connection, (inner) => inner(tx));
      const result = await work(tx);
      await connection.query('COMMIT');
      return result;
    } catch (error) {
      await connection.query('ROLLBACK').catch((rollbackError) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      // A connection whose rollback failed is dropped, not handed to the next caller mid-transaction.
      connection.release(broken instanceof Error ? broken : undefined);
    }
  });
}
