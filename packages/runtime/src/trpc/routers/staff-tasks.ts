import { STAFF_TASK_COMPLETED, STAFF_TASK_SKIPPED } from '@siyu/nodes-core';
import { z } from 'zod';
import { apiError } from '../api-error.ts';
import type { Context } from '../context.ts';
import { operatorProcedure, router, viewerProcedure } from '../trpc.ts';

const StatusSchema = z.enum(['open', 'done', 'skipped', 'expired']);
const TaskId = z.string().min(1).max(200);
const Note = z.string().trim().max(500);

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
            : input.status === 'done' || input.status === 'skipped'
              ? { status: input.status }
              : {};
      const rows = await ctx.db.prisma.staffTask.findMany({
        where: { ...(input.assignee !== undefined ? { assignee: input.assignee } : {}), ...statusWhere },
        orderBy: { dueAt: 'asc' },
        take: input.limit,
      });
      return rows.map((row) => ({
        ...row,
        status:
          row.status === 'open' && row.dueAt <= now
            ? ('expired' as const)
            : (row.status as 'open' | 'done' | 'skipped'),
      }));
    }),

  /** Tasks per staff member by status, for the inbox's counts and a team lead's overview. */
  counts: viewerProcedure.query(async ({ ctx }) => {
    const now = new Date(ctx.clock.now());
    const [byStatus, expired] = await Promise.all([
      ctx.db.prisma.staffTask.groupBy({ by: ['assignee', 'status'], _count: true }),
      ctx.db.prisma.staffTask.groupBy({
        by: ['assignee'],
        where: { status: 'open', dueAt: { lte: now } },
        _count: true,
      }),
    ]);
    const counts = new Map<
      string,
      { assignee: string; open: number; expired: number; done: number; skipped: number }
    >();
    const of = (assignee: string) => {
      let c = counts.get(assignee);
      if (!c) {
        c = { assignee, open: 0, expired: 0, done: 0, skipped: 0 };
        counts.set(assignee, c);
      }
      return c;
    };
    for (const row of byStatus) {
      const c = of(row.assignee);
      if (row.status === 'open') c.open += row._count;
      else if (row.status === 'done') c.done += row._count;
      else if (row.status === 'skipped') c.skipped += row._count;
    }
    // Open tasks past due are expired, not open.
    for (const row of expired) {
      const c = of(row.assignee);
      c.open -= row._count;
      c.expired += row._count;
    }
    return [...counts.values()].sort((a, b) => b.open - a.open || a.assignee.localeCompare(b.assignee));
  }),

  /** The staff member did it: the waiting journey continues by its "done" port. */
  complete: operatorProcedure
    .input(z.object({ id: TaskId, note: Note.optional() }))
    .mutation(async ({ ctx, input }) => {
      const { task, now } = await openTask(ctx, input.id);
      if (task.status !== 'open') return { status: task.status as 'done' | 'skipped', delivered: 0 };
      await ctx.db.prisma.staffTask.update({
        where: { id: task.id },
        data: { status: 'done', doneAt: now, note: input.note || null },
      });
      return { status: 'done' as const, delivered: await tellJourney(ctx, task, STAFF_TASK_COMPLETED, now) };
    }),

  /**
   * The staff member will not do it, saying why: the journey goes on by its "expired" port now
   * rather than waiting out the expiry.
   */
  skip: operatorProcedure.input(z.object({ id: TaskId, note: Note.min(1) })).mutation(async ({ ctx, input }) => {
    const { task, now } = await openTask(ctx, input.id);
    if (task.status !== 'open') return { status: task.status as 'done' | 'skipped', delivered: 0 };
    await ctx.db.prisma.staffTask.update({
      where: { id: task.id },
      data: { status: 'skipped', doneAt: now, note: input.note },
    });
    return { status: 'skipped' as const, delivered: await tellJourney(ctx, task, STAFF_TASK_SKIPPED, now) };
  }),
});

type TaskContext = Pick<Context, 'db' | 'clock' | 'engine'>;

/** The task, or why it cannot be acted on (not found; past due: the journey has moved on). */
async function openTask(ctx: TaskContext, id: string) {
  const task = await ctx.db.prisma.staffTask.findUnique({ where: { id } });
  if (!task) throw apiError('NOT_FOUND', 'common.notFound', { what: 'staffTask', id });
  const now = new Date(ctx.clock.now());
  if (task.status === 'open' && task.dueAt <= now) {
    throw apiError('PRECONDITION_FAILED', 'staffTasks.expired', { at: task.dueAt.toISOString() });
  }
  return { task, now };
}

/** Tells the waiting journey; the event id is the task's, so a second click delivers nothing. */
async function tellJourney(
  ctx: TaskContext,
  task: { id: string; customerId: string },
  type: string,
  now: Date,
): Promise<number> {
  const outcome = await ctx.engine.ingestEvent(
    { id: `${type}:${task.id}`, type, customerId: task.customerId, occurredAt: now, data: { taskId: task.id } },
    'staffTasks',
  );
  return outcome.delivered;
}
