import type BetterSqlite3 from 'better-sqlite3';

/**
 * The SQLite connection with every `transaction()` begun IMMEDIATE, for web and worker processes
 * sharing one file. better-sqlite3 begins DEFERRED: a transaction that reads first and then writes
 * must upgrade its read snapshot to a write lock, and when another PROCESS committed in between,
 * SQLite answers SQLITE_BUSY at once, without waiting for busy_timeout (waiting could not make the
 * snapshot current). Measured: a web process's enrolment of 2,000 customers failed with "database
 * is locked" after 0.5 s while a worker drained effects. IMMEDIATE takes the write lock first and
 * waits for it (busy_timeout, 5 s), so writers queue instead of failing. In one process (role
 * `all`) every transaction is synchronous on one connection and the engine keeps its default.
 * The engine's SQLite adapter could begin its batches IMMEDIATE itself; then this goes.
 */
export function withImmediateTransactions(sqlite: BetterSqlite3.Database): BetterSqlite3.Database {
  // Everything else (prepare, pragma, getters) resolves to the real connection through the prototype.
  const connection = Object.create(sqlite) as BetterSqlite3.Database;
  connection.transaction = ((fn: (...args: unknown[]) => unknown) => {
    const tx = sqlite.transaction(fn);
    const run = (...args: unknown[]) => tx.immediate(...args);
    return Object.assign(run, {
      default: tx.immediate,
      deferred: tx.deferred,
      immediate: tx.immediate,
      exclusive: tx.exclusive,
    });
  }) as BetterSqlite3.Database['transaction'];
  return connection;
}
