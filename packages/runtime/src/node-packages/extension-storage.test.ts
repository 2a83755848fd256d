import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { AppDatabase } from '../db/app-database.ts';
import type { Database } from '../db/database.ts';
import { openPostgresDatabase, type PostgresDatabase } from '../db/postgres-database.ts';
import { sqliteSqlClient } from '../db/sqlite-sql.ts';
import { ManualClock } from '../engine/api.ts';
import { bothDatabases } from './databases.test-helper.ts';
import { createExtensionStorage, MAX_VALUE_BYTES } from './extension-storage.ts';

const { databases } = bothDatabases('extension-storage');
const clock = new ManualClock(Date.UTC(2026, 2, 2, 2, 0, 0));

describe.each(databases)('extension storage on %s', (name, open) => {
  it("stores JSON per package namespace: one package never sees another one's keys", async () => {
    const db = await open();
    const a = createExtensionStorage(db, 'alpha', clock);
    const b = createExtensionStorage(db, 'beta', clock);
    await a.transaction((tx) => tx.set('k', { prizes: ['金奖'], n: 1 }));
    expect(await a.get('k')).toEqual({ prizes: ['金奖'], n: 1 });
    expect(await b.get('k')).toBeUndefined();
    expect(await b.transaction((tx) => tx.delete('k'))).toBe(false);
    expect(await a.transaction((tx) => tx.delete('k'))).toBe(true);
    expect(await a.get('k')).toBeUndefined();
  });

  it('once: the first value is kept with the writes made computing it; later calls compute nothing', async () => {
    const db = await open();
    const s = createExtensionStorage(db, 'alpha', clock);
    let computed = 0;
    const draw = () =>
      s.once('draw:1:spin:1', (tx) => {
        computed++;
        tx.set('given', (tx.get<number>('given') ?? 0) + 1);
        return { prize: 'gold' };
      });
    expect(await draw()).toEqual({ value: { prize: 'gold' }, created: true });
    // Computed again once per key it read first (here `given`); only the last run's writes count.
    expect(computed).toBe(2);
    expect(await draw()).toEqual({ value: { prize: 'gold' }, created: false });
    expect(computed).toBe(2);
    expect(await s.get('given')).toBe(1);
  });

  it('a throwing transaction writes nothing', async () => {
    const db = await open();
    const s = createExtensionStorage(db, 'alpha', clock);
    await expect(
      s.transaction((tx) => {
        tx.set('half', 1);
        throw new Error('out of prizes');
      }),
    ).rejects.toThrow('out of prizes');
    expect(await s.get('half')).toBeUndefined();
  });

  it('refuses async transaction functions (they would lose atomicity) and rolls back their first writes', async () => {
    const db = await open();
    const s = createExtensionStorage(db, 'alpha', clock);
    await expect(
      s.transaction(async (tx) => {
        tx.set('early', 1);
        await Promise.resolve();
      }),
    ).rejects.toThrow('extension storage of "alpha": transaction functions must be synchronous (no async/await)');
    expect(await s.get('early')).toBeUndefined();
    // biome-ignore lint/suspicious/noExplicitAny: proving the run-time check behind the type.
    await expect(s.once('k', (async () => 1) as any)).rejects.toThrow(/must be synchronous/);
  });

  it('rejects bad keys and values with the namespace and what is wrong', async () => {
    const db = await open();
    const s = createExtensionStorage(db, 'alpha', clock);
    await expect(s.get('')).rejects.toThrow('extension storage of "alpha": storage key must not be empty');
    await expect(s.get('k'.repeat(201))).rejects.toThrow('longer than 200 characters');
    await expect(s.transaction((tx) => tx.set('big', 'x'.repeat(MAX_VALUE_BYTES)))).rejects.toThrow(
      `value of "big" is larger than ${MAX_VALUE_BYTES} bytes`,
    );
    // biome-ignore lint/suspicious/noExplicitAny: a JavaScript caller can pass anything.
    await expect(s.transaction((tx) => tx.set('fn', (() => 1) as any))).rejects.toThrow('value of "fn" is not JSON');
  });

  it('a transaction reading several keys sees them all as of its own start, and writes them together', async () => {
    const db = await open();
    const s = createExtensionStorage(db, 'alpha', clock);
    await s.transaction((tx) => {
      tx.set('a', 1);
      tx.set('b', 2);
    });
    const moved = await s.transaction((tx) => {
      const a = tx.get<number>('a') ?? 0;
      const b = tx.get<number>('b') ?? 0;
      tx.set('a', 0);
      tx.set('b', a + b);
      return tx.delete('c');
    });
    expect(moved).toBe(false);
    expect([await s.get('a'), await s.get('b')]).toEqual([0, 3]);
  });

  it('two transactions taking the same keys in opposite orders both complete (a deadlock is retried)', async () => {
    const db = await open();
    const s = createExtensionStorage(db, 'alpha', clock);
    const bump = (first: string, second: string) =>
      s.transaction((tx) => {
        tx.set(first, (tx.get<number>(first) ?? 0) + 1);
        tx.set(second, (tx.get<number>(second) ?? 0) + 1);
      });
    await Promise.all(Array.from({ length: 4 }, () => [bump('a', 'b'), bump('b', 'a')]).flat());
    expect([await s.get('a'), await s.get('b')]).toEqual([8, 8]);
    // PostgreSQL finds a deadlock after deadlock_timeout (1 s) and the loser retries: a loaded
    // machine needs a few of those rounds.
  }, 30_000);

  it("two connections to the same database (as another process would have) count on each other's writes", async () => {
    const db = await open();
    const { other, close } = await secondConnection(name, db);
    try {
      const here = createExtensionStorage(db, 'alpha', clock);
      const there = createExtensionStorage(other, 'alpha', clock);
      const bump = (s: typeof here) => s.transaction((tx) => tx.set('n', (tx.get<number>('n') ?? 0) + 1));
      if (name === 'PostgreSQL') {
        // Really concurrent: two pools, each transaction holding the key while it reads and writes.
        await Promise.all(Array.from({ length: 40 }, (_, i) => bump(i % 2 ? here : there)));
      } else {
        // One after another: two SQLite connections in one thread cannot wait for each other (the
        // waiting one's busy handler would block the thread the other needs to commit).
        for (let i = 0; i < 40; i++) await bump(i % 2 ? here : there);
      }
      expect(await here.get('n')).toBe(40);
    } finally {
      await close();
    }
  });
});

/** A second connection to the same database, as another process would open it. */
async function secondConnection(name: string, db: AppDatabase) {
  if (name === 'PostgreSQL') {
    const other: PostgresDatabase = await openPostgresDatabase((db as PostgresDatabase).url, { poolSize: 4 });
    return { other, close: () => other.close() };
  }
  const raw = new BetterSqlite3((db as Database).path);
  raw.pragma('busy_timeout = 5000');
  return { other: { sql: sqliteSqlClient(raw) }, close: async () => raw.close() };
}
