import { randomUUID } from 'node:crypto';
import { type JourneyGraph, JourneyGraphSchema, migrateGraphLeniently, parsePauseReason } from '@siyu/shared';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { journeySettingsChanges } from '../../audit/journey-settings.ts';
import { recordAudit, thenAudit } from '../../audit/record.ts';
import type { AppDatabase } from '../../db/app-database.ts';
import { containsIgnoringCase } from '../../db/prisma-text-filter.ts';
import { diffGraphs } from '../../journeys/graph-diff.ts';
import { activeRunCounts } from '../../journeys/lifecycle.ts';
import { publishDraft } from '../../journeys/publish.ts';
import { publishProblems } from '../../journeys/reference-problems.ts';
import {
  applyPicks,
  EXAMPLE_KEY_PREFIX,
  exampleFolderOf,
  isTemplate,
  TEMPLATE_CREATOR,
  templateNeeds,
} from '../../journeys/templates.ts';
import { apiError } from '../api-error.ts';
import { notFound, operatorProcedure, router, viewerProcedure } from '../trpc.ts';
import { journeyLifecycleProcedures, publishRefused } from './journey-lifecycle.ts';

const Id = z.string().min(1).max(100);
const JourneyStatus = z.enum(['draft', 'live', 'paused', 'stopped', 'archived']);
const Folder = z.string().trim().max(50);

const emptyGraph = (): JourneyGraph => JourneyGraphSchema.parse({ nodes: [], edges: [] });

async function loadJourney(db: AppDatabase, id: string) {
  const journey = await db.prisma.journey.findUnique({ where: { id } });
  if (!journey) throw notFound('journey', id);
  return journey;
}

function present(j: Awaited<ReturnType<typeof loadJourney>>) {
  return { ...j, draft: JSON.parse(j.draft) as JourneyGraph, pausedReason: parsePauseReason(j.pausedReason) ?? null };
}

