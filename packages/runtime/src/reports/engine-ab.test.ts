// SQLite only, through the API and the full server engine (createEngine); the same check on both
// databases through the engine's core is engine-rows.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { graphOf, publishJourney } from '../../testing/fixtures.ts';
import { addCustomer, createHarness, type Harness } from '../trpc/harness.test-helper.ts';
import { DAY, HOUR } from './fixture.test-helper.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ nodes: 'product' });
});
afterEach(() => h.close());

/**
 * The fixture tests insert step-log rows by hand; this one lets the real engine write them (split
 * decisions, holdout, goals) and checks the reports against the engine's own Instance rows.
 */
describe('reports on rows the engine wrote', () => {
  it('A/B, funnel and holdout agree with where the engine put each run', async () => {
    publishJourney(
      h.db.sqlite,
      'j-live',
      graphOf(
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
      ),
    );
    for (let i = 0; i < 60; i++) {
      await addCustomer(h, `k${i}`);
      await h.engine.enroll('j-live', `k${i}`);
    }
    h.clock.advance(HOUR);
    // Every third customer orders: journey customers reach the goal in the engine, held-out ones by event.
    for (let i = 0; i < 60; i += 3) {
      await h.engine.ingestEvent({
        id: `o${i}`,
        type: 'order.placed',
        customerId: `k${i}`,
        occurredAt: new Date(h.clock.now()),
        data: {},
      });
    }
    const truth = h.db.sqlite
      .prepare(
        `SELECT CASE WHEN holdout = 1 THEN 'holdout' ELSE nodeId END AS cell, count(*) AS n,
           sum(CASE WHEN goalAt IS NOT NULL OR (holdout = 1 AND CAST(substr(customerId, 2) AS INTEGER) % 3 = 0) THEN 1 ELSE 0 END) AS converted
         FROM Instance WHERE journeyId = 'j-live' GROUP BY 1 ORDER BY 1`,
      )
      .all() as { cell: string; n: number; converted: number }[];
    const cell = (name: string) => truth.find((t) => t.cell === name) ?? { n: 0, converted: 0 };
    // Deterministic hashing spreads 60 customers over all three groups.
    expect(cell('waitA').n).toBeGreaterThan(0);
    expect(cell('waitB').n).toBeGreaterThan(0);
    expect(cell('holdout').n).toBeGreaterThan(0);

    const viewer = h.as('viewer');
    const ab = await viewer.reports.abTest({ journeyId: 'j-live', nodeId: 'split' });
    expect(ab.variants.map((v) => [v.variantId, v.entered, v.converted])).toEqual([
      ['a', cell('waitA').n, cell('waitA').converted],
      ['b', cell('waitB').n, cell('waitB').converted],
    ]);
    const funnel = await viewer.reports.funnel({ journeyId: 'j-live' });
    expect(funnel.entered).toBe(cell('waitA').n + cell('waitB').n);
    expect(funnel.steps.map((s) => [s.nodeId, s.count])).toEqual([
      ['entry', funnel.entered],
      ['split', funnel.entered],
      ['waitA', cell('waitA').n],
      ['waitB', cell('waitB').n],
    ]);
    const holdout = await viewer.reports.holdout({ journeyId: 'j-live' });
    expect([holdout.control.entered, holdout.control.converted]).toEqual([
      cell('holdout').n,
      cell('holdout').converted,
    ]);
    expect(holdout.journey.converted).toBe(cell('waitA').converted + cell('waitB').converted);

    // Orders after the 7-day window do not count for the control group.
    h.clock.advance(8 * DAY);
    await h.engine.ingestEvent({
      id: 'late',
      type: 'order.placed',
      customerId: 'k1',
      occurredAt: new Date(h.clock.now()),
      data: {},
    });
    const later = await viewer.reports.holdout({ journeyId: 'j-live' });
    expect(later.control.converted).toBe(cell('holdout').converted);
  });
});
