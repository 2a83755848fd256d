import type BetterSqlite3 from 'better-sqlite3';
import type { SqlClient, SqlRunResult, SqlValue } from './sql-client.ts';
import { groupedWrites } from './sqlite-grouped-writes.ts';
import type { SqliteWriteGate } from './sqlite-write-gate.ts';

/** Thrown when a SQLite transaction through the port waited on I/O (see SqlClient.transaction). */
export class SqliteTransactionSpanError extends Error {
  constructor() {
    super(
      'a SQLite transaction through the SQL port stayed open across an event-loop turn: its work waited on something other than its own statements (rolled back)',
    );
    this.name = 'SqliteTransactionSpanError';
  }
}

const noop = () => {};
/** Statements that change rows (and may share a transaction): INSERT, UPDATE, DELETE, REPLACE, or WITH … one of them. */
const ROW_CHANGE = /^\s*(INSERT|UPDATE|DELETE|REPLACE|WITH)\b/i;

/** Parameters as better-sqlite3 takes them: booleans as 0/1, Dates as ISO text. */
export function bind(params: readonly SqlValue[] | undefined): unknown[] {
  if (!params) return [];
  return params.map((value) =>
    typeof value === 'boolean' ? (value ? 1 : 0) : value instanceof Date ? value.toISOString() : value,
  );
}

/**
 * The SQL port over a better-sqlite3 connection. Statements are prepared once per SQL text
 * (better-sqlite3 caches nothing itself) and run synchronously; the promise is already settled.
 * `gate`: shared with Prisma's connection to the same file (sqlite-write-gate.ts), so their
 * transactions never wait on each other inside SQLite's busy handler.
 */
export function sqliteSqlClient(sqlite: BetterSqlite3.Database, gate?: SqliteWriteGate): SqlClient {
  const statements = new Map<string, BetterSqlite3.Statement>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = sqlite.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  // Transactions one at a time; statements from outside an open one wait for it to end.
  let open: Promise<unknown> = Promise.resolve();
  let depth = 0;

  const direct = {
    all<T>(sql: string, params?: readonly SqlValue[]): T[] {
      return prepare(sql).all(...bind(params)) as T[];
    },
    get<T>(sql: string, params?: readonly SqlValue[]): T | undefined {
      const statement = prepare(sql);
      if (statement.reader) return statement.get(...bind(params)) as T | undefined;
      statement.run(...bind(params));
      return undefined;
    },
    run(sql: string, params?: readonly SqlValue[]): SqlRunResult {
      const statement = prepare(sql);
      if (statement.reader) {
        // A RETURNING statement: runs it, counts its rows.
        return { changes: statement.all(...bind(params)).length };
      }
      return { changes: statement.run(...bind(params)).changes };
    },
  };

  async function inTransaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    sqlite.exec('BEGIN IMMEDIATE');
    depth++;
    let turned = false;
    const turn = setImmediate(() => {
      turned = true;
    });
    try {
      const result = await work(tx);
      if (turned) throw new SqliteTransactionSpanError();
      sqlite.exec('COMMIT');
      return result;
    } catch (error) {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      throw turned && !(error instanceof SqliteTransactionSpanError) ? new SqliteTransactionSpanError() : error;
    } finally {
      depth--;
      clearImmediate(turn);
    }
  }

  // A group waits for a port transaction open across awaits, and for Prisma's (on its own
  // connection): SQLite's busy handler would otherwise sleep the thread that transaction needs.
  const grouped = groupedWrites(sqlite, () =>
    depth > 0 ? open.then(noop, noop) : gate?.blocks('port') ? gate.pass('port') : undefined,
  );

  const tx: SqlClient = {
    dialect: 'sqlite',
    all: async (sql, params) => direct.all(sql, params),
    get: async (sql, params) => direct.get(sql, params),
    run: async (sql, params) => direct.run(sql, params),
    // Joins the open transaction.
    transaction: (work) => work(tx),
  };

  const client: SqlClient = {
    dialect: 'sqlite',
    async all(sql, params) {
      if (depth > 0) await open.catch(() => {});
      return direct.all(sql, params);
    },
    async get(sql, params) {
      if (depth > 0) await open.catch(() => {});
      return direct.get(sql, params);
    },
    // Row changes outside a transaction commit in groups (sqlite-grouped-writes.ts); anything else
    // (a PRAGMA) runs as it comes.
    async run(sql, params) {
      if (ROW_CHANGE.test(sql)) return grouped(() => direct.run(sql, params));
      if (depth > 0) await open.catch(() => {});
      return direct.run(sql, params);
    },
    transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
      const previous = open;
      const next = previous
        .catch(() => {})
        .then(async () => {
          const release = await gate?.enter('port');
          try {
            return await inTransaction(work);
          } finally {
            release?.();
          }
        });
      open = next;
      return next;
    },
  };
  return client;
}
