// Reports on rows the engine itself wrote (split decisions, holdout, goals, events), on both
// databases: the engine's core runs on each store (testing/store-engine.ts) and the reports read
// the same database through the SQL port. Both must give the same numbers for the same customers.
import { describe, expect, it } from 'vitest';
import { graphOf } from '../../testing/fixtures.ts';
import { storeEngine } from '../../testing/store-engine.ts';
import { ManualClock } from '../engine/api.ts';
import { createNodeRegistryForRuntime } from '../node-packages/registry.ts';
import { abTestReport } from './ab-test.ts';
import { engineReportDatabases } from './backends.test-helper.ts';
import { DAY, HOUR, publishJourneyWith, T0 } from './fixture.test-helper.ts';
import { funnelReport } from './funnel.ts';
import { holdoutReport } from './holdout.ts';
import { journeyStats } from './journey-stats.ts';

const registry = createNodeRegistryForRuntime();
const databases = engineReportDatabases('reports_engine_rows');

const graph = graphOf(
  [
    ['entry', 'core.apiEntry', {}],
    [
      'split',
      'core.abSplit',
      {
        variants: [
          { id: 'a', label: 'A', weight: 50 },
          { id: 'b', label: 'B', weight: 50 },
        ],
      },
    ],
    ['waitA', 'core.wait', { duration: { amount: 1, unit: 'days' } }],
    ['waitB', 'core.wait', { duration: { amount: 2, unit: 'days' } }],
  ],
  [
    ['entry', 'next', 'split'],
    ['split', 'a', 'waitA'],
    ['split', 'b', 'waitB'],
  ],
  {
    quietHours: { enabled: false },
    goal: { event: 'order.placed', window: { amount: 7, unit: 'days' } },
    holdoutPercent: 25,
  },
);

/** Each backend's reports, to compare after both ran. */
const seen = new Map<string, unknown>();

describe.each(databases)('reports on rows the engine wrote, on %s', (name, open) => {
  it('A/B, funnel, holdout and canvas numbers agree with where the engine put each run', async () => {
    const { sql, store } = await open();
    const clock = new ManualClock(T0);
    const engine = storeEngine(store(), registry, [], clock);
    await publishJourneyWith(sql, 'j-live', graph);
    const customers = Array.from({ length: 60 }, (_, i) => `k${i}`);
    for (const id of customers) {
      await sql.run("INSERT INTO Customer (id, attributes, createdAt, updatedAt) VALUES (?, '{}', ?, ?)", [
        id,
        new Date(T0 - DAY),
        new Date(T0 - DAY),
      ]);
    }
    await engine.enrollMany('j-live', customers);
    await engine.drain();
    clock.advance(HOUR);
    // Every third customer orders: journey customers reach the goal in the engine, held-out ones by event.
    const order = (id: string, customerId: string) => ({
      id,
      type: 'order.placed',
      customerId,
      occurredAt: new Date(clock.now()),
      data: {},
    });
    await engine.ingestMany(customers.filter((_, i) => i % 3 === 0).map((c) => order(`o-${c}`, c)));
    await engine.drain();

    const truth = await sql.all<{ cell: string; n: number; converted: number }>(
      `SELECT CASE WHEN holdout THEN 'holdout' ELSE nodeId END AS cell, count(*) AS n,
         sum(CASE WHEN goalAt IS NOT NULL OR (holdout AND customerId IN (${customers
           .filter((_, i) => i % 3 === 0)
           .map(() => '?')
           .join(', ')})) THEN 1 ELSE 0 END) AS converted
       FROM Instance WHERE journeyId = 'j-live' GROUP BY 1 ORDER BY 1`,
      customers.filter((_, i) => i % 3 === 0),
    );
    const cell = (c: string) => truth.find((t) => t.cell === c) ?? { n: 0, converted: 0 };
    // Deterministic hashing spreads 60 customers over all three groups.
    expect(cell('waitA').n).toBeGreaterThan(0);
    expect(cell('waitB').n).toBeGreaterThan(0);
    expect(cell('holdout').n).toBeGreaterThan(0);

    const ab = await abTestReport(sql, registry, { journeyId: 'j-live', nodeId: 'split' });
    expect(ab.variants.map((v) => [v.variantId, v.entered, v.converted])).toEqual([
      ['a', cell('waitA').n, cell('waitA').converted],
      ['b', cell('waitB').n, cell('waitB').converted],
    ]);
    const funnel = await funnelReport(sql, registry, { journeyId: 'j-live' });
    expect(funnel.entered).toBe(cell('waitA').n + cell('waitB').n);
    expect(funnel.steps.map((s) => [s.nodeId, s.count])).toEqual([
      ['entry', funnel.entered],
      ['split', funnel.entered],
      ['waitA', cell('waitA').n],
      ['waitB', cell('waitB').n],
    ]);
    const holdout = await holdoutReport(sql, registry, { journeyId: 'j-live' });
    expect([holdout.control.entered, holdout.control.converted]).toEqual([
      cell('holdout').n,
      cell('holdout').converted,
    ]);
    expect(holdout.journey.converted).toBe(cell('waitA').converted + cell('waitB').converted);
    const stats = await journeyStats(sql, 'j-live', undefined, clock.now());
    expect(stats.entries).toBe(60);
    expect(stats.nodes.find((n) => n.nodeId === 'waitA')).toMatchObject({
      entered: cell('waitA').n,
      waiting: cell('waitA').n,
    });

    // Orders after the 7-day window do not count for the control group.
    clock.advance(8 * DAY);
    await engine.ingestMany([order('late', 'k1')]);
    await engine.drain();
    const later = await holdoutReport(sql, registry, { journeyId: 'j-live' });
    expect(later.control.converted).toBe(cell('holdout').converted);
    const nodes = [...stats.nodes].sort((x, y) => x.nodeId.localeCompare(y.nodeId));
    seen.set(name, { truth, ab: ab.variants, funnel: funnel.steps, holdout: later, nodes });
  });
});

describe('reports on rows the engine wrote, on both databases', () => {
  it('give the same numbers for the same customers (hashed the same way)', () => {
    expect([...seen.keys()]).toEqual(['SQLite', 'PostgreSQL']);
    expect(seen.get('PostgreSQL')).toEqual(seen.get('SQLite'));
  });
});
