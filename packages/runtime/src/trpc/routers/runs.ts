import type { ApiErrorKey } from '@siyu/shared';
import { FilterSchema, type SegmentFilterLike, SegmentFilterSchema } from '@siyu/shared';
import { z } from 'zod';
import { visitSegmentMembers } from '../../audiences/segments.ts';
import { thenAudit } from '../../audit/record.ts';
import { withCustomerNames } from '../../customers/customer-names.ts';
import type { EnrollOutcome } from '../../engine/api.ts';
import type { DurableEngine } from '../../engine/engine.ts';
import type { RetryRefusal } from '../../engine/retry-step.ts';
import { DryRunInputSchema, dryRunJourney } from '../../journeys/dry-run.ts';
import { runTestJourney, TestRunInputSchema } from '../../journeys/test-run.ts';
import { nodeFailures } from '../../runs/node-failures.ts';
import { pendingRetries } from '../../runs/pending-retries.ts';
import { apiError } from '../api-error.ts';
import type { Context } from '../context.ts';
import { ingestProcedure, notFound, operatorProcedure, router, viewerProcedure } from '../trpc.ts';

const Id = z.string().min(1).max(100);

function summarize(outcomes: EnrollOutcome[]) {
  const skipped: Record<string, number> = {};
  let enrolled = 0;
  for (const o of outcomes) {
    if (o.status === 'enrolled') enrolled++;
    else skipped[o.reason] = (skipped[o.reason] ?? 0) + 1;
  }
  return { enrolled, skipped };
}

/**
 * An enrolment names a journey that must exist: an unknown id is the caller's mistake (NOT_FOUND),
 * not a "skipped" 200 that looks like a journey that is merely not live.
 */
async function requireJourney(ctx: Context, journeyId: string): Promise<void> {
  const journey = await ctx.db.prisma.journey.findUnique({ where: { id: journeyId }, select: { id: true } });
  if (!journey) throw notFound('journey', journeyId);
}

const RETRY_REFUSALS = {
  notFound: 'runs.retryNotFound',
  notFailedHere: 'runs.retryNotFailedHere',
  journeyNotLive: 'runs.retryJourneyNotLive',
  inJourneyAgain: 'runs.retryInJourneyAgain',
} as const satisfies Record<RetryRefusal, ApiErrorKey>;

