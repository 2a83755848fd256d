// SQLite only: promoting publishes through journeys/publish.ts (Prisma, the full server engine), not yet on PostgreSQL;
// the A/B numbers it relies on are tested on both databases in journey-reports.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../trpc/harness.test-helper.ts';
import { seedAbJourney, T0 } from './fixture.test-helper.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ nodes: 'product' });
  await seedAbJourney(h.db.sql);
});
afterEach(() => h.close());

describe('reports.promoteWinner', () => {
  it('writes the winner into the split on the draft and publishes it; the test keeps its numbers', async () => {
    const op = h.as('operator');
    // b converts 1 of 4, a 3 of 5: only a, the variant ahead, can be promoted.
    await expect(
      op.reports.promoteWinner({ journeyId: 'j-ab', nodeId: 'split', variantId: 'b' }),
    ).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringContaining('Variant "b" is not ahead ("a" is)'),
    });
    const result = await op.reports.promoteWinner({ journeyId: 'j-ab', nodeId: 'split', variantId: 'a' });
    expect(result.version).toBe(2);
    const journey = await op.journeys.get({ id: 'j-ab' });
    expect(journey.liveVersionId).toBe(result.versionId);
    expect(journey.draft.nodes.find((n) => n.id === 'split')?.config).toMatchObject({ winner: 'a' });
    const live = await op.journeys.getVersion({ versionId: result.versionId });
    expect(JSON.stringify(live)).toContain('"winner":"a"');

    // A run on the promoted version goes to a by rule; it is not part of the test.
    const step = h.db.sqlite.prepare(
      "INSERT INTO StepLog (instanceId, journeyId, versionId, at, kind, nodeId, fromNodeId) VALUES (999, 'j-ab', ?, ?, 'move', ?, ?)",
    );
    step.run(result.versionId, T0, 'smsA', 'split');
    const ab = await h.as('viewer').reports.abTest({ journeyId: 'j-ab', nodeId: 'split' });
    expect(ab.winner).toBe('a');
    expect(ab.versions.map((v) => v.version)).toEqual([1]);
    expect(ab.variants.map((v) => [v.variantId, v.entered, v.converted])).toEqual([
      ['a', 5, 3],
      ['b', 4, 1],
    ]);
  });

  it('refuses unknown variants, unpublished edits, stale revisions and viewers', async () => {
    const op = h.as('operator');
    await expect(
      op.reports.promoteWinner({ journeyId: 'j-ab', nodeId: 'split', variantId: 'zz' }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('no variant "zz"'),
    });
    await expect(op.reports.promoteWinner({ journeyId: 'j-ab', nodeId: 'exit', variantId: 'a' })).rejects.toMatchObject(
      {
        code: 'NOT_FOUND',
      },
    );
    await expect(
      h.as('viewer').reports.promoteWinner({ journeyId: 'j-ab', nodeId: 'split', variantId: 'a' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const journey = await op.journeys.get({ id: 'j-ab' });
    await expect(
      op.reports.promoteWinner({
        journeyId: 'j-ab',
        nodeId: 'split',
        variantId: 'a',
        expectedRevision: journey.draftRevision + 1,
      }),
    ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    // An unpublished edit (the wait is now 2 days) must not go live with the promotion.
    const draft = {
      ...journey.draft,
      nodes: journey.draft.nodes.map((n) =>
        n.id === 'waitB' ? { ...n, config: { duration: { amount: 2, unit: 'days' } } } : n,
      ),
    };
    await op.journeys.updateDraft({ id: 'j-ab', expectedRevision: journey.draftRevision, draft });
    await expect(
      op.reports.promoteWinner({ journeyId: 'j-ab', nodeId: 'split', variantId: 'a' }),
    ).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringContaining('1 unpublished edit'),
    });
    expect((await op.journeys.versions({ id: 'j-ab' })).length).toBe(1);
  });
});
