import BetterSqlite3 from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import { cleanupAfterEach, scratchDatabase } from '../db/scratch-database.test-helper.ts';
import { ManualClock } from '../engine/api.ts';
import { createExtensionStorage, MAX_VALUE_BYTES } from './extension-storage.ts';

const cleanups = cleanupAfterEach();
let db: Database;
const clock = new ManualClock(Date.UTC(2026, 2, 2, 2, 0, 0));

beforeEach(async () => {
  db = await scratchDatabase('extension-storage', cleanups);
});

describe('extension storage', () => {
  it("stores JSON per package namespace: one package never sees another one's keys", async () => {
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
    const s = createExtensionStorage(db, 'alpha', clock);
    let computed = 0;
    const draw = () =>
      s.once('draw:1:spin:1', (tx) => {
        computed++;
        tx.set('given', (tx.get<number>('given') ?? 0) + 1);
        return { prize: 'gold' };
      });
    expect(await draw()).toEqual({ value: { prize: 'gold' }, created: true });
    expect(await draw()).toEqual({ value: { prize: 'gold' }, created: false });
    expect(computed).toBe(1);
    expect(await s.get('given')).toBe(1);
  });

  it('a throwing transaction writes nothing', async () => {
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
    const s = createExtensionStorage(db, 'alpha', clock);
    await expect(s.get('')).rejects.toThrow('extension storage of "alpha": storage key must not be empty');
    await expect(s.get('k'.repeat(201))).rejects.toThrow('longer than 200 characters');
    await expect(s.transaction((tx) => tx.set('big', 'x'.repeat(MAX_VALUE_BYTES)))).rejects.toThrow(
      `value of "big" is larger than ${MAX_VALUE_BYTES} bytes`,
    );
    // biome-ignore lint/suspicious/noExplicitAny: a JavaScript caller can pass anything.
    await expect(s.transaction((tx) => tx.set('fn', (() => 1) as any))).rejects.toThrow('value of "fn" is not JSON');
  });

  it("two connections to the same file (as another process would have) share one namespace and count on each other's writes", async () => {
    const other = new BetterSqlite3(db.path);
    other.pragma('busy_timeout = 5000');
    try {
      const here = createExtensionStorage(db, 'alpha', clock);
      const there = createExtensionStorage({ sqlite: other }, 'alpha', clock);
      const bump = (s: typeof here) => s.transaction((tx) => tx.set('n', (tx.get<number>('n') ?? 0) + 1));
      await Promise.all(Array.from({ length: 50 }, (_, i) => bump(i % 2 ? here : there)));
      expect(await here.get('n')).toBe(50);
    } finally {
      other.close();
    }
  });
});
