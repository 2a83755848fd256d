import { randomUUID } from 'node:crypto';
import type { JourneyGraph } from '@siyu/shared';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { recordAudit, thenAudit } from '../../audit/record.ts';
import { changeStatus, JourneyStateError, restoreJourney, stopJourney } from '../../journeys/lifecycle.ts';
import { publishDraft } from '../../journeys/publish.ts';
import { notFound, operatorProcedure } from '../trpc.ts';

const Id = z.string().min(1).max(100);

/** The domain's "not in a state for that" as the API's 404 / 412. */
function answered<T>(promise: Promise<T>): Promise<T> {
  return promise.catch((error: unknown) => {
    if (error instanceof JourneyStateError) throw new TRPCError({ code: error.code, message: error.message });
    throw error;
  });
}

/** Refuses a publish whose graph has problems, naming them (shared by publish and rollback). */
export function publishRefused(problems: { nodeId?: string; message: { en: string } }[]): TRPCError {
  return new TRPCError({
    code: 'BAD_REQUEST',
    message: `旅程有 ${problems.length} 个问题，无法发布 The journey has ${problems.length} problem(s): ${problems
      .map((p) => `${p.nodeId ?? ''} ${p.message.en}`.trim())
      .join('; ')}`,
  });
}

/**
 * The journeys router's lifecycle procedures (see journeys/lifecycle.ts for what each means for
 * customers in flight): pause, resume, stop, archive, restore, duplicate, roll back.
 */
export const journeyLifecycleProcedures = {
  /** Nobody new enters; customers already in it carry on (waits end, messages go out). */
  pause: operatorProcedure
    .input(z.object({ id: Id }))
    .mutation(({ ctx, input }) =>
      answered(changeStatus(ctx.db, input.id, ['live'], 'paused')).then(
        thenAudit(ctx, 'journey.pause', { type: 'journey', id: input.id }),
      ),
    ),
  resume: operatorProcedure
    .input(z.object({ id: Id }))
    .mutation(({ ctx, input }) =>
      answered(changeStatus(ctx.db, input.id, ['paused'], 'live')).then(
        thenAudit(ctx, 'journey.resume', { type: 'journey', id: input.id }),
      ),
    ),
  /** Ends every run now with the reason given (in each customer's timeline); nobody new enters. */
  stop: operatorProcedure
    .input(z.object({ id: Id, reason: z.string().trim().min(1).max(500) }))
    .mutation(async ({ ctx, input }) => {
      const stopped = await answered(stopJourney(ctx.db, input.id, input.reason, ctx.clock.now()));
      await recordAudit(
        ctx,
        'journey.stop',
        { type: 'journey', id: input.id },
        { reason: input.reason, ended: stopped.ended },
      );
      return stopped;
    }),
  /** Out of the list and closed to new customers; runs in it carry on. */
  archive: operatorProcedure
    .input(z.object({ id: Id }))
    .mutation(({ ctx, input }) =>
      answered(changeStatus(ctx.db, input.id, ['draft', 'live', 'paused', 'stopped'], 'archived')).then(
        thenAudit(ctx, 'journey.archive', { type: 'journey', id: input.id }),
      ),
    ),
  /** Back from the archive as a draft, stopped or paused journey (never straight to live). */
  restore: operatorProcedure
    .input(z.object({ id: Id }))
    .mutation(({ ctx, input }) =>
      answered(restoreJourney(ctx.db, input.id)).then(
        thenAudit(ctx, 'journey.restore', { type: 'journey', id: input.id }),
      ),
    ),

  /** A new draft with the source's current draft, description and folder; nothing published. */
  duplicate: operatorProcedure
    .input(z.object({ id: Id, name: z.string().trim().min(1).max(100).optional() }))
    .mutation(async ({ ctx, input }) => {
      const source = await ctx.db.prisma.journey.findUnique({ where: { id: input.id } });
      if (!source) throw notFound('旅程 Journey', input.id);
      const copy = await ctx.db.prisma.journey.create({
        data: {
          id: `j_${randomUUID()}`,
          name: input.name ?? `${source.name}（副本）`,
          description: source.description,
          folder: source.folder,
          draft: source.draft,
          templateKey: source.templateKey,
          createdBy: ctx.operator.username,
        },
      });
      return { ...copy, draft: JSON.parse(copy.draft) as JourneyGraph };
    }),

  /**
   * Publishes an older version's graph again as a NEW version (the history is never rewritten) and
   * makes it the draft too. Customers in flight stay on their version unless moved afterwards with
   * migrateInstances, as after any publish. Unpublished draft edits are replaced.
   */
  rollback: operatorProcedure
    .input(
      z.object({
        id: Id,
        versionId: Id,
        expectedRevision: z.number().int().positive().optional(),
        note: z.string().max(500).default(''),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const journey = await ctx.db.prisma.journey.findUnique({ where: { id: input.id } });
      if (!journey) throw notFound('旅程 Journey', input.id);
      if (journey.status === 'archived') {
        throw new TRPCError({ code: 'PRECONDITION_FAILED', message: '旅程已归档 Journey is archived' });
      }
      if (input.expectedRevision !== undefined && input.expectedRevision !== journey.draftRevision) {
        throw new TRPCError({ code: 'CONFLICT', message: '草稿已被修改 The draft changed since you loaded it' });
      }
      const old = await ctx.db.prisma.journeyVersion.findFirst({ where: { id: input.versionId, journeyId: input.id } });
      if (!old) throw notFound('版本 Version', input.versionId);
      const result = await publishDraft(ctx.db, ctx.registry, input.id, {
        by: ctx.operator.username,
        note: input.note,
        rollback: { version: old.version, graph: JSON.parse(old.graph) as JourneyGraph },
      });
      if (!result.ok) throw publishRefused(result.problems);
      await recordAudit(
        ctx,
        'journey.rollback',
        { type: 'journey', id: input.id },
        { version: result.version, rollbackOf: old.version },
      );
      return { versionId: result.versionId, version: result.version, rollbackOf: old.version };
    }),
};
