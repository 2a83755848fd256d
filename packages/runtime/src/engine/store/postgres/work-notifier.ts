import pg from 'pg';
import type { Logger } from '../../../logger.ts';

/**
 * Workers on PostgreSQL learn of new work by polling, which put the event→effect latency at the
 * poll interval (docs/capacity.md). A batch that commits work due now also sends NOTIFY on this
 * channel (postgres-store.ts), inside its transaction so it is delivered only on commit; every
 * running engine LISTENs and wakes its loop early. Polling stays: a lost notification only delays
 * the work to the next poll.
 */
export const WORK_CHANNEL = 'siyu_work';

/** Appended to a batch's COMMIT (one round trip): PostgreSQL folds repeated NOTIFYs of a transaction. */
export const NOTIFY_AND_COMMIT = `NOTIFY ${WORK_CHANNEL}; COMMIT`;

export interface WorkListenerOptions {
  /** The database (DATABASE_URL). The listener holds its own connection, not one of the pool's. */
  url: string;
  logger: Logger;
  /** Called once per burst of notifications (see `debounceMs`). */
  onWork: () => void;
  /** Notifications within this window wake once (default 2 ms: a burst of batches commits at once). */
  debounceMs?: number;
  /** First reconnect delay after the connection drops; doubles up to `maxBackoffMs` (default 100 ms). */
  backoffMs?: number;
  maxBackoffMs?: number;
}

export interface WorkListener {
  /** The listening connection's backend pid (undefined while reconnecting): for tests and logs. */
  readonly pid: number | undefined;
  /** Resolves once the listener has connected and is listening (the first time or after a reconnect). */
  ready(): Promise<void>;
  stop(): Promise<void>;
}

/** Holds one LISTEN connection, reconnecting with backoff when it drops, until stopped. */
export function listenForWork(options: WorkListenerOptions): WorkListener {
  const { logger, onWork } = options;
  const debounceMs = options.debounceMs ?? 2;
  const firstBackoff = options.backoffMs ?? 100;
  const maxBackoff = options.maxBackoffMs ?? 5_000;
  let stopped = false;
  let client: pg.Client | undefined;
  let pid: number | undefined;
  let backoff = firstBackoff;
  let retry: NodeJS.Timeout | undefined;
  let pending: NodeJS.Timeout | undefined;
  let waiters: Array<() => void> = [];
  let listenedBefore = false;

  const notified = () => {
    if (pending || stopped) return;
    pending = setTimeout(() => {
      pending = undefined;
      if (!stopped) onWork();
    }, debounceMs);
  };

  const dropped = (which: pg.Client, error?: unknown) => {
    if (client !== which) return; // an older connection's late error
    client = undefined;
    pid = undefined;
    which.end().catch(() => {});
    if (stopped) return;
    logger.warn(
      { err: error, channel: WORK_CHANNEL, retryInMs: backoff },
      'work notifications: the LISTEN connection dropped; reconnecting (polling covers the gap)',
    );
    retry = setTimeout(connect, backoff);
    backoff = Math.min(backoff * 2, maxBackoff);
  };

  async function connect(): Promise<void> {
    retry = undefined;
    if (stopped) return;
    const next = new pg.Client({ connectionString: options.url, application_name: 'siyu work listener' });
    client = next;
    next.on('error', (error) => dropped(next, error));
    next.on('end', () => dropped(next));
    next.on('notification', notified);
    try {
      await next.connect();
      const row = (await next.query(
        `SELECT pg_backend_pid() AS pid; LISTEN ${WORK_CHANNEL}`,
      )) as unknown as pg.QueryResult[];
      if (client !== next) return;
      pid = row[0]?.rows[0]?.pid as number | undefined;
      if (backoff !== firstBackoff) logger.info({ channel: WORK_CHANNEL }, 'work notifications: listening again');
      backoff = firstBackoff;
      // Work committed while the connection was down was not announced: look once now.
      if (listenedBefore) notified();
      listenedBefore = true;
      for (const resolve of waiters.splice(0)) resolve();
    } catch (error) {
      dropped(next, error);
    }
  }
  void connect();

  return {
    get pid() {
      return pid;
    },
    ready() {
      if (pid !== undefined) return Promise.resolve();
      return new Promise((resolve) => {
        waiters.push(resolve);
      });
    },
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      if (pending) clearTimeout(pending);
      const last = client;
      client = undefined;
      pid = undefined;
      for (const resolve of waiters.splice(0)) resolve();
      waiters = [];
      await last?.end().catch(() => {});
    },
  };
}