/** Journeys: drafts with optimistic concurrency, immutable published versions, lifecycle. */
export const journeysRouter = router({
  /**
   * The journey list: archived ones only when asked for (`status: 'archived'`); `search` matches
   * name or description, `folder` one folder ("" = none). Each row says how many customers are in it.
   */
  list: viewerProcedure
    .input(
      z
        .object({
          status: JourneyStatus.optional(),
          search: z.string().trim().max(100).optional(),
          folder: Folder.optional(),
        })
        .default({}),
    )
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db.prisma.journey.findMany({
        where: {
          status: input.status ?? { not: 'archived' },
          ...(input.folder !== undefined ? { folder: input.folder } : {}),
          ...(input.search
            ? {
                OR: [
                  { name: containsIgnoringCase(ctx.db.dialect, input.search) },
                  { description: containsIgnoringCase(ctx.db.dialect, input.search) },
                ],
              }
            : {}),
        },
        orderBy: { updatedAt: 'desc' },
        select: {
          id: true,
          name: true,
          description: true,
          folder: true,
          status: true,
          stoppedReason: true,
          liveVersionId: true,
          draftRevision: true,
          updatedAt: true,
          createdAt: true,
          pausedReason: true,
          createdBy: true,
          templateKey: true,
        },
      });
      // Templates are listed apart (journeys.templates); set when the engine paused a journey it
      // cannot run, pausedReason says why.
      const journeys = rows.filter((r) => !isTemplate(r));
      const active = await activeRunCounts(
        ctx.db,
        journeys.map((r) => r.id),
      );
      return journeys.map(({ createdBy: _by, templateKey: _key, ...r }) => ({
        ...r,
        pausedReason: parsePauseReason(r.pausedReason) ?? null,
        activeRuns: active.get(r.id) ?? 0,
      }));
    }),

  /** The folders journeys are filed in (archived ones included), for the list's filter. */
  folders: viewerProcedure.query(async ({ ctx }) => {
    const rows = await ctx.db.prisma.journey.findMany({
      where: { folder: { not: '' } },
      distinct: ['folder'],
      orderBy: { folder: 'asc' },
      select: { folder: true },
    });
    return rows.map((r) => r.folder);
  }),

  /** The template gallery, each with what it names that this workspace does not have yet. */
  templates: viewerProcedure.query(async ({ ctx }) => {
    const rows = await ctx.db.prisma.journey.findMany({
      where: { createdBy: TEMPLATE_CREATOR, status: { not: 'archived' } },
      orderBy: { name: 'asc' },
    });
    const templates = [];
    for (const row of rows.filter(isTemplate)) {
      const { draft } = present(row);
      templates.push({
        id: row.id,
        // The examples/ folder it came from: the editor's catalogs name and describe it in the
        // operator's language (the row holds the file's Chinese).
        example: exampleFolderOf(row.templateKey) as string,
        name: row.name,
        description: row.description,
        nodeCount: draft.nodes.length,
        needs: await templateNeeds(ctx.db, ctx.registry, migrateGraphLeniently(draft, ctx.registry)),
      });
    }
    return templates;
  }),

  /**
   * A new journey from a template, with the operator's own resources picked for the template's
   * references (`picks`, from `templates[].needs`); references left unpicked stay problems to fix.
   */
  fromTemplate: operatorProcedure
    .input(
      z.object({
        id: Id,
        name: z.string().trim().min(1).max(100).optional(),
        /** The description in the operator's language (the editor's catalogs word the examples); default: the template's. */
        description: z.string().max(2000).optional(),
        picks: z
          .array(z.object({ nodeId: z.string().min(1).max(100), path: z.string().min(1).max(200), id: Id }))
          .max(200)
          .default([]),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const template = await loadJourney(ctx.db, input.id);
      if (!isTemplate(template)) throw notFound('template', input.id);
      const draft = migrateGraphLeniently(present(template).draft, ctx.registry);
      const picked = applyPicks(draft, await templateNeeds(ctx.db, ctx.registry, draft), input.picks);
      if (!picked.ok) throw new TRPCError({ code: 'BAD_REQUEST', message: picked.message });
      const journey = await ctx.db.prisma.journey.create({
        data: {
          id: `j_${randomUUID()}`,
          name: input.name ?? template.name,
          description: input.description ?? template.description,
          draft: JSON.stringify(picked.graph),
          templateKey: template.templateKey,
          createdBy: ctx.operator.username,
        },
      });
      return present(journey);
    }),

  get: viewerProcedure.input(z.object({ id: Id })).query(async ({ ctx, input }) => {
    const journey = present(await loadJourney(ctx.db, input.id));
    // The editor edits configs in the installed schema: a draft saved at an older node version is
    // shown upgraded (and saved upgraded the next time the operator saves).
    const draft = migrateGraphLeniently(journey.draft, ctx.registry);
    return { ...journey, draft, problems: await publishProblems(ctx.db, ctx.registry, draft) };
  }),

  create: operatorProcedure
    .input(
      z.object({
        name: z.string().trim().min(1).max(100),
        description: z.string().max(2000).default(''),
        graph: JourneyGraphSchema.optional(),
        templateKey: z.string().max(100).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      if (exampleFolderOf(input.templateKey ?? null) !== null)
        throw apiError('BAD_REQUEST', 'journeys.templateKeyReserved', { prefix: EXAMPLE_KEY_PREFIX });
      const journey = await ctx.db.prisma.journey.create({
        data: {
          id: `j_${randomUUID()}`,
          name: input.name,
          description: input.description,
          draft: JSON.stringify(input.graph ?? emptyGraph()),
          templateKey: input.templateKey ?? null,
          createdBy: ctx.operator.username,
        },
      });
      return present(journey);
    }),

  /** Saves the draft only if nobody saved since `expectedRevision`; otherwise CONFLICT. */
  updateDraft: operatorProcedure
    .input(
      z.object({
        id: Id,
        expectedRevision: z.number().int().positive(),
        draft: JourneyGraphSchema.optional(),
        name: z.string().trim().min(1).max(100).optional(),
        description: z.string().max(2000).optional(),
        folder: Folder.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const before = await ctx.db.prisma.journey.findUnique({ where: { id: input.id } });
      const result = await ctx.db.prisma.journey.updateMany({
        where: { id: input.id, draftRevision: input.expectedRevision, status: { not: 'archived' } },
        data: {
          ...(input.draft ? { draft: JSON.stringify(input.draft) } : {}),
          ...(input.name ? { name: input.name } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.folder !== undefined ? { folder: input.folder } : {}),
          draftRevision: { increment: 1 },
        },
      });
      if (result.count === 0) {
        const current = await loadJourney(ctx.db, input.id);
        if (current.status === 'archived') {
          throw apiError('PRECONDITION_FAILED', 'journey.archived');
        }
        throw apiError('CONFLICT', 'journey.draftChangedTo', { revision: current.draftRevision });
      }
      const changed = before ? journeySettingsChanges(before, input) : {};
      if (Object.keys(changed).length)
        await recordAudit(ctx, 'journey.settings', { type: 'journey', id: input.id }, changed);
      const journey = present(await loadJourney(ctx.db, input.id));
      return { ...journey, problems: await publishProblems(ctx.db, ctx.registry, journey.draft) };
    }),

  /** Validates a graph (the given one, or the saved draft) against the node registry. */
  validate: viewerProcedure
    .input(z.object({ id: Id.optional(), graph: JourneyGraphSchema.optional() }))
    .query(async ({ ctx, input }) => {
      const graph = input.graph ?? (input.id ? present(await loadJourney(ctx.db, input.id)).draft : undefined);
      if (!graph) throw new TRPCError({ code: 'BAD_REQUEST', message: 'id or graph is required' });
      const problems = await publishProblems(ctx.db, ctx.registry, graph);
      return { ok: problems.length === 0, problems };
    }),

  /** Freezes the draft as a new immutable version and makes it live. */
  publish: operatorProcedure
    .input(
      z.object({
        id: Id,
        expectedRevision: z.number().int().positive().optional(),
        note: z.string().max(500).default(''),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const journey = await loadJourney(ctx.db, input.id);
      if (journey.status === 'archived') {
        throw apiError('PRECONDITION_FAILED', 'journey.archived');
      }
      if (input.expectedRevision !== undefined && input.expectedRevision !== journey.draftRevision) {
        throw apiError('CONFLICT', 'journey.draftChanged');
      }
      const result = await publishDraft(ctx.db, ctx.registry, input.id, {
        by: ctx.operator.username,
        note: input.note,
      });
      if (!result.ok) throw publishRefused(result.problems);
      await recordAudit(ctx, 'journey.publish', { type: 'journey', id: input.id }, { version: result.version });
      return { versionId: result.versionId, version: result.version };
    }),

  ...journeyLifecycleProcedures,

  versions: viewerProcedure.input(z.object({ id: Id })).query(async ({ ctx, input }) => {
    await loadJourney(ctx.db, input.id);
    return ctx.db.prisma.journeyVersion.findMany({
      where: { journeyId: input.id },
      orderBy: { version: 'desc' },
      select: { id: true, version: true, publishedBy: true, publishedAt: true, note: true, rollbackOf: true },
    });
  }),

  getVersion: viewerProcedure.input(z.object({ versionId: Id })).query(async ({ ctx, input }) => {
    const v = await ctx.db.prisma.journeyVersion.findUnique({ where: { id: input.versionId } });
    if (!v) throw notFound('version', input.versionId);
    return { ...v, graph: JSON.parse(v.graph) as JourneyGraph };
  }),

  /** What changed between two versions (or a version and the current draft, with `to: "draft"`). */
  diff: viewerProcedure
    .input(z.object({ journeyId: Id, from: Id, to: z.union([Id, z.literal('draft')]) }))
    .query(async ({ ctx, input }) => {
      const load = async (ref: string): Promise<JourneyGraph> => {
        if (ref === 'draft') return present(await loadJourney(ctx.db, input.journeyId)).draft;
        const v = await ctx.db.prisma.journeyVersion.findFirst({ where: { id: ref, journeyId: input.journeyId } });
        if (!v) throw notFound('version', ref);
        return JSON.parse(v.graph) as JourneyGraph;
      };
      return diffGraphs(await load(input.from), await load(input.to));
    }),

  /**
   * Moves in-flight customers to another version of the same journey. `nodeMapping` maps old node
   * ids to new ones; ids present in both versions map to themselves by default.
   */
  migrateInstances: operatorProcedure
    .input(z.object({ journeyId: Id, toVersionId: Id, nodeMapping: z.record(z.string(), z.string()).default({}) }))
    .mutation(async ({ ctx, input }) => {
      const v = await ctx.db.prisma.journeyVersion.findFirst({
        where: { id: input.toVersionId, journeyId: input.journeyId },
      });
      if (!v) throw notFound('version', input.toVersionId);
      const graph = JSON.parse(v.graph) as JourneyGraph;
      const known = new Set(graph.nodes.map((n) => n.id));
      const unknown = Object.entries(input.nodeMapping).filter(([, to]) => !known.has(to));
      if (unknown.length > 0) {
        throw apiError('BAD_REQUEST', 'journey.targetNodeMissing', { nodes: unknown.map(([, to]) => to).join(', ') });
      }
      // Nodes whose id still exists in the target version map to themselves unless told otherwise.
      const mapping = { ...Object.fromEntries([...known].map((id) => [id, id])), ...input.nodeMapping };
      return ctx.engine
        .migrateInstances(input.journeyId, input.toVersionId, mapping)
        .then(
          thenAudit(
            ctx,
            'journey.migrateInstances',
            { type: 'journey', id: input.journeyId },
            { toVersionId: input.toVersionId },
          ),
        );
    }),
});
