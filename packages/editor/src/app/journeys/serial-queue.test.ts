import { describe, expect, it } from 'vitest';
import { SerialQueue } from './serial-queue.ts';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('SerialQueue', () => {
  it('runs work in order, one at a time, past a failure', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const a = queue.run(async () => {
      log.push('a start');
      await tick();
      log.push('a end');
      return 1;
    });
    const b = queue.run(async () => {
      log.push('b');
      throw new Error('refused');
    });
    const c = queue.run(async () => {
      log.push('c');
      return 3;
    });
    expect(await a).toBe(1);
    await expect(b).rejects.toThrow('refused');
    expect(await c).toBe(3);
    expect(log).toEqual(['a start', 'a end', 'b', 'c']);
  });

  it('a publish in the queue reads the revision after the save before it, and a later save waits for it', async () => {
    // The server's optimistic concurrency: a call naming a stale revision is refused.
    let serverRevision = 1;
    const save = async (expected: number) => {
      await tick();
      if (expected !== serverRevision) throw new Error('conflict');
      serverRevision++;
      return serverRevision;
    };
    const queue = new SerialQueue();
    let revision = 1;
    const saved = queue.run(async () => {
      revision = await save(revision);
    });
    const published = queue.run(async () => {
      const expected = revision;
      await tick();
      if (expected !== serverRevision) throw new Error('conflict');
      return expected;
    });
    // An edit's save that starts while the publish is in flight comes after it.
    const late = queue.run(async () => {
      revision = await save(revision);
    });
    await saved;
    expect(await published).toBe(2);
    await late;
    expect(serverRevision).toBe(3);
  });
});
