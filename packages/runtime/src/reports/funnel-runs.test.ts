// The funnel counts distinct runs per node (a run placed at a node by a migration counts there,
// once), and tells two goal nodes apart.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { graphOf, publishJourney } from '../../testing/fixtures.ts';
import { addCustomer, createHarness, type Harness } from '../trpc/harness.test-helper.ts';
import { funnelReport } from './funnel.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ nodes: 'product' });
});
afterEach(() => h.close());

const DAY = 86_400_000;

describe('funnel', () => {
  it('names two unnamed goal nodes apart, and a named one by its name', async () => {
    publishJourney(
      h.db.sqlite,
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
    const funnel = await funnelReport(h.db.sql, h.deps.registry, { journeyId: 'goals' });
    expect(funnel.steps.map((s) => [s.nodeId, s.label?.['zh-CN'], s.label?.en])).toEqual([
      ['entry', 'API 入口', 'API entry'],
      ['g1', '达成目标 #1', 'Goal reached #1'],
      ['g2', '达成目标 #2', 'Goal reached #2'],
      ['g3', '达成目标 · 复购', 'Goal reached · 复购'],
    ]);
  });

  it('counts a run moved to another node of a new version at that node, once', async () => {
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
    const v1 = publishJourney(h.db.sqlite, 'mig', graph('wait1d'), 1);
    for (let i = 0; i < 3; i++) {
      await addCustomer(h, `m${i}`);
      await h.engine.enroll('mig', `m${i}`);
    }
    await h.engine.tick();
    const v2 = publishJourney(h.db.sqlite, 'mig', graph('wait2d'), 2);
    expect(await h.engine.migrateInstances('mig', v2, { wait1d: 'wait2d' })).toEqual({ moved: 3 });
    h.clock.advance(2 * DAY);
    await h.engine.tick();

    const inV2 = await funnelReport(h.db.sql, h.deps.registry, { journeyId: 'mig', versionId: v2 });
    expect(inV2.steps.find((s) => s.nodeId === 'wait2d')?.count).toBe(3);
    expect(inV2.steps.find((s) => s.nodeId === 'end')?.count).toBe(3);
    const all = await funnelReport(h.db.sql, h.deps.registry, { journeyId: 'mig' });
    expect(all.steps.find((s) => s.nodeId === 'wait1d')?.count).toBe(3);
    expect(all.steps.find((s) => s.nodeId === 'wait2d')?.count).toBe(3);
    expect(v1).not.toBe(v2);
  });
});
