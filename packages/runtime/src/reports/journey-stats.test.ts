import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addCustomer, createHarness, type Harness, welcomeJourney } from '../trpc/harness.test-helper.ts';
import { reportDatabases } from './backends.test-helper.ts';
import { journeyStats, rollUpStepCounts } from './journey-stats.ts';

const DAY = 86_400_000;
const databases = reportDatabases('reports_journey_stats');

describe.each(databases)('rollUpStepCounts on %s', (_name, open) => {
  it('counts each run once per node and per edge, across polls', async () => {
    const sql = await open();
    const log = (instanceId: number, kind: string, nodeId: string | null, fromNodeId: string | null) =>
      sql.run(
        "INSERT INTO StepLog (instanceId, journeyId, versionId, at, kind, nodeId, fromNodeId, port) VALUES (?, 'j', 'v', 0, ?, ?, ?, NULL)",
        [instanceId, kind, nodeId, fromNodeId],
      );
    const count = async (kind: string, nodeId: string) =>
      (
        await sql.get<{ n: number | null }>('SELECT sum(count) AS n FROM StepCount WHERE kind = ? AND nodeId = ?', [
          kind,
          nodeId,
        ])
      )?.n;
    // Run 1 loops a → b five times; run 2 takes a → b once.
    await log(1, 'enter', null, null);
    for (let i = 0; i < 5; i++) await log(1, 'move', 'b', 'a');
    await log(2, 'enter', null, null);
    await log(2, 'move', 'b', 'a');
    await rollUpStepCounts(sql);
    expect(await rollUpStepCounts(sql)).toBe(0);
    expect(await count('visit', 'b')).toBe(2);
    expect(await count('move', 'b')).toBe(2);
    expect(await count('enter', '')).toBe(2);
    // Later polls still know run 1 was at b already; run 3 is new.
    for (let i = 0; i < 3; i++) await log(1, 'move', 'b', 'a');
    await log(3, 'move', 'b', 'a');
    await log(1, 'error', 'b', null);
    await log(1, 'error', 'b', null);
    await rollUpStepCounts(sql);
    expect(await count('visit', 'b')).toBe(3);
    expect(await count('move', 'b')).toBe(3);
    expect(await count('fail', 'b')).toBe(1);
    // An operator's retry takes run 1 out of the failures; failing again puts it back, once.
    await log(1, 'retry', 'b', null);
    await rollUpStepCounts(sql);
    expect(await count('fail', 'b')).toBe(0);
    expect(await count('visit', 'b')).toBe(3);
    await log(1, 'error', 'b', null);
    await log(1, 'error', 'b', null);
    await rollUpStepCounts(sql);
    expect(await count('fail', 'b')).toBe(1);
  });

  it('never counts a row twice when two pollers roll up at once', async () => {
    const sql = await open();
    for (let i = 1; i <= 20; i++) {
      await sql.run(
        "INSERT INTO StepLog (instanceId, journeyId, versionId, at, kind, nodeId, fromNodeId) VALUES (?, 'j', 'v', 0, 'move', 'b', 'a')",
        [i],
      );
    }
    await Promise.all([rollUpStepCounts(sql), rollUpStepCounts(sql), rollUpStepCounts(sql)]);
    expect(await sql.get("SELECT sum(count) AS n FROM StepCount WHERE kind = 'visit'")).toEqual({ n: 20 });
  });

  it('answers per node and edge, with who waits where now, and the edge port from the graph', async () => {
    const sql = await open();
    const graph = JSON.stringify({
      nodes: [],
      edges: [
        { source: 'a', sourcePort: 'next', target: 'b' },
        { source: 'b', sourcePort: 'yes', target: 'c' },
        { source: 'b', sourcePort: 'no', target: 'c' },
      ],
    });
    const at = new Date(0);
    await sql.run(
      "INSERT INTO Journey (id, name, status, draft, createdAt, updatedAt) VALUES ('j', 'j', 'live', '{}', ?, ?)",
      [at, at],
    );
    await sql.run(
      "INSERT INTO JourneyVersion (id, journeyId, version, graph, publishedAt) VALUES ('v', 'j', 1, ?, ?)",
      [graph, at],
    );
    await sql.run("UPDATE Journey SET liveVersionId = 'v' WHERE id = 'j'");
    await sql.run(
      "INSERT INTO Customer (id, attributes, createdAt, updatedAt) VALUES ('c1', '{}', ?, ?), ('c2', '{}', ?, ?)",
      [at, at, at, at],
    );
    for (const [customer, status, nodeId] of [
      ['c1', 'active', 'b'],
      ['c2', 'completed', 'c'],
    ]) {
      await sql.run(
        `INSERT INTO Instance (journeyId, versionId, customerId, status, holdout, snapshot, nodeId, enteredAt, updatedAt)
         VALUES ('j', 'v', ?, ?, FALSE, '{}', ?, ?, ?)`,
        [customer as string, status as string, nodeId as string, at, at],
      );
    }
    const log = (instanceId: number, kind: string, nodeId: string | null, fromNodeId: string | null) =>
      sql.run(
        "INSERT INTO StepLog (instanceId, journeyId, versionId, at, kind, nodeId, fromNodeId) VALUES (?, 'j', 'v', 0, ?, ?, ?)",
        [instanceId, kind, nodeId, fromNodeId],
      );
    for (const i of [1, 2]) {
      await log(i, 'enter', null, null);
      await log(i, 'move', 'a', null);
      await log(i, 'move', 'b', 'a');
    }
    await log(2, 'move', 'c', 'b');
    await log(2, 'goal', 'c', null);
    const stats = await journeyStats(sql, 'j', undefined, 42);
    expect([stats.entries, stats.active, stats.completed, stats.goalConversions, stats.conversionRate]).toEqual([
      2, 1, 1, 1, 0.5,
    ]);
    const byNode = Object.fromEntries(stats.nodes.map((n) => [n.nodeId, [n.entered, n.waiting, n.completed, n.goals]]));
    expect(byNode).toEqual({ a: [2, 0, 2, 0], b: [2, 1, 1, 0], c: [1, 0, 1, 1] });
    // a → b has one edge in the graph, so its port is known; b → c has two, so it stays unknown.
    expect(stats.edges.sort((x, y) => x.target.localeCompare(y.target))).toEqual([
      { source: 'a', port: 'next', target: 'b', count: 2 },
      { source: 'b', port: '', target: 'c', count: 1 },
    ]);
  });
});

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
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

    const stats = await journeyStats(h.db.sql, j.id, undefined, h.clock.now());
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
