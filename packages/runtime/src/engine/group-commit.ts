import type { MaybePromise } from './maybe-async.ts';

export interface GroupCommitOptions {
  /**
   * How long the first item of a group waits for others (ms); 0: only for the rest of this turn of
   * the event loop (items from callbacks of the same poll), for callers that send one at a time.
   */
  windowMs: number;
  /** A group this large goes at once. */
  maxItems: number;
}

interface OpenGroup<I, O> {
  items: I[];
  waiters: Array<{ resolve: (outcome: O) => void; reject: (error: unknown) => void }>;
  cancel: () => void;
}

/**
 * Group commit: single items from concurrent callers (one event per HTTP request) are collected
 * for a moment and handed to `run` together, so a hundred requests cost one transaction instead of
 * a hundred. Each caller gets its own item's outcome; a group that fails is run again item by item,
 * so only the caller whose item fails gets the error. Items of one key (the event's source) go
 * together, in arrival order.
 */
export function groupCommit<I, O>(
  run: (items: I[], key: string) => MaybePromise<readonly O[]>,
  options: GroupCommitOptions,
): (item: I, key: string) => Promise<O> {
  const open = new Map<string, OpenGroup<I, O>>();

  function send(key: string): void {
    const group = open.get(key);
    if (!group) return;
    open.delete(key);
    group.cancel();
    void settle(group.items, group.waiters, key);
  }

  /**
   * Runs a group and answers its callers. If the group fails, each item is run again alone (in
   * arrival order): one event that cannot be taken in must not fail the requests that happened to
   * arrive beside it. The failed group wrote nothing (one transaction), and events are taken once
   * by id, so the second run is safe.
   */
  async function settle(items: I[], waiters: OpenGroup<I, O>['waiters'], key: string): Promise<void> {
    try {
      const all = await run(items, key);
      for (const [i, waiter] of waiters.entries()) waiter.resolve(all[i] as O);
      return;
    } catch (error) {
      if (items.length === 1) {
        waiters[0]?.reject(error);
        return;
      }
    }
    for (const [i, item] of items.entries()) {
      const waiter = waiters[i] as OpenGroup<I, O>['waiters'][number];
      try {
        waiter.resolve((await run([item], key))[0] as O);
      } catch (error) {
        waiter.reject(error);
      }
    }
  }

  return (item, key) =>
    new Promise<O>((resolve, reject) => {
      let group = open.get(key);
      if (!group) {
        group = { items: [], waiters: [], cancel: later(() => send(key), options.windowMs) };
        open.set(key, group);
      }
      group.items.push(item);
      group.waiters.push({ resolve, reject });
      if (group.items.length >= options.maxItems) send(key);
    });
}

/** Runs `work` after `ms` (0: once this turn's I/O callbacks are done); returns its cancel. */
function later(work: () => void, ms: number): () => void {
  if (ms <= 0) {
    const immediate = setImmediate(work);
    return () => clearImmediate(immediate);
  }
  const timer = setTimeout(work, ms);
  return () => clearTimeout(timer);
}
