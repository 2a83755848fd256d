import { type JourneyGraph, migrateGraphLeniently, type NodeRegistry } from '@siyu/shared';
import type { Database } from '../db/database.ts';
import { diffGraphs } from '../journeys/graph-diff.ts';
import { publishDraft } from '../journeys/publish.ts';
import { abTestReport, splitNode } from './ab-test.ts';
import { ReportInputError } from './common.ts';

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
  db: Database,
  registry: NodeRegistry,
  input: { journeyId: string; nodeId: string; variantId: string; expectedRevision?: number; by: string },
): Promise<PromoteResult> {
  const journey = await db.prisma.journey.findUnique({ where: { id: input.journeyId } });
  if (!journey) throw new ReportInputError(`旅程 ${input.journeyId} 不存在 / journey not found`, 'NOT_FOUND');
  if (journey.status === 'archived') {
    throw new ReportInputError('旅程已归档 / the journey is archived', 'PRECONDITION_FAILED');
  }
  if (input.expectedRevision !== undefined && input.expectedRevision !== journey.draftRevision) {
    throw new ReportInputError('草稿已被修改，请刷新 / the draft changed since you loaded it', 'PRECONDITION_FAILED');
  }
  const draft = JSON.parse(journey.draft) as JourneyGraph;
  const split = splitNode(draft, input.nodeId);
  if (!split) {
    throw new ReportInputError(
      `草稿中没有 A/B 测试节点 ${input.nodeId} / the draft has no A/B split node ${input.nodeId}`,
      'NOT_FOUND',
    );
  }
  if (!split.config.variants.some((v) => v.id === input.variantId)) {
    throw new ReportInputError(
      `A/B 测试 ${input.nodeId} 没有方案 ${input.variantId}（有：${split.config.variants.map((v) => v.id).join('、')}） / split ${input.nodeId} has no variant ${input.variantId}`,
    );
  }
  // Promoting is for the variant that is ahead; on a tie or another variant's lead, refuse.
  const { leader } = abTestReport(db.sqlite, registry, { journeyId: input.journeyId, nodeId: input.nodeId });
  if (leader?.variantId !== input.variantId) {
    throw new ReportInputError(
      leader
        ? `方案 ${input.variantId} 没有领先（领先的是 ${leader.variantId}） / variant ${input.variantId} is not ahead (${leader.variantId} is)`
        : `还没有领先的方案，无法推广 ${input.variantId} / no variant is ahead yet: cannot promote ${input.variantId}`,
      'PRECONDITION_FAILED',
    );
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
      throw new ReportInputError(
        `草稿有 ${edits} 处未发布的修改，请先发布或撤销后再推广胜出方案 / the draft has ${edits} unpublished edit(s): publish or discard them before promoting a winner`,
        'PRECONDITION_FAILED',
      );
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
    throw new ReportInputError('草稿已被修改，请刷新 / the draft changed while promoting', 'PRECONDITION_FAILED');
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
    throw new ReportInputError(
      `无法发布：${result.problems.map((p) => `${p.nodeId ?? ''} ${p.message['zh-CN']}`.trim()).join('；')} / cannot publish: ${result.problems.map((p) => `${p.nodeId ?? ''} ${p.message.en}`.trim()).join('; ')}`,
    );
  }
  return { versionId: result.versionId, version: result.version, draftRevision: journey.draftRevision + 1 };
}
