import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Checkpoints the WAL from a worker thread with its own connection. SQLite's automatic checkpoint
 * runs inside whichever commit crosses the threshold, so every few batches one commit stopped to
 * copy and fsync thousands of pages: a third of the engine's commit time and the spikes in the
 * benchmark's p99. A PASSIVE checkpoint on another connection runs alongside the engine's writes
 * (WAL allows one writer and one checkpointer at once) and never blocks them.
 *
 * The engine's own connection keeps a high automatic threshold as a backstop: if this thread
 * stops or falls behind, the WAL is still checkpointed before it grows without bound.
 */

/** WAL pages (4 KiB) before the engine's connection checkpoints by itself. */
export const BACKSTOP_CHECKPOINT_PAGES = 16_000;

// Plain CommonJS so the worker needs no TypeScript loader. It exits when the database file is
// gone (tests delete their folders) or when told to stop.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { existsSync } = require('node:fs');
const Database = require(workerData.driver);
(function main() {
  let db;
  try {
    db = new Database(workerData.path, { fileMustExist: true });
    db.pragma('busy_timeout = 1000');
    db.pragma('synchronous = NORMAL');
  } catch (error) {
    // Gone before the worker started (a test removed its folder): nothing to checkpoint.
    if (!existsSync(workerData.path)) return parentPort.close();
    throw error;
  }
  let timer;
  const stop = () => { clearInterval(timer); try { db.close(); } catch {} ; parentPort.close(); };
  timer = setInterval(() => {
    if (!existsSync(workerData.path)) return stop();
    try {
      let [r] = db.pragma('wal_checkpoint(PASSIVE)');
      // A WAL about to be rewound (wal-rewind.ts): pass again while the engine committed much
      // during the last pass, so the frames left for the engine's own checkpoint are few.
      for (let i = 0; i < 4 && r.busy === 0 && r.log >= workerData.catchUpFrames; i++) {
        const [again] = db.pragma('wal_checkpoint(PASSIVE)');
        const committedDuring = again.log - r.log;
        r = again;
        if (committedDuring < 0 || committedDuring <= workerData.smallTailFrames) break;
      }
      parentPort.postMessage({ ok: r });
    } catch (error) {
      parentPort.postMessage({ error: String(error && error.message || error) });
    }
  }, workerData.intervalMs);
  parentPort.on('message', (m) => { if (m === 'stop') stop(); });
})();
`;

export interface Checkpointer {
  /** Checkpoints done and the last error, for logs and tests. */
  readonly stats: {
    checkpoints: number;
    /** SQLite's answer to the last checkpoint. */
    last?: CheckpointPass;
    lastError?: string;
  };
  /** Settles when the worker has ended (after stop, or by itself once the file is gone). */
  readonly exited: Promise<void>;
  stop(): Promise<void>;
}

export interface CheckpointerOptions {
  intervalMs?: number;
  onError?: (message: string) => void;
  /**
   * From this many WAL frames on, a pass is repeated (up to 4 times) until the engine committed
   * little during the last one: the engine's rewind then has few frames to copy (wal-rewind.ts).
   */
  catchUpFrames?: number;
  /** Called on this thread after each pass with SQLite's answer (see wal-rewind.ts). */
  onPass?: (pass: CheckpointPass) => void;
}

/** SQLite's answer to a checkpoint: busy, WAL frames, and how many are in the database file. */
export interface CheckpointPass {
  busy: number;
  log: number;
  checkpointed: number;
}

export function startCheckpointer(path: string, options: CheckpointerOptions = {}): Checkpointer {
  const { intervalMs = 100, onError, onPass } = options;
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { path, intervalMs, driver, catchUpFrames: options.catchUpFrames ?? Infinity, smallTailFrames: 100 },
  });
  // Never keeps the process alive: the WAL is checkpointed on close anyway.
  worker.unref();
  const stats: Checkpointer['stats'] = { checkpoints: 0 };
  worker.on('message', (m: { ok?: CheckpointPass; error?: string }) => {
    if (m.error) {
      stats.lastError = m.error;
      onError?.(m.error);
    } else if (m.ok) {
      stats.checkpoints++;
      stats.last = m.ok;
      onPass?.(m.ok);
    }
  });
  worker.on('error', (error) => {
    stats.lastError = error.message;
    onError?.(error.message);
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    stats,
    exited,
    async stop() {
      // Held while stopping: an unref'd worker would otherwise let the process end mid-await.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
