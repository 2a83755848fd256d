// Batch-level async without a cost for SQLite: a store method may answer with a value (SQLite,
// synchronous inside its transaction) or a promise (a networked database). The engine continues
// at once in the first case, so the SQLite path adds no microtask, and awaits only per batch.

export type MaybePromise<T> = T | Promise<T>;

/** Runs `next` with `value`: at once when it is a plain value, once it resolves when a promise. */
export function andThen<T, U>(value: MaybePromise<T>, next: (value: T) => U): MaybePromise<U> {
  return value instanceof Promise ? (value.then(next) as Promise<U>) : next(value);
}
