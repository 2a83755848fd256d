import { performance } from 'node:perf_hooks';
import type { TickOutcome } from './api.ts';

/**
 * The engine shares its thread with the HTTP server. Every batch it runs is synchronous work (one
 * SQLite transaction, executors that resolve without real I/O), and a chain of awaits that only
 * ever resolve as microtasks never lets the event loop poll for sockets: while a 20,000-effect
 * backlog drained, /health and provider callbacks waited the whole drain (10–20 s). So the loop
 * works in slices: it yields to the event loop before every batch, and sizes each batch so that it
 * keeps the thread busy for about `budgetMs`.
 */
// 15 ms rather than 25: on the 20k-backlog bench the drain took the same time (3.8–4.0 s) while the
// p99 of /health and ingest during it fell from ~80 to ~50 ms (bench/live-results.json).
export const DEFAULT_SLICE_BUDGET_MS = 15;

/** Lets whatever waits on the event loop (requests, callbacks, timers) run before going on. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Milliseconds the main thread has been busy since the event loop started (wall time before that). */
function busyMs(): number {
  const elu = performance.eventLoopUtilization();
  return elu.idle + elu.active > 0 ? elu.active : performance.now();
}

/**
 * Sizes one kind of batch (timers, effects, audience enrolments) from what the last ones cost.
 * The cost is the time the thread was BUSY during the batch, not its wall time: while executors
 * await a provider's HTTP answer the thread is free, and those batches may stay large. It starts
 * small and at most doubles per batch, so the first batch after start-up is short whatever the
 * backlog, and an item that suddenly costs more shrinks the next batch at once.
 */
export class BatchSizer {
  private current: number;
  private perItemMs: number | undefined;

  constructor(
    private readonly max: number,
    private readonly budgetMs: number,
    private readonly min = 1,
    start = 16,
  ) {
    this.current = Math.max(min, Math.min(max, start));
  }

  get size(): number {
    return this.current;
  }

  /** Runs `batch` with the current size; `batch` returns how many items it worked (0: none due). */
  async run<T>(batch: (limit: number) => T | Promise<T>, itemsOf: (result: T) => number): Promise<T> {
    const busy0 = busyMs();
    const result = await batch(this.current);
    const items = itemsOf(result);
    if (items > 0) this.record(items, busyMs() - busy0);
    return result;
  }

  /**
   * Adjusts the size after `items` items kept the thread busy for `ms`. The cost per item is
   * averaged with the previous estimate: on a shared machine one batch may be descheduled for a
   * while, and that alone should not cut the next batches to a handful.
   */
  record(items: number, ms: number): void {
    const measured = Math.max(ms, 0.001) / items;
    this.perItemMs = this.perItemMs === undefined ? measured : (this.perItemMs + measured) / 2;
    const fits = Math.floor(this.budgetMs / this.perItemMs);
    this.current = Math.max(this.min, Math.min(this.max, fits, this.current * 2));
  }
}

/** The engine's due work, each batch at most `limit` items. */
export interface DueWork {
  /** Enrols one slice (at most `limit` customers) of due audience runs; undefined when none is due. */
  audienceSlice(
    limit: number,
  ): { enrolled: number; slice: number } | undefined | Promise<{ enrolled: number; slice: number } | undefined>;
  /** Fires at most `limit` due timers in one transaction; returns how many fired. */
  fireTimers(limit: number): number | Promise<number>;
  /** Runs at most `limit` due outbox effects; undefined when none is due. */
  runEffects(limit: number): Promise<{ ran: number; failed: number } | undefined>;
  /**
   * Whether timers and effects are due, asked before claiming them: an empty claim costs a
   * transaction (PostgreSQL: BEGIN, claim, COMMIT — three round trips; SQLite: ~50 µs of a busy
   * loop's turn) and most turns find one kind or none due, while this one read costs little.
   * Absent, every batch is claimed directly.
   */
  due?(): Promise<DueKinds>;
}

/** Which kinds of work are due now. */
export interface DueKinds {
  timers: boolean;
  effects: boolean;
}

