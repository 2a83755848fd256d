// The engine's rules (engine.test.ts) through its store-agnostic parts on SQLite and PostgreSQL:
// the same journey must come out the same on both stores.
import { createNodeRegistry } from '@siyu/shared';
import { samplePackage } from '@siyu/shared/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { benchmarkJourney, graphOf } from '../../../testing/fixtures.ts';
import { type Backend, postgresBackend, sqliteBackend } from '../../../testing/store-backends.ts';
import { recordingExecutors, storeEngine } from '../../../testing/store-engine.ts';
import { postgresDatabaseForFile } from '../../db/postgres-for-tests.test-helper.ts';
import { ManualClock } from '../api.ts';

const DAY = 86_400_000;
const registry = createNodeRegistry([samplePackage]);
const postgresUrl = postgresDatabaseForFile('engine_rules');
let backend: Backend | undefined;
afterEach(async () => {
  await backend?.close();
  backend = undefined;
});

const order = (id: string, customerId: string, at: number) => ({
  id,
  type: 'order.placed',
  customerId,
  occurredAt: new Date(at),
});

describe.each([
  ['SQLite', sqliteBackend],
  ['PostgreSQL', () => postgresBackend(postgresUrl())],
] as const)('engine rules on %s', (_name, open) => {
  async function start() {
    backend = await open();
    const clock = new ManualClock();
    const calls: string[] = [];
    const engine = storeEngine(backend.store(), registry, recordingExecutors(calls), clock);
    return { b: backend, clock, calls, engine };
  }

  it('records a timeline of moves (with ports), timers, events and the end', async () => {
    const { b, clock, engine } = await start();
    await b.publish('j1', benchmarkJourney());
    await b.customers('c', 0, 1);
    const [out] = await engine.enrollMany('j1', ['c0']);
    if (out?.status !== 'enrolled') throw new Error('not enrolled');
    await engine.drain();
    clock.advance(DAY);
    await engine.drain();
    await engine.ingestMany([order('o1', 'c0', clock.now())]);
    await engine.drain();
    const timeline = await engine.timeline(out.instanceId);
    expect(timeline.filter((e) => e.kind === 'move').map((e) => [e.fromNodeId, e.port, e.nodeId])).toEqual([
      [null, null, 'entry'],
      ['entry', 'next', 'welcome'],
      ['welcome', 'sent', 'tagNew'],
      ['tagNew', 'next', 'wait1d'],
      ['wait1d', 'next', 'ordered'],
      ['ordered', 'else', 'coupon'],
      ['coupon', 'issued', 'waitOrder'],
      ['waitOrder', 'matched', 'repurchase'],
      ['repurchase', 'next', 'thanks'],
    ]);
    expect(timeline.map((e) => e.kind)).toContain('timer');
    expect(timeline.find((e) => e.kind === 'event')?.detail).toEqual({ event: 'o1', type: 'order.placed' });
    expect(timeline.at(-1)?.kind).toBe('complete');
  });

  it('rejects malformed events and unknown customers, and takes an event id once', async () => {
    const { b, clock, engine } = await start();
    await b.publish('j1', benchmarkJourney());
    await b.customers('c', 0, 1);
    await engine.enrollMany('j1', ['c0']);
    await engine.drain();
    clock.advance(DAY);
    await engine.drain();
    const [bad, unknown, first, again] = await engine.ingestMany([
      { id: 'x', type: 'Not A Type', customerId: 'c0', occurredAt: new Date() },
      order('u1', 'ghost', clock.now()),
      order('o1', 'c0', clock.now()),
      order('o1', 'c0', clock.now()),
    ]);
    expect(bad?.status).toBe('rejected');
    expect(unknown).toMatchObject({ status: 'rejected', reason: 'unknown customer ghost' });
    expect(first).toMatchObject({ status: 'accepted', delivered: 1 });
    expect(again).toMatchObject({ status: 'duplicate', delivered: 0 });
    const conflict = await engine.ingestMany([{ ...order('o1', 'c0', clock.now()), data: { amount: 5 } }]);
    expect(conflict[0]).toMatchObject({ status: 'conflict' });
    expect(await b.rows('SELECT count(*) n FROM "Event"')).toEqual([{ n: 1 }]);
  });

  it('retries a send that failed for good once an operator asks, under the same key', async () => {
    backend = await open();
    const clock = new ManualClock();
    const calls: string[] = [];
    let failing = true;
    const engine = storeEngine(
      backend.store(),
      registry,
      recordingExecutors(calls, { sendFails: () => failing }),
      clock,
    );
    await backend.publish(
      'j',
      graphOf(
        [
          ['entry', 'sample.apiEntry', {}],
          ['msg', 'sample.send', { channel: 'wecom', text: 'hi' }],
          ['done', 'sample.exit', {}],
        ],
        [
          ['entry', 'next', 'msg'],
          ['msg', 'sent', 'done'],
        ],
        { quietHours: { enabled: false } },
      ),
    );
    await backend.customers('c', 0, 1);
    const [out] = await engine.enrollMany('j', ['c0']);
    if (out?.status !== 'enrolled') throw new Error('not enrolled');
    await engine.drain();
    expect(await backend.rows('SELECT status, "exitReason" FROM "Instance"')).toEqual([
      { status: 'exited', exitReason: 'effectFailed:msg' },
    ]);
    expect(await engine.retryFailedStep(999)).toEqual({ status: 'refused', reason: 'notFound' });
    failing = false;
    expect(await engine.retryFailedStep(out.instanceId)).toEqual({ status: 'retried', nodeId: 'msg' });
    expect(await engine.retryFailedStep(out.instanceId)).toEqual({ status: 'refused', reason: 'notFailedHere' });
    await engine.drain();
    expect(calls).toEqual([`${out.instanceId}:msg:1`, `${out.instanceId}:msg:1`]);
    expect(await backend.rows('SELECT status, "exitReason" FROM "Instance"')).toEqual([
      { status: 'exited', exitReason: 'node:done' },
    ]);
  });

  it('re-entry afterExit with a minimum gap, and a deterministic holdout that receives nothing', async () => {
    const { b, clock, calls, engine } = await start();
    const waitAnHour = graphOf(
      [
        ['entry', 'sample.apiEntry', {}],
        ['w', 'sample.wait', { duration: { amount: 1, unit: 'hours' } }],
      ],
      [['entry', 'next', 'w']],
      { reEntry: { policy: 'afterExit', minGap: { amount: 2, unit: 'hours' } } },
    );
    await b.publish('j', waitAnHour);
    const ids = await b.customers('c', 0, 500);
    const status = async () => (await engine.enrollMany('j', ['c0']))[0];
    expect((await status())?.status).toBe('enrolled');
    expect(await status()).toEqual({ status: 'skipped', reason: 'alreadyActive' });
    clock.advance(3_600_000);
    await engine.drain();
    expect(await status()).toEqual({ status: 'skipped', reason: 'minGap' });
    clock.advance(3_600_000);
    expect((await status())?.status).toBe('enrolled');

    await b.publish(
      'h',
      graphOf(
        [
          ['entry', 'sample.apiEntry', {}],
          ['msg', 'sample.send', { channel: 'wecom', text: 'hi' }],
          ['done', 'sample.exit', {}],
        ],
        [
          ['entry', 'next', 'msg'],
          ['msg', 'sent', 'done'],
        ],
        { quietHours: { enabled: false }, holdoutPercent: 20 },
      ),
    );
    const outcomes = await engine.enrollMany('h', ids);
    const held = outcomes.filter((o) => o.status === 'enrolled' && o.holdout).length;
    expect(held).toBeGreaterThan(60);
    expect(held).toBeLessThan(140);
    await engine.drain();
    expect(calls).toHaveLength(500 - held);
  });
});
