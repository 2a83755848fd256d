import type { MaybePromise } from './maybe-async.ts';

export interface GroupCommitOptions {
  /** How long the first item of a group waits for others (ms); 0: until the event loop's next turn. */
  windowMs: number;
  /** A group this large goes at once. */
  maxItems: number;
}

interface OpenGroup<I, O> {
  items: I[];
  waiters: Array<{ resolve: (outcome: O) => void; reject: (error: unknown) => void }>;
  timer: NodeJS.Timeout | NodeJS.Immediate;
}

/**
 * Group commit: single items from concurrent callers (one event per HTTP request) are collected
 * for a moment and handed to `run` together, so a hundred requests cost one transaction instead of
 * a hundred. Each caller gets its own item's outcome; if `run` throws, every caller of that group
 * gets the error. Items of one key (the event's source) go together, in arrival order.
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
    if (options.windowMs > 0) clearTimeout(group.timer as NodeJS.Timeout);
    else clearImmediate(group.timer as NodeJS.Immediate);
    let outcomes: MaybePromise<readonly O[]>;
    try {
      outcomes = run(group.items, key);
    } catch (error) {
      for (const waiter of group.waiters) waiter.reject(error);
      return;
    }
    Promise.resolve(outcomes).then(
      (all) => {
        for (const [i, waiter] of group.waiters.entries()) waiter.resolve(all[i] as O);
      },
      (error: unknown) => {
        for (const waiter of group.waiters) waiter.reject(error);
      },
    );
  }

  return (item, key) =>
    new Promise<O>((resolve, reject) => {
      let group = open.get(key);
      if (!group) {
        const timer = options.windowMs > 0 ? setTimeout(send, options.windowMs, key) : setImmediate(send, key);
        group = { items: [], waiters: [], timer };
        open.set(key, group);
      }
      group.items.push(item);
      group.waiters.push({ resolve, reject });
      if (group.items.length >= options.maxItems) send(key);
    });
}
