import { describe, expect, it } from 'vitest';
import { groupCommit } from './group-commit.ts';

describe('groupCommit', () => {
  it('hands items that arrive together to one run, in arrival order; each caller gets its own outcome', async () => {
    const runs: Array<{ key: string; items: number[] }> = [];
    const add = groupCommit<number, string>(
      (items, key) => {
        runs.push({ key, items: [...items] });
        return items.map((n) => `${key}:${n * 10}`);
      },
      { windowMs: 2, maxItems: 100 },
    );
    const answers = await Promise.all([add(1, 'api'), add(2, 'webhook'), add(3, 'api'), add(4, 'api')]);
    expect(answers).toEqual(['api:10', 'webhook:20', 'api:30', 'api:40']);
    expect(runs).toEqual([
      { key: 'api', items: [1, 3, 4] },
      { key: 'webhook', items: [2] },
    ]);
    // The next item opens a new group.
    expect(await add(5, 'api')).toBe('api:50');
    expect(runs).toHaveLength(3);
  });

  it('with no window, a group is what arrived in the same turn of the event loop', async () => {
    const runs: number[][] = [];
    const add = groupCommit<number, number>(
      (items) => {
        runs.push([...items]);
        return items;
      },
      { windowMs: 0, maxItems: 10 },
    );
    const first = [add(1, 'k'), add(2, 'k')];
    await new Promise((turn) => setImmediate(turn));
    const later = add(3, 'k');
    expect(await Promise.all([...first, later])).toEqual([1, 2, 3]);
    expect(runs).toEqual([[1, 2], [3]]);
  });

  it('sends a full group at once, without waiting for the window', async () => {
    const runs: number[][] = [];
    const add = groupCommit<number, number>(
      async (items) => {
        runs.push([...items]);
        return items;
      },
      { windowMs: 60_000, maxItems: 3 },
    );
    expect(await Promise.all([add(1, 'k'), add(2, 'k'), add(3, 'k')])).toEqual([1, 2, 3]);
    expect(runs).toEqual([[1, 2, 3]]);
  });

  it('a run that throws (or rejects) fails every caller of its group, and only those', async () => {
    let fail = true;
    const add = groupCommit<number, number>(
      (items) => {
        if (fail) throw new Error('database unreachable');
        return Promise.resolve(items);
      },
      { windowMs: 0, maxItems: 10 },
    );
    const failed = await Promise.allSettled([add(1, 'k'), add(2, 'k')]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((failed[0] as PromiseRejectedResult).reason.message).toBe('database unreachable');
    fail = false;
    expect(await add(3, 'k')).toBe(3);

    const rejecting = groupCommit<number, number>(() => Promise.reject(new Error('commit failed')), {
      windowMs: 1,
      maxItems: 10,
    });
    await expect(rejecting(1, 'k')).rejects.toThrow('commit failed');
  });

  it('one item that fails its group is run again alone: only its caller gets the error', async () => {
    const runs: number[][] = [];
    const add = groupCommit<number, number>(
      (items) => {
        runs.push([...items]);
        if (items.includes(2)) throw new Error('event 2 cannot be taken in');
        return items.map((n) => n * 10);
      },
      { windowMs: 1, maxItems: 10 },
    );
    const settled = await Promise.allSettled([add(1, 'k'), add(2, 'k'), add(3, 'k')]);
    expect(settled.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      10,
      'event 2 cannot be taken in',
      30,
    ]);
    expect(runs).toEqual([[1, 2, 3], [1], [2], [3]]);
  });
});
