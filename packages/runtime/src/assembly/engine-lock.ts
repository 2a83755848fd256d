import BetterSqlite3 from 'better-sqlite3';

/**
 * On SQLite, one process per database file runs the engine's loops (role `all` or `worker`).
 * SQLite itself lets several processes on one machine use the file (WAL, busy_timeout), so any
 * number of `web` processes may share it; but the SQLite engine claims due timers and effects
 * without leases, and two loops would run the same effect twice. The lock is an open exclusive
 * transaction on a side file (`<db>.engine-lock`): the operating system drops it when the process
 * dies, however it dies, so a crashed worker never leaves a stale lock behind.
 */
export class EngineLockError extends Error {
  constructor(path: string) {
    super(
      `another process already runs the engine on this SQLite database (${path} is locked): ` +
        'on SQLite run ONE process with SIYU_ROLE=all or worker per database file, and any number with SIYU_ROLE=web',
    );
    this.name = 'EngineLockError';
  }
}

export interface EngineLock {
  release(): void;
}

export function takeEngineLock(databasePath: string): EngineLock {
  const path = `${databasePath}.engine-lock`;
  const lock = new BetterSqlite3(path, { timeout: 0 });
  try {
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new EngineLockError(path);
    throw error;
  }
  return {
    release() {
      if (!lock.open) return;
      lock.exec('ROLLBACK');
      lock.close();
    },
  };
}
