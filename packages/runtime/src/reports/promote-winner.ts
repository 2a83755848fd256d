import { codedError, type JourneyGraph, migrateGraphLeniently, type NodeRegistry } from '@siyu/shared';
import type { AppDatabase } from '../db/app-database.ts';
import { diffGraphs } from '../journeys/graph-diff.ts';
import { publishDraft } from '../journeys/publish.ts';
import { abTestReport, splitNode } from './ab-test.ts';

export interface PromoteResult {
  versionId: string;
  version: number;
  draftRevision: number;
}

/**
 * Ends an A/B split: writes `winner` into the split's config on the draft and publishes it, so
 * every customer reaching the split from the new version on takes the winner's path. Refuses when
 * the variant is not the one ahead in the report, when the draft holds other unpublished edits
 * (they would go live unreviewed with the promotion) or when someone saved the draft since the
 * caller loaded it.
 */
export async function promoteWinner(
  db: AppDatabase,
  registry: NodeRegistry,
  input: { journeyId: string; nodeId: string; variantId: string; expectedRevision?: number; by: string },
): Promise<PromoteResult> {
  const journey = await db.prisma.journey.findUnique({ where: { id: input.journeyId } });
  if (!journey) throw codedError('NOT_FOUND', 'common.notFound', { what: 'journey', id: input.journeyId });
  if (journey.status === 'archived') {
    throw codedError('PRECONDITION_FAILED', 'journey.archived');
  }
  if (input.expectedRevision !== undefined && input.expectedRevision !== journey.draftRevision) {
    throw codedError('PRECONDITION_FAILED', 'journey.draftChanged');
  }
  const draft = JSON.parse(journey.draft) as JourneyGraph;
  const split = splitNode(draft, input.nodeId);
  if (!split) {
    throw codedError('NOT_FOUND', 'abTest.noSplit', { node: input.nodeId });
  }
  if (!split.config.variants.some((v) => v.id === input.variantId)) {
    throw codedError('BAD_REQUEST', 'abTest.noVariant', { node: input.nodeId, variant: input.variantId });
  }
  // Promoting is for the variant that is ahead; on a tie or another variant's lead, refuse.
  const { leader } = await abTestReport(db.sql, registry, { journeyId: input.journeyId, nodeId: input.nodeId });
  if (leader?.variantId !== input.variantId) {
    throw leader
      ? codedError('PRECONDITION_FAILED', 'abTest.notAhead', { variant: input.variantId, leader: leader.variantId })
      : codedError('PRECONDITION_FAILED', 'abTest.noLeader', { variant: input.variantId });
  }
  if (journey.liveVersionId) {
    const live = await db.prisma.journeyVersion.findUniqueOrThrow({ where: { id: journey.liveVersionId } });
    // Both at the installed node versions: a node upgraded on save is not an operator's edit.
    const diff = diffGraphs(
      migrateGraphLeniently(JSON.parse(live.graph) as JourneyGraph, registry),
      migrateGraphLeniently(draft, registry),
    );
    const edits =
      diff.addedNodes.length +
      diff.removedNodes.length +
      diff.changedNodes.length +
      diff.addedEdges.length +
      diff.removedEdges.length +
      (diff.settingsChanged ? 1 : 0);
    if (edits > 0) {
      throw codedError('PRECONDITION_FAILED', 'abTest.unpublishedEdits', { edits });
    }
  }
  const promoted: JourneyGraph = {
    ...draft,
    nodes: draft.nodes.map((n) =>
      n.id === input.nodeId ? { ...n, config: { ...n.config, winner: input.variantId } } : n,
    ),
  };
  const saved = await db.prisma.journey.updateMany({
    where: { id: input.journeyId, draftRevision: journey.draftRevision },
    data: { draft: JSON.stringify(promoted), draftRevision: { increment: 1 } },
  });
  if (saved.count === 0) {
    throw codedError('PRECONDITION_FAILED', 'journey.draftChanged');
  }
  const result = await publishDraft(db, registry, input.journeyId, {
    by: input.by,
    note: `A/B ${input.nodeId}: 推广胜出方案 promote winner ${input.variantId}`,
  });
  if (!result.ok) {
    // Put the draft back as it was: a promotion that cannot go live should leave nothing behind.
    await db.prisma.journey.update({
      where: { id: input.journeyId },
      data: { draft: journey.draft, draftRevision: { increment: 1 } },
    });
    const error = codedError('BAD_REQUEST', 'journey.hasProblems', { count: result.problems.length });
    error.message = `${error.message}: ${result.problems.map((p) => `${p.nodeId ?? ''} ${p.message.en}`.trim()).join('; ')}`;
    throw error;
  }
  return { versionId: result.versionId, version: result.version, draftRevision: journey.draftRevision + 1 };
}
