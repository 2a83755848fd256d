import type BetterSqlite3 from 'better-sqlite3';
import type { Logger } from '../../../logger.ts';
import { BACKSTOP_CHECKPOINT_PAGES, type Checkpointer, startCheckpointer } from './checkpointer.ts';
import { REWIND_AFTER_FRAMES, rewindAfterPass } from './wal-rewind.ts';

export interface ConnectionTuning {
  /** SQLite page cache for the engine's connection, in MB (default 64). */
  pageCacheMb?: number;
  /** Checkpoint the WAL from a worker thread instead of inside commits (see checkpointer.ts). */
  backgroundCheckpoint: boolean;
}

/**
 * Sets up the engine's SQLite connection for its hot path and owns the background checkpoint
 * thread: started with the first tick (not at construction, so an engine that never runs starts
 * no thread) and stopped with the engine or the database, whichever goes first.
 */
export function tuneEngineConnection(db: BetterSqlite3.Database, tuning: ConnectionTuning, logger: Logger) {
  // SQLite's default page cache is 2 MB; the hot path touches Instance, Timer, OutboxEffect and
  // StepLog pages of many customers per batch, so a larger cache saves re-reading them from the OS.
  db.pragma(`cache_size = -${tuning.pageCacheMb ?? 64}000`);
  if (tuning.backgroundCheckpoint) db.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
  let checkpointer: Checkpointer | undefined;
  return {
    ensureCheckpointer(): void {
      if (!tuning.backgroundCheckpoint || checkpointer) return;
      checkpointer = startCheckpointer(db.name, {
        intervalMs: 100,
        catchUpFrames: REWIND_AFTER_FRAMES,
        onError: (error) => logger.warn({ error }, 'background checkpoint failed'),
        onPass: (pass) => rewindAfterPass(db, pass),
      });
    },
    async stopCheckpointer(): Promise<void> {
      const running = checkpointer;
      checkpointer = undefined;
      await running?.stop();
    },
  };
}
