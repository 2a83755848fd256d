// ExtensionStorage over the ExtensionRecord table, on SQLite or PostgreSQL through the SQL port:
// one namespace per discovered package, JSON values. The SDK's transaction functions are
// synchronous (extension-sdk.ts) while the port answers asynchronously, so a transaction runs the
// function against the keys loaded so far: when it reads a key not loaded yet, that run is
// abandoned (its writes discarded), the key is loaded — locked on PostgreSQL, so another
// transaction on it waits — and the function runs again. Only the last run's writes are stored.
// SQLite's port transaction holds the write lock from its start (BEGIN IMMEDIATE), in this
// process and any other one on the file.
import type { ExtensionStorage, JsonValue, StorageTransaction } from '@siyu/shared';
import { z } from 'zod';
import type { AppDatabase } from '../db/app-database.ts';
import { isoDate } from '../db/iso-date.ts';
import type { SqlClient } from '../db/sql-client.ts';
import type { Clock } from '../engine/api.ts';

export const MAX_KEY_LENGTH = 200;
export const MAX_VALUE_BYTES = 64 * 1024;
/** A function that reads more keys than this in one transaction is refused (each costs a run). */
export const MAX_KEYS_PER_TRANSACTION = 100;

const KeySchema = z
  .string()
  .min(1, { message: 'storage key must not be empty' })
  .max(MAX_KEY_LENGTH, { message: `storage key is longer than ${MAX_KEY_LENGTH} characters` });

/**
 * Where a package's effect calls (deps.effects) keep their claims and answers: apart from its own
 * keys. Package names have no ":", so no package's own namespace can be one of these.
 */
export const effectNamespace = (packageName: string) => `effects:${packageName}`;

export class ExtensionStorageError extends Error {
  constructor(namespace: string, message: string) {
    super(`extension storage of "${namespace}": ${message}`);
    this.name = 'ExtensionStorageError';
  }
}

/** Thrown inside a run that read a key not loaded yet; never escapes `transaction`. */
class KeyNotLoaded {
  constructor(readonly key: string) {}
}

/** PostgreSQL's deadlock_detected: two transactions took the same keys in opposite orders. */
const DEADLOCK = '40P01';
/**
 * Tries after a deadlock before giving up. PostgreSQL picks one victim per deadlock (after
 * deadlock_timeout, 1 s by default); a victim that retried at once would often meet the same
 * partner again, so each retry first waits a random, growing moment.
 */
const DEADLOCK_RETRIES = 10;
const backoff = (tries: number) => new Promise((resolve) => setTimeout(resolve, (5 + Math.random() * 20) * tries));

