// ExtensionStorage over the ExtensionRecord table: one namespace per discovered package, JSON
// values, synchronous better-sqlite3 transactions taken IMMEDIATE so a read-then-write (stock
// counters) is never interleaved with another writer, in this process or another one.
import type { ExtensionStorage, JsonValue, StorageTransaction } from '@siyu/shared';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import type { Clock } from '../engine/api.ts';
import { isoDate } from '../db/iso-date.ts';

export const MAX_KEY_LENGTH = 200;
export const MAX_VALUE_BYTES = 64 * 1024;

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

export function createExtensionStorage(
  db: Pick<Database, 'sqlite'>,
  namespace: string,
  clock: Clock,
): ExtensionStorage {
  const { sqlite } = db;
  const select = sqlite.prepare<[string, string], { value: string }>(
    'SELECT value FROM ExtensionRecord WHERE namespace = ? AND key = ?',
  );
  const upsert = sqlite.prepare(
    `INSERT INTO ExtensionRecord (namespace, key, value, updatedAt) VALUES (?, ?, ?, ?)
     ON CONFLICT(namespace, key) DO UPDATE SET value = excluded.value, updatedAt = excluded.updatedAt`,
  );
  const remove = sqlite.prepare('DELETE FROM ExtensionRecord WHERE namespace = ? AND key = ?');

  const checkKey = (key: unknown): string => {
    const parsed = KeySchema.safeParse(key);
    if (!parsed.success) throw new ExtensionStorageError(namespace, parsed.error.issues[0]?.message ?? 'bad key');
    return parsed.data;
  };
  const read = <T extends JsonValue>(key: string): T | undefined => {
    const row = select.get(namespace, checkKey(key));
    return row ? (JSON.parse(row.value) as T) : undefined;
  };
  const tx: StorageTransaction = {
    get: read,
    set(key, value) {
      checkKey(key);
      const text = JSON.stringify(value);
      if (text === undefined) throw new ExtensionStorageError(namespace, `value of "${key}" is not JSON`);
      if (Buffer.byteLength(text) > MAX_VALUE_BYTES) {
        throw new ExtensionStorageError(namespace, `value of "${key}" is larger than ${MAX_VALUE_BYTES} bytes`);
      }
      upsert.run(namespace, key, text, isoDate(clock.now()));
    },
    delete: (key) => remove.run(namespace, checkKey(key)).changes > 0,
  };
  // An async function would commit before its awaits run, silently losing atomicity: refuse it
  // (throwing inside the transaction rolls back what it wrote before its first await).
  const synchronous = <T>(value: T): T => {
    if (value instanceof Promise) {
      throw new ExtensionStorageError(namespace, 'transaction functions must be synchronous (no async/await)');
    }
    return value;
  };
  const run = <T>(fn: (t: StorageTransaction) => T): T => sqlite.transaction(() => synchronous(fn(tx))).immediate();

  return {
    get: async (key) => read(key),
    transaction: async (fn) => run(fn),
    once: async (key, compute) =>
      run((t) => {
        const existing = t.get(key);
        if (existing !== undefined) return { value: existing as ReturnType<typeof compute>, created: false };
        const value = synchronous(compute(t));
        t.set(key, value);
        return { value, created: true };
      }),
  };
}
