// ExtensionStorage in memory, for unit tests of packages that cannot depend on the runtime (the
// built-in node packages). Same contract as the runtime's SQLite store: JSON values copied in and
// out, a transaction's writes applied only if its function returns (a throw rolls them back),
// synchronous functions only. Atomic because JavaScript runs one synchronous function at a time.
import type { ExtensionStorage, JsonValue, StorageTransaction } from './extension-sdk.ts';

export function memoryExtensionStorage(): ExtensionStorage & { keys(): string[] } {
  const data = new Map<string, string>();
  const run = <T>(fn: (tx: StorageTransaction) => T): T => {
    const writes = new Map<string, string | undefined>();
    const read = (key: string) => (writes.has(key) ? writes.get(key) : data.get(key));
    const tx: StorageTransaction = {
      get: <V extends JsonValue>(key: string) => {
        const text = read(key);
        return text === undefined ? undefined : (JSON.parse(text) as V);
      },
      set: (key, value) => {
        writes.set(key, JSON.stringify(value));
      },
      delete: (key) => {
        const existed = read(key) !== undefined;
        writes.set(key, undefined);
        return existed;
      },
    };
    const value = fn(tx);
    if (value instanceof Promise) throw new Error('transaction functions must be synchronous (no async/await)');
    for (const [key, text] of writes) {
      if (text === undefined) data.delete(key);
      else data.set(key, text);
    }
    return value;
  };
  return {
    keys: () => [...data.keys()],
    get: async (key) => {
      const text = data.get(key);
      return text === undefined ? undefined : JSON.parse(text);
    },
    transaction: async (fn) => run(fn),
    once: async (key, compute) =>
      run((tx) => {
        const existing = tx.get(key);
        if (existing !== undefined) return { value: existing as ReturnType<typeof compute>, created: false };
        const value = compute(tx);
        tx.set(key, value);
        return { value, created: true };
      }),
  };
}
