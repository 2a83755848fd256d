import type BetterSqlite3 from 'better-sqlite3';
import type { SqlRunResult } from './sql-client.ts';

interface QueuedWrite {
  run: () => SqlRunResult;
  resolve: (result: SqlRunResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for the SQL port's single write statements on SQLite. Statements issued outside a
 * transaction in the same synchronous stretch — a dispatcher batch's fifty SMS executors each
 * claiming its message, then each marking it sent — are run together once the stretch ends (a
 * microtask later), in ONE transaction, instead of one commit each: every commit rewrites the
 * pages of the table's indexes in the WAL. A statement that fails (a constraint) is undone alone
 * and rejects its own caller only; the others commit.
 * A caller still gets its result after its statement is durable (committed), as before.
 */
export function groupedWrites(
  sqlite: BetterSqlite3.Database,
  /** Undefined when the connection is free; else settles when the open transaction has ended. */
  ready: () => Promise<void> | undefined,
) {
  let queue: QueuedWrite[] = [];
  let scheduled = false;
  const runGroup = sqlite.transaction((writes: QueuedWrite[], outcomes: Array<() => void>) => {
    for (const write of writes) {
      try {
        const result = write.run();
        outcomes.push(() => write.resolve(result));
      } catch (error) {
        // Each write is ONE statement, and SQLite backs out a statement that fails a constraint
        // alone, leaving the transaction open: no savepoint per write is needed (they were most of
        // the group's cost). An error that ends the transaction itself (a full disk) ends the group.
        if (!sqlite.inTransaction) throw error;
        outcomes.push(() => write.reject(error));
      }
    }
  });

  function flush(): void {
    // A port transaction open across awaits holds the connection: the group waits for it to end
    // (asked again then: another may have begun meanwhile).
    const wait = ready();
    if (wait) {
      void wait.then(flush);
      return;
    }
    scheduled = false;
    const writes = queue;
    queue = [];
    if (writes.length === 1) {
      const only = writes[0] as QueuedWrite;
      settle(only);
      return;
    }
    const outcomes: Array<() => void> = [];
    try {
      runGroup.immediate(writes, outcomes);
    } catch (error) {
      // BEGIN or COMMIT failed (the database is locked past its busy timeout, the disk is full):
      // nothing of the group is stored, and every caller hears so.
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      for (const write of writes) write.reject(error);
      return;
    }
    for (const outcome of outcomes) outcome();
  }

  function settle(write: QueuedWrite): void {
    try {
      write.resolve(write.run());
    } catch (error) {
      write.reject(error);
    }
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(flush);
  }

  return (run: () => SqlRunResult): Promise<SqlRunResult> =>
    new Promise<SqlRunResult>((resolve, reject) => {
      queue.push({ run, resolve, reject });
      schedule();
    });
}
