import { createNodeRegistry } from '@siyu/shared';
import { samplePackage } from '@siyu/shared/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { addCustomers, graphOf, publishJourney } from '../../testing/fixtures.ts';
import { type SandboxOptions, sampleExecutors } from '../../testing/sample-nodes.ts';
import type { Database } from '../db/database.ts';
import { cleanupAfterEach, scratchDatabase } from '../db/scratch-database.test-helper.ts';
import { createLogger } from '../logger.ts';
import { ManualClock } from './api.ts';
import { createEngine } from './engine.ts';
import { BatchSizer, pollingLoop, schedulerLoop } from './scheduler-loop.ts';

describe('BatchSizer', () => {
  it('starts small and doubles while batches are cheap, up to the configured maximum', () => {
    const sizer = new BatchSizer(200, 25);
    expect(sizer.size).toBe(16);
    const sizes = [];
    for (let i = 0; i < 6; i++) {
      sizer.record(sizer.size, sizer.size * 0.01);
      sizes.push(sizer.size);
    }
    expect(sizes).toEqual([32, 64, 128, 200, 200, 200]);
  });

  it('shrinks a batch to what fits the budget when items get expensive, never below the minimum', () => {
    const sizer = new BatchSizer(200, 25, 2);
    for (let i = 0; i < 4; i++) sizer.record(sizer.size, sizer.size * 0.01);
    expect(sizer.size).toBe(200);
    // 5 ms an item from now on: the estimate moves halfway each batch, the size follows it.
    for (let i = 0; i < 8; i++) sizer.record(sizer.size, sizer.size * 5);
    expect(sizer.size).toBe(5);
    sizer.record(1, 1000);
    expect(sizer.size).toBe(2);
  });
});

describe('asking what is due before claiming (a claim is a transaction)', () => {
  it('claims nothing when nothing is due; claims only the kind that is due, asking again after each batch', async () => {
    const calls: string[] = [];
    let timersLeft = 0;
    let effectsLeft = 0;
    const drain = schedulerLoop(
      {
        audienceSlice: () => undefined,
        fireTimers: (limit) => {
          calls.push('timers');
          const fired = Math.min(limit, timersLeft);
          timersLeft -= fired;
          return fired;
        },
        runEffects: async (limit) => {
          calls.push('effects');
          const ran = Math.min(limit, effectsLeft);
          effectsLeft -= ran;
          return ran > 0 ? { ran, failed: 0 } : undefined;
        },
        due: async () => {
          calls.push('due?');
          return { timers: timersLeft > 0, effects: effectsLeft > 0 };
        },
      },
      { timerBatch: 1000, effectBatch: 1000, audienceSlice: 10 },
    );
    const outcome = () => ({ timersFired: 0, effectsRun: 0, effectsFailed: 0, audienceEnrolled: 0 });
    await drain(outcome());
    expect(calls).toEqual(['due?']);

    calls.length = 0;
    effectsLeft = 3;
    const done = outcome();
    await drain(done);
    expect(done.effectsRun).toBe(3);
    // No timer claim at all; the batch came back short (it took all that was due), so the next
    // pass looks once, finds nothing, and the loop ends.
    expect(calls).toEqual(['due?', 'effects', 'due?']);
  });
});

describe('claiming again (a store with no look before a claim)', () => {
  function counting(timersLeft: number, effectsLeft: number, limits = { timerBatch: 1000, effectBatch: 1000 }) {
    const calls: string[] = [];
    const left = { timers: timersLeft, effects: effectsLeft };
    const drain = schedulerLoop(
      {
        audienceSlice: () => undefined,
        fireTimers: (limit) => {
          const fired = Math.min(limit, left.timers);
          calls.push(`timers ${fired}`);
          left.timers -= fired;
          // A fired timer decides an effect (a message after a wait).
          left.effects += fired;
          return fired;
        },
        runEffects: async (limit) => {
          const ran = Math.min(limit, left.effects);
          calls.push(`effects ${ran}`);
          left.effects -= ran;
          return ran > 0 ? { ran, failed: 0 } : undefined;
        },
      },
      { ...limits, audienceSlice: 10, budgetMs: Number.POSITIVE_INFINITY },
    );
    return { calls, left, drain };
  }
  const outcome = () => ({ timersFired: 0, effectsRun: 0, effectsFailed: 0, audienceEnrolled: 0 });

  it('claims a kind again at once only after a full batch; a short one waits for the next pass', async () => {
    const { calls, left, drain } = counting(3, 2);
    const done = outcome();
    await drain(done);
    expect(done).toMatchObject({ timersFired: 3, effectsRun: 5 });
    expect(left).toEqual({ timers: 0, effects: 0 });
    // Each kind once with work, once more in the pass that finds nothing (it was six claims).
    expect(calls).toEqual(['timers 3', 'effects 5', 'timers 0', 'effects 0']);
  });

  it('a full batch is followed by another claim of its kind at once, until one comes back short', async () => {
    const { calls, left, drain } = counting(40, 0, { timerBatch: 16, effectBatch: 1000 });
    const done = outcome();
    await drain(done);
    expect(done).toMatchObject({ timersFired: 40, effectsRun: 40 });
    expect(left).toEqual({ timers: 0, effects: 0 });
    // Timers at most 16 a batch; effects start at 16 and double (the sizer), 16 then the other 24.
    expect(calls).toEqual(['timers 16', 'timers 16', 'timers 8', 'effects 16', 'effects 24', 'timers 0', 'effects 0']);
  });
});

