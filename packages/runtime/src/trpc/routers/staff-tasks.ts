import { STAFF_TASK_COMPLETED, STAFF_TASK_SKIPPED } from '@siyu/nodes-core';
import { z } from 'zod';
import { apiError } from '../api-error.ts';
import { nodeWordsFor } from '../../journeys/node-words.ts';
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
  /**
   * One page of tasks, soonest due first, each with what it asks in words: the customer's name, the
   * journey's name and the node's title (the page shows no ids).
   */
  list: viewerProcedure
    .input(
      z.object({
        assignee: z.string().max(64).optional(),
        status: StatusSchema.optional(),
        page: z.number().int().min(1).default(1),
        pageSize: z.number().int().min(1).max(500).default(50),
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
      const where = { ...(input.assignee !== undefined ? { assignee: input.assignee } : {}), ...statusWhere };
      const [rows, total] = await Promise.all([
        ctx.db.prisma.staffTask.findMany({
          where,
          orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
          skip: (input.page - 1) * input.pageSize,
          take: input.pageSize,
        }),
        ctx.db.prisma.staffTask.count({ where }),
      ]);
      const context = await taskContext(ctx, rows);
      const tasks = rows.map((row) => ({
        ...row,
        ...context(row),
        status:
          row.status === 'open' && row.dueAt <= now
            ? ('expired' as const)
            : (row.status as 'open' | 'done' | 'skipped'),
      }));
      return { tasks, total };
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

/** The customer's name, the journey's name and the node's title for each task of a page. */
async function taskContext(
  ctx: Pick<Context, 'db' | 'registry'>,
  rows: { instanceId: number; nodeId: string; customerId: string }[],
) {
  const [instances, customers] = await Promise.all([
    ctx.db.prisma.instance.findMany({
      where: { id: { in: [...new Set(rows.map((r) => r.instanceId))] } },
      select: { id: true, versionId: true, journey: { select: { name: true } } },
    }),
    ctx.db.prisma.customer.findMany({
      where: { id: { in: [...new Set(rows.map((r) => r.customerId))] } },
      select: { id: true, displayName: true },
    }),
  ]);
  const instanceById = new Map(instances.map((i) => [i.id, i]));
  const nameById = new Map(customers.map((c) => [c.id, c.displayName]));
  const words = await nodeWordsFor(
    ctx.db,
    ctx.registry,
    instances.map((i) => i.versionId),
  );
  return (row: { instanceId: number; nodeId: string; customerId: string }) => {
    const instance = instanceById.get(row.instanceId);
    return {
      customerName: nameById.get(row.customerId) ?? null,
      journeyName: instance?.journey.name ?? null,
      nodeTitle: words(instance?.versionId, row.nodeId).nodeTitle,
    };
  };
}

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
