import type { Logger } from '../logger.ts';
import type { MaybePromise } from './maybe-async.ts';
import { type Stepper, StepWriteError } from './stepper.ts';
import type { EngineStore } from './store/port.ts';

/**
 * Wraps a piece of engine work as one batch; call the returned function to run it. The result is
 * a plain value when the store answered synchronously (SQLite), a promise when a load was awaited.
 */
export type BatchRunner = <T>(work: () => MaybePromise<T>) => () => MaybePromise<T>;

/**
 * Runs work as one store batch. Steps are computed before they are written, so a step that cannot
 * be computed never needs a rollback; if a step's writes fail, the batch is rolled back and run
 * again with a savepoint per step, so that instance alone is marked failed and the rest go on.
 */
export function batchRunner(store: EngineStore, stepper: Stepper, logger: Logger): BatchRunner {
  const rerunCarefully = <T>(work: () => MaybePromise<T>, error: unknown): MaybePromise<T> => {
    if (!(error instanceof StepWriteError) || stepper.careful) throw error;
    logger.warn({ err: error }, 'a step could not be written; re-running its batch one step at a time');
    stepper.careful = true;
    let result: MaybePromise<T>;
    try {
      result = store.batch(work);
    } catch (again) {
      stepper.careful = false;
      throw again;
    }
    if (!(result instanceof Promise)) {
      stepper.careful = false;
      return result;
    }
    return result.finally(() => {
      stepper.careful = false;
    });
  };
  return <T>(work: () => MaybePromise<T>) =>
    (): MaybePromise<T> => {
      let result: MaybePromise<T>;
      try {
        result = store.batch(work);
      } catch (error) {
        return rerunCarefully(work, error);
      }
      // A batch whose load was asynchronous (not on SQLite) fails, and is re-run, when it settles.
      // (`careful` is one flag per engine: concurrent asynchronous batches would need it per batch.)
      if (result instanceof Promise) return result.catch((error: unknown) => rerunCarefully(work, error));
      return result;
    };
}
