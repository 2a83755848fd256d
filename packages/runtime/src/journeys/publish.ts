import { randomUUID } from 'node:crypto';
import { type GraphProblem, type JourneyGraph, migrateGraph, type NodeRegistry } from '@siyu/shared';
import type { AppDatabase } from '../db/app-database.ts';
import { publishProblems } from './reference-problems.ts';

export type PublishResult = { ok: true; versionId: string; version: number } | { ok: false; problems: GraphProblem[] };

export interface PublishOptions {
  by?: string;
  note?: string;
  /**
   * A roll-back: publish this older version's graph instead of the draft; the draft becomes that
   * graph too (in the same transaction), so what the operator edits next is what runs.
   */
  rollback?: { version: number; graph: JourneyGraph };
}

/**
 * Freezes a journey's current draft as the next immutable version and makes it live, if the graph
 * validates against the registry. Used by the API, the CLI and the example loader.
 */
export async function publishDraft(
  db: AppDatabase,
  registry: NodeRegistry,
  journeyId: string,
  options: PublishOptions = {},
): Promise<PublishResult> {
  const journey = await db.prisma.journey.findUniqueOrThrow({ where: { id: journeyId } });
  const draft = options.rollback?.graph ?? (JSON.parse(journey.draft) as JourneyGraph);
  const problems = await publishProblems(db, registry, draft);
  if (problems.length > 0) return { ok: false, problems };
  // Validation judged the upgraded configs, so the version stores them upgraded: what was checked
  // is what runs (the compiler would upgrade them again on load, but nothing else would).
  const graph = JSON.stringify(migrateGraph(draft, registry));
  return db.prisma.$transaction(async (tx) => {
    const last = await tx.journeyVersion.findFirst({ where: { journeyId }, orderBy: { version: 'desc' } });
    const version = await tx.journeyVersion.create({
      data: {
        id: `jv_${randomUUID()}`,
        journeyId,
        version: (last?.version ?? 0) + 1,
        graph,
        publishedBy: options.by ?? null,
        note: options.note ?? '',
        rollbackOf: options.rollback?.version ?? null,
      },
    });
    await tx.journey.update({
      where: { id: journeyId },
      data: {
        liveVersionId: version.id,
        status: 'live',
        stoppedReason: null,
        ...(options.rollback ? { draft: graph, draftRevision: { increment: 1 } } : {}),
      },
    });
    return { ok: true as const, versionId: version.id, version: version.version };
  });
}