/** Enrolments, test runs on a simulated clock, and instance inspection. */
export const runsRouter = router({
  enroll: ingestProcedure('runs:enroll')
    .input(z.object({ journeyId: Id, customerId: Id, entryNodeId: z.string().max(64).optional() }))
    .mutation(async ({ ctx, input }) => {
      await requireJourney(ctx, input.journeyId);
      return ctx.engine.enroll(
        input.journeyId,
        input.customerId,
        input.entryNodeId ? { entryNodeId: input.entryNodeId } : {},
      );
    }),

  enrollMany: ingestProcedure('runs:enroll')
    .input(
      z.object({
        journeyId: Id,
        customerIds: z.array(Id).min(1).max(10_000),
        entryNodeId: z.string().max(64).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await requireJourney(ctx, input.journeyId);
      const outcomes: EnrollOutcome[] = [];
      for (const id of input.customerIds) {
        outcomes.push(
          await ctx.engine.enroll(input.journeyId, id, input.entryNodeId ? { entryNodeId: input.entryNodeId } : {}),
        );
      }
      return summarize(outcomes);
    }),

  enrollSegment: operatorProcedure
    .input(
      z.union([
        z.object({ journeyId: Id, segmentId: Id, entryNodeId: z.string().max(64).optional() }),
        z.object({ journeyId: Id, filter: FilterSchema, entryNodeId: z.string().max(64).optional() }),
      ]),
    )
    .mutation(async ({ ctx, input }) => {
      await requireJourney(ctx, input.journeyId);
      let filter: SegmentFilterLike | undefined = 'filter' in input ? input.filter : undefined;
      if ('segmentId' in input) {
        const segment = await ctx.db.prisma.segment.findUnique({ where: { id: input.segmentId } });
        if (!segment) throw notFound('segment', input.segmentId);
        filter = SegmentFilterSchema.parse(JSON.parse(segment.filter));
      }
      const ids: string[] = [];
      await visitSegmentMembers(ctx.db, filter ?? FilterSchema.parse({}), ctx.clock.now(), (id) => ids.push(id));
      const options = input.entryNodeId ? { entryNodeId: input.entryNodeId } : {};
      const outcomes: EnrollOutcome[] = [];
      const batch = (ctx.engine as Partial<Pick<DurableEngine, 'enrollMany'>>).enrollMany;
      if (batch) {
        // The durable engine enrols a batch in one transaction: a 100k segment in seconds, not minutes.
        for (let i = 0; i < ids.length; i += 1000) {
          outcomes.push(...(await batch.call(ctx.engine, input.journeyId, ids.slice(i, i + 1000), options)));
        }
      } else {
        for (const id of ids) outcomes.push(await ctx.engine.enroll(input.journeyId, id, options));
      }
      return { matched: ids.length, ...summarize(outcomes) };
    }),

  instances: viewerProcedure
    .input(
      z.object({
        journeyId: Id,
        status: z.enum(['active', 'completed', 'exited', 'failed']).optional(),
        nodeId: z.string().max(64).optional(),
        limit: z.number().int().min(1).max(500).default(50),
        offset: z.number().int().min(0).default(0),
      }),
    )
    .query(async ({ ctx, input }) => {
      const where = {
        journeyId: input.journeyId,
        ...(input.status ? { status: input.status } : {}),
        ...(input.nodeId ? { nodeId: input.nodeId } : {}),
      };
      const [total, items] = await Promise.all([
        ctx.db.prisma.instance.count({ where }),
        ctx.db.prisma.instance.findMany({
          where,
          orderBy: { id: 'desc' },
          take: input.limit,
          skip: input.offset,
          select: {
            id: true,
            customerId: true,
            versionId: true,
            status: true,
            nodeId: true,
            holdout: true,
            waitingFor: true,
            exitReason: true,
            goalAt: true,
            enteredAt: true,
            updatedAt: true,
            endedAt: true,
          },
        }),
      ]);
      // A failing effect waiting for its next try: attempt, next time, last error.
      const retries = await pendingRetries(
        ctx.db,
        items.filter((i) => i.status === 'active').map((i) => i.id),
      );
      const named = await withCustomerNames(ctx.db, items);
      return { total, items: named.map((i) => ({ ...i, retry: retries.get(i.id) ?? null })) };
    }),

  /** Runs whose step failed at a node (the node's customer drawer), with the reason code. */
  failures: viewerProcedure
    .input(
      z.object({
        journeyId: Id,
        nodeId: z.string().min(1).max(64),
        limit: z.number().int().min(1).max(100).default(20),
      }),
    )
    .query(async ({ ctx, input }) => {
      const failures = await nodeFailures(ctx.db, input);
      return { ...failures, items: await withCustomerNames(ctx.db, failures.items) };
    }),

  /** Retries a send that failed for good, once its cause is fixed (engine/retry-step.ts). */
  retryStep: operatorProcedure
    .input(z.object({ instanceId: z.number().int().positive() }))
    .mutation(async ({ ctx, input }) => {
      const outcome = await ctx.engine.retryFailedStep(input.instanceId);
      if (outcome.status === 'retried') {
        return thenAudit(
          ctx,
          'run.retryStep',
          { type: 'instance', id: String(input.instanceId) },
          {
            nodeId: outcome.nodeId,
          },
        )(outcome);
      }
      throw apiError(
        outcome.reason === 'notFound' ? 'NOT_FOUND' : 'PRECONDITION_FAILED',
        RETRY_REFUSALS[outcome.reason],
      );
    }),

  timeline: viewerProcedure
    .input(z.object({ instanceId: z.number().int().positive() }))
    .query(async ({ ctx, input }) => {
      const instance = await ctx.db.prisma.instance.findUnique({ where: { id: input.instanceId } });
      if (!instance) throw notFound('instance', String(input.instanceId));
      return {
        instance: { ...instance, snapshot: undefined },
        steps: await ctx.engine.timeline(input.instanceId),
        retry: (await pendingRetries(ctx.db, [instance.id])).get(instance.id) ?? null,
      };
    }),

  /** Runs a journey for a made-up test customer on a simulated clock in a scratch database. */
  testRun: operatorProcedure.input(TestRunInputSchema).mutation(async ({ ctx, input }) => {
    if (!ctx.createSimulation) {
      throw apiError('PRECONDITION_FAILED', 'journey.testRunsUnavailable');
    }
    return runTestJourney(ctx, input);
  }),

  /**
   * Before publish: who would enter the draft now, and what a random sample of those real
   * customers would be sent in a simulation (messages per channel, SMS parts and cost, coupons
   * against stock). Nothing real is touched.
   */
  dryRun: operatorProcedure.input(DryRunInputSchema).mutation(async ({ ctx, input }) => {
    if (!ctx.createSimulation) {
      throw apiError('PRECONDITION_FAILED', 'journey.testRunsUnavailable');
    }
    return dryRunJourney(ctx, input);
  }),
});
