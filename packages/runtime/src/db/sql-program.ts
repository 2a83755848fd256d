import type BetterSqlite3 from 'better-sqlite3';
import type { SqlClient, SqlDialect, SqlValue } from './sql-client.ts';
import { bind } from './sqlite-sql.ts';

/**
 * A piece of data work written once for both databases and both ways of running: a generator that
 * yields its statements (SQL as for the port, sql-client.ts) and receives each one's result.
 * `runOnSqlite` runs it synchronously on a better-sqlite3 connection, where it may sit inside the
 * engine's batch transaction (a merge during event intake); `runVia` runs it through the SQL port,
 * awaiting each statement (PostgreSQL, or SQLite outside a batch). The logic between statements
 * (which customer survives, which runs end) is the same code either way.
 */
export type SqlProgram<T> = Generator<ProgramStatement, T, StatementResult>;

export interface ProgramStatement {
  sql: string;
  params?: readonly SqlValue[];
  /** True: the rows are wanted (a SELECT or RETURNING); else the count of rows changed. */
  rows?: boolean;
}

export interface StatementResult {
  rows: Array<Record<string, unknown>>;
  changes: number;
}

/** Inside a program: the rows of a query. */
export function* query<R>(
  sql: string,
  params: readonly SqlValue[] = [],
): Generator<ProgramStatement, R[], StatementResult> {
  return (yield { sql, params, rows: true }).rows as R[];
}

/** Inside a program: runs a write; the number of rows it changed. */
export function* execute(
  sql: string,
  params: readonly SqlValue[] = [],
): Generator<ProgramStatement, number, StatementResult> {
  return (yield { sql, params }).changes;
}

/** What a program needs to know of the database it runs on. */
export interface ProgramContext {
  dialect: SqlDialect;
}

const prepared = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

/** Runs `program` now on `db` (the caller opens the transaction, if it wants one). */
export function runOnSqlite<T>(db: BetterSqlite3.Database, program: SqlProgram<T>): T {
  let statements = prepared.get(db);
  if (!statements) {
    statements = new Map();
    prepared.set(db, statements);
  }
  let step = program.next();
  while (!step.done) {
    const { sql, params, rows } = step.value;
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    const values = bind(params);
    let result: StatementResult;
    if (rows || statement.reader) {
      const all = statement.all(...values) as Array<Record<string, unknown>>;
      result = { rows: all, changes: all.length };
    } else {
      result = { rows: [], changes: statement.run(...values).changes };
    }
    step = program.next(result);
  }
  return step.value;
}

/** Runs `program` through the SQL port, statement by statement (inside `sql`'s transaction, if it is one). */
export async function runVia<T>(sql: SqlClient, program: SqlProgram<T>): Promise<T> {
  let step = program.next();
  while (!step.done) {
    const { sql: text, params, rows } = step.value;
    const result: StatementResult = rows
      ? await sql.all(text, params).then((all) => ({ rows: all, changes: all.length }))
      : { rows: [], changes: (await sql.run(text, params)).changes };
    step = program.next(result);
  }
  return step.value;
}
