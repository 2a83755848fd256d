/**
 * The portable raw-SQL port: what reports, routers, node services and the engine's side parts use
 * to query either database. SQL is written once, SQLite-style: `?` placeholders and identifiers
 * as Prisma names them (`StepLog`, `journeyId`, unquoted); the PostgreSQL adapter quotes the
 * mixed-case ones and numbers the placeholders (`postgres-sql.ts`). Rows come back as SQLite's
 * would on both: DateTime columns as ISO-8601 text, BIGINT and numeric aggregates as numbers,
 * booleans as 0/1, JSON as text. Where the two dialects differ (dates, JSON, string aggregation),
 * `sql-dialect.ts` has the fragments.
 *
 * The engine's batched hot path does not come through here (it has its own store, engine/store/).
 */
export type SqlDialect = 'sqlite' | 'postgresql';

/** A parameter: booleans become 0/1 on SQLite; Dates become ISO text on SQLite. */
export type SqlValue = string | number | bigint | boolean | null | Date | Uint8Array;

export interface SqlRunResult {
  /** Rows inserted, updated or deleted. */
  changes: number;
}

export interface SqlClient {
  readonly dialect: SqlDialect;
  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** The first row, or undefined. */
  get<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  run(sql: string, params?: readonly SqlValue[]): Promise<SqlRunResult>;
  /**
   * Runs `work` in one transaction (committed when it resolves, rolled back when it throws) and
   * statements through `tx` inside it. Inside, call `tx`, not this client: this client's own
   * statements wait until the transaction ends. A `transaction` on `tx` joins the open one.
   *
   * SQLite: the connection is shared with the engine's synchronous batches, so the work must not
   * wait on anything but `tx` (no network, no Prisma): a transaction still open when the event
   * loop turns is rolled back with an error that says so.
   */
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>;
}
