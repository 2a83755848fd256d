import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addCustomer, createHarness, type Harness, welcomeJourney } from '../trpc/harness.test-helper.ts';
import { journeyStats, rollUpStepCounts } from './journey-stats.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

const DAY = 86_400_000;

describe('rollUpStepCounts', () => {
  it('counts each run once per node and per edge, across polls', () => {
    const log = h.db.sqlite.prepare(
      "INSERT INTO StepLog (instanceId, journeyId, versionId, at, kind, nodeId, fromNodeId, port) VALUES (?, 'j', 'v', 0, ?, ?, ?, ?)",
    );
    const count = (kind: string, nodeId: string) =>
      (
        h.db.sqlite
          .prepare('SELECT sum(count) AS n FROM StepCount WHERE kind = ? AND nodeId = ?')
          .get(kind, nodeId) as {
          n: number | null;
        }
      ).n;
    // Run 1 loops a → b five times; run 2 takes a → b once.
    log.run(1, 'enter', null, null, null);
    for (let i = 0; i < 5; i++) log.run(1, 'move', 'b', 'a', null);
    log.run(2, 'enter', null, null, null);
    log.run(2, 'move', 'b', 'a', null);
    rollUpStepCounts(h.db);
    expect(rollUpStepCounts(h.db)).toBe(0);
    expect(count('visit', 'b')).toBe(2);
    expect(count('move', 'b')).toBe(2);
    expect(count('enter', '')).toBe(2);
    // Later polls still know run 1 was at b already; run 3 is new.
    for (let i = 0; i < 3; i++) log.run(1, 'move', 'b', 'a', null);
    log.run(3, 'move', 'b', 'a', null);
    log.run(1, 'error', 'b', null, null);
    log.run(1, 'error', 'b', null, null);
    rollUpStepCounts(h.db);
    expect(count('visit', 'b')).toBe(3);
    expect(count('move', 'b')).toBe(3);
    expect(count('fail', 'b')).toBe(1);
    // An operator's retry takes run 1 out of the failures; failing again puts it back, once.
    log.run(1, 'retry', 'b', null, null);
    rollUpStepCounts(h.db);
    expect(count('fail', 'b')).toBe(0);
    expect(count('visit', 'b')).toBe(3);
    log.run(1, 'error', 'b', null, null);
    log.run(1, 'error', 'b', null, null);
    rollUpStepCounts(h.db);
    expect(count('fail', 'b')).toBe(1);
  });
});

describe('journeyStats after moving customers to a new version', () => {
  it('counts each customer once at the wait node, draws no self-edge, and logs one migrate event', async () => {
    const api = h.as('operator');
    const j = await api.journeys.create({ name: 'j', graph: welcomeJourney() });
    await api.journeys.publish({ id: j.id });
    for (let i = 0; i < 7; i++) {
      await addCustomer(h, `c${i}`);
      await api.runs.enroll({ journeyId: j.id, customerId: `c${i}` });
    }
    await h.engine.tick();
    await h.engine.tick();
    const v2 = await api.journeys.publish({ id: j.id, note: 'same graph' });
    const moved = await api.journeys.migrateInstances({
      journeyId: j.id,
      toVersionId: v2.versionId,
      nodeMapping: { wait: 'wait' },
    });
    expect(moved.moved).toBe(7);
    h.clock.advance(2 * DAY);
    await h.engine.tick();
    await h.engine.tick();

    const stats = journeyStats(h.db, j.id, undefined, h.clock.now());
    const wait = stats.nodes.find((n) => n.nodeId === 'wait');
    expect(wait).toMatchObject({ entered: 7, waiting: 0, completed: 7, failed: 0 });
    // Every edge out of the wait node is a real one, taken by the 7 customers.
    const fromWait = stats.edges.filter((e) => e.source === 'wait');
    expect(fromWait).toEqual([{ source: 'wait', port: 'next', target: 'exit', count: 7 }]);

    const instance = await h.db.prisma.instance.findFirstOrThrow({ where: { customerId: 'c0' } });
    const timeline = await h.engine.timeline(instance.id);
    const migrations = timeline.filter((s) => s.kind === 'migrate');
    expect(migrations).toHaveLength(1);
    expect(migrations[0]).toMatchObject({
      nodeId: 'wait',
      detail: { from: 'wait', to: 'wait', toVersion: v2.versionId },
    });
    expect(timeline.filter((s) => s.kind === 'move' && s.nodeId === 'wait')).toHaveLength(1);
  });
});
