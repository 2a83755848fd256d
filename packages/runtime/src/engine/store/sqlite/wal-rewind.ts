import type BetterSqlite3 from 'better-sqlite3';
import type { CheckpointPass } from './checkpointer.ts';

/**
 * WAL frames (4 KiB pages) past which the engine rewinds the WAL after a background pass:
 * half the backstop (checkpointer.ts), so the backstop's in-line checkpoint is not reached.
 */
export const REWIND_AFTER_FRAMES = 8_000;

/**
 * Rewinds the WAL right after the background checkpointer has copied all of it.
 *
 * SQLite writes the WAL from its start again only when a write transaction begins with every frame
 * already copied into the database file. The worker's PASSIVE passes copy everything, but the
 * engine commits during each pass, so that moment never comes by itself: the WAL grew to the
 * backstop, and the engine's commit that crossed it checkpointed in line — measured at 1M customers
 * and 2,000 events/s: a ~50 ms commit every half second, the p99 of event→effect latency. Here, as
 * soon as the worker reports a whole pass, the engine's own connection checkpoints what was committed
 * since (the worker passes again first while much was, so only tens of frames are left); its next
 * write then starts the WAL over. That checkpoint still syncs the WAL and the database file (6–35 ms
 * on this machine's disk: the cost is the two fsyncs, not the copying), hence only once the WAL is
 * past REWIND_AFTER_FRAMES — about twice a second at 2,000 events/s with 1M customers. Called between tasks, so no engine transaction is open; a
 * checkpoint busy elsewhere (the worker already on its next pass) simply waits for the next report.
 *
 * Returns whether it checkpointed (for its tests).
 */
export function rewindAfterPass(
  db: BetterSqlite3.Database,
  pass: CheckpointPass,
  afterFrames = REWIND_AFTER_FRAMES,
): boolean {
  if (pass.busy !== 0 || pass.log < afterFrames || pass.checkpointed < pass.log) return false;
  if (db.inTransaction || !db.open) return false;
  db.pragma('wal_checkpoint(PASSIVE)');
  return true;
}
