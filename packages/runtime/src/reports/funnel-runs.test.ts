// The funnel counts distinct runs per node (a run placed at a node by a migration counts there,
// once), and tells two goal nodes apart. On both databases, the rows written by the engine's core
// on each store (testing/store-engine.ts).
import { describe, expect, it } from 'vitest';
import { graphOf } from '../../testing/fixtures.ts';
import { storeEngine } from '../../testing/store-engine.ts';
import { ManualClock } from '../engine/api.ts';
import { createNodeRegistryForRuntime } from '../node-packages/registry.ts';
import { engineReportDatabases } from './backends.test-helper.ts';
import { publishJourneyWith } from './fixture.test-helper.ts';
import { funnelReport } from './funnel.ts';

const DAY = 86_400_000;
const registry = createNodeRegistryForRuntime();
const databases = engineReportDatabases('reports_funnel_runs');

describe.each(databases)('funnel on %s', (_name, open) => {
  it('names two unnamed goal nodes apart, and a named one by its name', async () => {
    const { sql } = await open();
    await publishJourneyWith(
      sql,
      'goals',
      graphOf(
        [
          ['entry', 'core.apiEntry', {}],
          ['g1', 'core.goal', {}],
          ['g2', 'core.goal', {}],
          ['g3', 'core.goal', { name: '复购' }],
        ],
        [
          ['entry', 'next', 'g1'],
          ['g1', 'next', 'g2'],
          ['g2', 'next', 'g3'],
        ],
      ),
    );
    const funnel = await funnelReport(sql, registry, { journeyId: 'goals' });
    expect(funnel.steps.map((s) => [s.nodeId, s.label?.['zh-CN'], s.label?.en])).toEqual([
      ['entry', 'API 入口', 'API entry'],
      ['g1', '达成目标 #1', 'Goal reached #1'],
      ['g2', '达成目标 #2', 'Goal reached #2'],
      ['g3', '达成目标 · 复购', 'Goal reached · 复购'],
    ]);
  });

  it('counts a run moved to another node of a new version at that node, once', async () => {
    const { sql, store } = await open();
    const clock = new ManualClock();
    const engine = storeEngine(store(), registry, [], clock);
    const graph = (waitId: string) =>
      graphOf(
        [
          ['entry', 'core.apiEntry', {}],
          [waitId, 'core.wait', { duration: { amount: 1, unit: 'days' } }],
          ['end', 'core.exit', { reason: 'done' }],
        ],
        [
          ['entry', 'next', waitId],
          [waitId, 'next', 'end'],
        ],
        { quietHours: { enabled: false } },
      );
    const v1 = await publishJourneyWith(sql, 'mig', graph('wait1d'), 1);
    const customers = ['m0', 'm1', 'm2'];
    for (const id of customers) {
      await sql.run("INSERT INTO Customer (id, attributes, createdAt, updatedAt) VALUES (?, '{}', ?, ?)", [
        id,
        new Date(clock.now()),
        new Date(clock.now()),
      ]);
    }
    await engine.enrollMany('mig', customers);
    await engine.drain();
    const v2 = await publishJourneyWith(sql, 'mig', graph('wait2d'), 2);
    expect(await engine.migrateInstances('mig', v2, { wait1d: 'wait2d' })).toEqual({ moved: 3 });
    clock.advance(2 * DAY);
    await engine.drain();

    const inV2 = await funnelReport(sql, registry, { journeyId: 'mig', versionId: v2 });
    expect(inV2.steps.find((s) => s.nodeId === 'wait2d')?.count).toBe(3);
    expect(inV2.steps.find((s) => s.nodeId === 'end')?.count).toBe(3);
    const all = await funnelReport(sql, registry, { journeyId: 'mig' });
    expect(all.steps.find((s) => s.nodeId === 'wait1d')?.count).toBe(3);
    expect(all.steps.find((s) => s.nodeId === 'wait2d')?.count).toBe(3);
    expect(v1).not.toBe(v2);
  });
});