const ASK_THE_CLAIMS: DueKinds = { timers: true, effects: true };

export interface SchedulerLimits {
  timerBatch: number;
  effectBatch: number;
  audienceSlice: number;
  /** Busy time one batch may take before the loop yields (default 15 ms; Infinity: never shrink). */
  budgetMs?: number;
  /** True once the engine is stopping: no further batch is started (the one in flight finishes). */
  stopping?: () => boolean;
}

/**
 * Returns `drain`, which works everything due in slices and adds what it did to `outcome`:
 * a slice of an audience run, then due timers, then due effects, again until nothing progresses.
 * It yields to the event loop before every batch.
 */
export function schedulerLoop(work: DueWork, limits: SchedulerLimits) {
  const budget = limits.budgetMs ?? DEFAULT_SLICE_BUDGET_MS;
  const timers = new BatchSizer(limits.timerBatch, budget);
  const effects = new BatchSizer(limits.effectBatch, budget);
  const audiences = new BatchSizer(limits.audienceSlice, budget);
  const stopping = limits.stopping ?? (() => false);
  const probe = work.due?.bind(work);

  return async function drain(outcome: TickOutcome): Promise<void> {
    // Asked again only while the last call did something: the rest of the loop stays as lean as it was.
    let audiencesPending = true;
    for (;;) {
      let progressed = false;
      // One slice of an audience run at a time, its first steps dispatched before the next.
      if (audiencesPending) {
        await yieldToEventLoop();
        if (stopping()) return;
        const slice = await audiences.run(work.audienceSlice, (s) => s?.slice ?? 0);
        audiencesPending = slice !== undefined;
        if (slice) outcome.audienceEnrolled += slice.enrolled;
        progressed ||= audiencesPending;
      }
      // Asked again after each batch: a batch may make more work due (an effect's result sets a
      // timer, a timer decides an effect).
      let due = probe ? await probe() : ASK_THE_CLAIMS;
      while (due.timers) {
        await yieldToEventLoop();
        if (stopping()) return;
        const limit = timers.size;
        const fired = await timers.run(work.fireTimers, (n) => n);
        if (fired === 0) break;
        outcome.timersFired += fired;
        progressed = true;
        // A short batch took everything due when it was claimed: what came due since (or what the
        // effects below make due) is asked for by the next pass, not by another claim right now.
        if (fired < limit) break;
        if (probe) due = await probe();
      }
      while (due.effects) {
        await yieldToEventLoop();
        if (stopping()) return;
        const limit = effects.size;
        const batch = await effects.run(work.runEffects, (b) => b?.ran ?? 0);
        if (!batch) break;
        outcome.effectsRun += batch.ran;
        outcome.effectsFailed += batch.failed;
        progressed = true;
        if (batch.ran < limit) break;
        if (probe) due = await probe();
      }
      if (!progressed) return;
    }
  };
}

/**
 * Runs `tick` again `pollMs` after each one ends, until stopped. `wake()` (a work notification,
 * store/postgres/work-notifier.ts) runs it at once instead of at the next poll; a wake during a tick
 * runs one more tick right after it. Never two ticks at once; polling stays the backstop.
 */
export function pollingLoop(tick: () => Promise<unknown>, pollMs: number, onError: (error: unknown) => void) {
  let running = false;
  let ticking = false;
  let wakeAgain = false;
  let timer: NodeJS.Timeout | undefined;
  const loop = () => {
    timer = undefined;
    ticking = true;
    tick()
      .catch(onError)
      .finally(() => {
        ticking = false;
        if (!running) return;
        const again = wakeAgain;
        wakeAgain = false;
        timer = setTimeout(loop, again ? 0 : pollMs);
      });
  };
  return {
    start() {
      if (running) return;
      running = true;
      if (ticking)
        wakeAgain = true; // a tick from before a stop() is still running: go on after it
      else loop();
    },
    wake() {
      if (!running) return;
      if (ticking) {
        wakeAgain = true;
        return;
      }
      if (timer) clearTimeout(timer);
      loop();
    },
    stop() {
      running = false;
      wakeAgain = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
