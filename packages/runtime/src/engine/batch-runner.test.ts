import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { batchRunner } from './batch-runner.ts';
import { andThen } from './maybe-async.ts';
import { type Stepper, StepWriteError } from './stepper.ts';
import type { EngineStore } from './store/port.ts';

// A store that only runs batches, synchronously (as SQLite) or after a promise (as a networked one).
const storeRunning = (batches: string[]) =>
  ({
    batch: <T>(work: () => T): T => {
      batches.push('batch');
      return work();
    },
  }) as unknown as EngineStore;

describe('batch runner', () => {
  it('continues synchronously when the store answers with a value (no microtask on SQLite)', () => {
    const order: string[] = [];
    const result = andThen(3, (n) => {
      order.push('next');
      return n + 1;
    });
    order.push('after');
    expect(result).toBe(4);
    expect(order).toEqual(['next', 'after']);
  });

  it('re-runs a batch step by step when a write fails, whether the batch is synchronous or not', async () => {
    for (const asynchronous of [false, true]) {
      const batches: string[] = [];
      const stepper = { careful: false } as Stepper;
      const tx = batchRunner(storeRunning(batches), stepper, createLogger('silent'));
      const seen: boolean[] = [];
      const work = () =>
        andThen(asynchronous ? Promise.resolve(1) : 1, () => {
          seen.push(stepper.careful);
          if (!stepper.careful) throw new StepWriteError(7, new Error('disk full'));
          return 'done';
        });
      const result = tx(work)();
      expect(result instanceof Promise).toBe(asynchronous);
      expect(await result).toBe('done');
      expect(seen).toEqual([false, true]);
      expect(stepper.careful).toBe(false);
      expect(batches).toHaveLength(2);
    }
  });
});