export function createExtensionStorage(
  db: Pick<AppDatabase, 'sql'>,
  namespace: string,
  clock: Clock,
): ExtensionStorage {
  const { sql } = db;
  const checkKey = (key: unknown): string => {
    const parsed = KeySchema.safeParse(key);
    if (!parsed.success) throw new ExtensionStorageError(namespace, parsed.error.issues[0]?.message ?? 'bad key');
    return parsed.data;
  };
  const select = (q: SqlClient, key: string) =>
    q.get<{ value: string }>('SELECT value FROM ExtensionRecord WHERE namespace = ? AND key = ?', [namespace, key]);

  /** Loads `key` into `loaded`, holding it for the rest of the transaction on PostgreSQL. */
  const load = async (tx: SqlClient, loaded: Map<string, JsonValue | undefined>, key: string) => {
    if (tx.dialect === 'postgresql') {
      // A row lock cannot hold a key that has no row yet; an advisory lock on its hashes can (the
      // two-number form, apart from the single-number locks the migrations take).
      await tx.get('SELECT pg_advisory_xact_lock(hashtext(?), hashtext(?)) AS locked', [namespace, key]);
    }
    const row = await select(tx, key);
    loaded.set(key, row ? (JSON.parse(row.value) as JsonValue) : undefined);
  };

  // An async function would give back a promise whose work runs after the transaction: refuse it
  // (throwing rolls back what it wrote before its first await).
  const synchronous = <T>(value: T): T => {
    if (value instanceof Promise) {
      throw new ExtensionStorageError(namespace, 'transaction functions must be synchronous (no async/await)');
    }
    return value;
  };

  /** One run of `fn` over the loaded keys: its result and writes, or the key it missed. */
  const attempt = <T>(
    fn: (t: StorageTransaction) => T,
    loaded: Map<string, JsonValue | undefined>,
  ): { missed: string } | { result: T; writes: Map<string, JsonValue | undefined> } => {
    const writes = new Map<string, JsonValue | undefined>();
    let missed: string | undefined;
    const view: StorageTransaction = {
      get<V extends JsonValue>(key: string): V | undefined {
        checkKey(key);
        if (writes.has(key)) return writes.get(key) as V | undefined;
        if (!loaded.has(key)) {
          missed ??= key;
          throw new KeyNotLoaded(key);
        }
        return loaded.get(key) as V | undefined;
      },
      set(key, value) {
        checkKey(key);
        const text = JSON.stringify(value);
        if (text === undefined) throw new ExtensionStorageError(namespace, `value of "${key}" is not JSON`);
        if (Buffer.byteLength(text) > MAX_VALUE_BYTES) {
          throw new ExtensionStorageError(namespace, `value of "${key}" is larger than ${MAX_VALUE_BYTES} bytes`);
        }
        // Stored as read back, so a later get in the same run sees a copy, not the caller's object.
        writes.set(key, JSON.parse(text) as JsonValue);
      },
      delete(key) {
        checkKey(key);
        const existed = (writes.has(key) ? writes.get(key) : loaded.get(key)) !== undefined;
        if (!writes.has(key) && !loaded.has(key)) {
          // Whether it existed is an answer: the key must be loaded (and held) first.
          missed ??= key;
          throw new KeyNotLoaded(key);
        }
        writes.set(key, undefined);
        return existed;
      },
    };
    try {
      const result = synchronous(fn(view));
      // A function that caught the miss and carried on ran on a wrong answer: run it again.
      return missed !== undefined ? { missed } : { result, writes };
    } catch (error) {
      if (missed !== undefined) return { missed };
      throw error;
    }
  };

  const inTransaction = <T>(fn: (t: StorageTransaction) => T, prefetch: readonly string[]): Promise<T> =>
    sql.transaction(async (tx) => {
      const loaded = new Map<string, JsonValue | undefined>();
      for (const key of prefetch) await load(tx, loaded, checkKey(key));
      for (;;) {
        const run = attempt(fn, loaded);
        if ('missed' in run) {
          if (loaded.size >= MAX_KEYS_PER_TRANSACTION) {
            throw new ExtensionStorageError(
              namespace,
              `a transaction may read at most ${MAX_KEYS_PER_TRANSACTION} keys`,
            );
          }
          await load(tx, loaded, run.missed);
          continue;
        }
        const at = isoDate(clock.now());
        for (const [key, value] of run.writes) {
          if (value === undefined) {
            await tx.run('DELETE FROM ExtensionRecord WHERE namespace = ? AND key = ?', [namespace, key]);
          } else {
            await tx.run(
              `INSERT INTO ExtensionRecord (namespace, key, value, updatedAt) VALUES (?, ?, ?, ?)
               ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, updatedAt = excluded.updatedAt`,
              [namespace, key, JSON.stringify(value), at],
            );
          }
        }
        return run.result;
      }
    });

  const run = async <T>(fn: (t: StorageTransaction) => T, prefetch: readonly string[] = []): Promise<T> => {
    for (let tries = 1; ; tries++) {
      try {
        return await inTransaction(fn, prefetch);
      } catch (error) {
        if ((error as { code?: string }).code !== DEADLOCK || tries > DEADLOCK_RETRIES) throw error;
        await backoff(tries);
      }
    }
  };

  return {
    get: async <T extends JsonValue>(key: string) => {
      const row = await select(sql, checkKey(key));
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    transaction: (fn) => run(fn),
    once: (key, compute) =>
      run(
        (t) => {
          const existing = t.get(key);
          if (existing !== undefined) return { value: existing as ReturnType<typeof compute>, created: false };
          const value = synchronous(compute(t));
          t.set(key, value);
          return { value, created: true };
        },
        [key],
      ),
  };
}
