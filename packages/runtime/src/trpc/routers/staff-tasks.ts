import { STAFF_TASK_COMPLETED } from '@siyu/nodes-core';
import { z } from 'zod';
import { operatorProcedure, router, viewerProcedure } from '../trpc.ts';
import { apiError } from '../api-error.ts';

const StatusSchema = z.enum(['open', 'done', 'expired']);

/**
 * Staff tasks (SOP reminders) created by core.staffTask nodes. A task past its due time without
 * being done is "expired" (the journey has already moved the customer on by its timeout).
 */
export const staffTasksRouter = router({
  list: viewerProcedure
    .input(
      z.object({
        assignee: z.string().max(64).optional(),
        status: StatusSchema.optional(),
        limit: z.number().int().min(1).max(500).default(100),
      }),
    )
    .query(async ({ ctx, input }) => {
      const now = new Date(ctx.clock.now());
      const statusWhere =
        input.status === 'open'
          ? { status: 'open', dueAt: { gt: now } }
          : input.status === 'expired'
            ? { status: 'open', dueAt: { lte: now } }
            : input.status === 'done'
              ? { status: 'done' }
              : {};
      const rows = await ctx.db.prisma.staffTask.findMany({
        where: { ...(input.assignee !== undefined ? { assignee: input.assignee } : {}), ...statusWhere },
        orderBy: { dueAt: 'asc' },
        take: input.limit,
      });
      return rows.map((row) => ({
        ...row,
        status: row.status === 'open' && row.dueAt <= now ? ('expired' as const) : (row.status as 'open' | 'done'),
      }));
    }),

  /** The staff member did it: the waiting journey continues by its "done" port. */
  complete: operatorProcedure.input(z.object({ id: z.string().min(1).max(200) })).mutation(async ({ ctx, input }) => {
    const task = await ctx.db.prisma.staffTask.findUnique({ where: { id: input.id } });
    if (!task) throw apiError('NOT_FOUND', 'common.notFound', { what: 'staffTask', id: input.id });
    const now = new Date(ctx.clock.now());
    if (task.status === 'done') return { status: 'done' as const, delivered: 0 };
    if (task.dueAt <= now) {
      throw apiError('PRECONDITION_FAILED', 'staffTasks.expired', { at: task.dueAt.toISOString() });
    }
    await ctx.db.prisma.staffTask.update({ where: { id: task.id }, data: { status: 'done', doneAt: now } });
    // The event id is the task's, so completing twice (two clicks, a retry) delivers once.
    const outcome = await ctx.engine.ingestEvent(
      {
        id: `staffTask:${task.id}`,
        type: STAFF_TASK_COMPLETED,
        customerId: task.customerId,
        occurredAt: now,
        data: { taskId: task.id },
      },
      'staffTasks',
    );
    return { status: 'done' as const, delivered: outcome.delivered };
  }),
});