describe('stopping', () => {
  it('claims no batch after the stop flag is set; the batch in flight finishes', async () => {
    let stopping = false;
    const batches: string[] = [];
    const drain = schedulerLoop(
      {
        audienceSlice: () => undefined,
        fireTimers: async (limit) => {
          batches.push('timers');
          // A shutdown arrives while this batch is in flight: it still finishes.
          stopping = true;
          return limit;
        },
        runEffects: async () => {
          batches.push('effects');
          return { ran: 1, failed: 0 };
        },
      },
      { timerBatch: 10, effectBatch: 10, audienceSlice: 1, stopping: () => stopping },
    );
    const outcome = { timersFired: 0, effectsRun: 0, effectsFailed: 0, audienceEnrolled: 0 };
    await drain(outcome);
    expect(batches).toEqual(['timers']);
    expect(outcome.timersFired).toBeGreaterThan(0);
  });
});

/**
 * Watches the event loop while `work` runs: how many turns it got, and the longest time between
 * two turns (the longest stretch of synchronous work, which is how long a request would wait).
 */
async function watchEventLoop<T>(work: () => Promise<T>) {
  let turns = 0;
  let maxGapMs = 0;
  let last = performance.now();
  let watching = true;
  const turn = () => {
    const now = performance.now();
    maxGapMs = Math.max(maxGapMs, now - last);
    last = now;
    turns++;
    if (watching) setImmediate(turn);
  };
  setImmediate(turn);
  const result = await work();
  watching = false;
  // The turn after the work counts too: if the work never yielded, that gap is all of it.
  await new Promise((resolve) => setImmediate(resolve));
  return { result, turns, maxGapMs };
}

function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // a provider SDK that signs and serialises synchronously
  }
}

describe('the engine shares the thread with the HTTP server', () => {
  const DAY0 = Date.UTC(2026, 0, 5, 2);
  const cleanups = cleanupAfterEach();
  let db: Database;
  beforeEach(async () => {
    db = await scratchDatabase('slices', cleanups);
  });

  /** `customers` customers enrolled in entry → send → exit: one due effect each, not yet run. */
  function engineWithBacklog(customers: number, sandbox: SandboxOptions = {}) {
    const engine = createEngine({
      db,
      registry: createNodeRegistry([samplePackage]),
      executors: sampleExecutors(db.sqlite, sandbox),
      clock: new ManualClock(DAY0),
      logger: createLogger('silent'),
    });
    publishJourney(
      db.sqlite,
      'j',
      graphOf(
        [
          ['entry', 'sample.apiEntry', {}],
          ['send', 'sample.send', { channel: 'wecom', text: '你好' }],
          ['exit', 'sample.exit', { reason: 'done' }],
        ],
        [
          ['entry', 'next', 'send'],
          ['send', 'sent', 'exit'],
          ['send', 'failed', 'exit'],
        ],
        { quietHours: { enabled: false } },
      ),
    );
    for (let i = 0; i < customers; i += 1000) {
      engine.enrollMany('j', addCustomers(db.sqlite, 'c', i, Math.min(customers, i + 1000))); // SQLite: at once
    }
    return engine;
  }

  it('lets the event loop run between batches while a backlog drains', async () => {
    const engine = engineWithBacklog(2000);
    const { result, turns } = await watchEventLoop(() => engine.tick());
    expect(result.effectsRun).toBe(2000);
    // At most 200 effects a batch and a turn before each: far more than ten turns. Before, the
    // whole drain ran in microtasks and the event loop got no turn at all until it was done.
    expect(turns).toBeGreaterThan(10);
    await engine.stop();
  });

  it('keeps each batch short when executors are slow, instead of a fixed 200 per batch', async () => {
    // 4 ms of synchronous work per effect: a batch of 200 held the thread for 800 ms.
    const engine = engineWithBacklog(400, { beforeSend: () => busyWait(4) });
    const { result, maxGapMs } = await watchEventLoop(() => engine.tick());
    expect(result.effectsRun).toBe(400);
    // The budget is 15 ms a batch; the bound leaves room for a loaded machine.
    expect(maxGapMs).toBeLessThan(400);
    await engine.stop();
  });
});

describe('pollingLoop', () => {
  it('a wake runs the tick at once, a wake during a tick runs one more after it, never two at once', async () => {
    let inFlight = 0;
    let most = 0;
    let ticks = 0;
    let release: (() => void) | undefined;
    const tick = async () => {
      ticks++;
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      inFlight--;
    };
    const loop = pollingLoop(tick, 60_000, (error) => {
      throw error;
    });
    const settle = () => new Promise((resolve) => setTimeout(resolve, 5));
    loop.start();
    expect(ticks).toBe(1);
    loop.wake(); // during the first tick: coalesced into one more after it
    loop.wake();
    release?.();
    await settle();
    expect(ticks).toBe(2);
    release?.();
    await settle();
    expect(ticks).toBe(2); // back to polling (a minute away)
    loop.wake(); // idle: runs at once, not after the poll interval
    expect(ticks).toBe(3);
    loop.stop();
    release?.();
    await settle();
    loop.wake(); // stopped: ignored
    expect(ticks).toBe(3);
    expect(most).toBe(1);
  });
});
