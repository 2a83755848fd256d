import { z } from 'zod';
import { AUDIT_ACTIONS } from '../../audit/record.ts';
import { customerNames } from '../../customers/customer-names.ts';
import { adminProcedure, router } from '../trpc.ts';

/** A bound of the time window; an unreadable one is named as such, not as "expected date, received Date". */
const Instant = z.coerce.date({ error: '不是有效的日期时间 not a valid date-time (ISO 8601)' }).optional();

const AuditQuerySchema = z
  .object({
    action: z.enum(AUDIT_ACTIONS).optional(),
    /** The operator's username or the API key's name, exactly. */
    actor: z.string().trim().min(1).max(100).optional(),
    from: Instant,
    to: Instant,
    page: z.number().int().min(1).max(10_000).default(1),
    pageSize: z.number().int().min(1).max(200).default(50),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    message: 'from 必须早于 to / from must be before to',
    path: ['from'],
  })
  .default({ page: 1, pageSize: 50 });

/** The audit log, newest first (admins only). */
export const auditRouter = router({
  actions: adminProcedure.query(() => [...AUDIT_ACTIONS]),
  list: adminProcedure.input(AuditQuerySchema).query(async ({ ctx, input }) => {
    const where = {
      ...(input.action ? { action: input.action } : {}),
      ...(input.actor ? { actorName: input.actor } : {}),
      ...(input.from || input.to
        ? { at: { ...(input.from ? { gte: input.from } : {}), ...(input.to ? { lte: input.to } : {}) } }
        : {}),
    };
    const [total, rows] = await Promise.all([
      ctx.db.prisma.auditEntry.count({ where }),
      ctx.db.prisma.auditEntry.findMany({
        where,
        orderBy: [{ at: 'desc' }, { id: 'desc' }],
        skip: (input.page - 1) * input.pageSize,
        take: input.pageSize,
      }),
    ]);
    // The target by the name an operator knows (a journey's name, a customer's name or phone), not its id.
    const idsOf = (type: string) => rows.flatMap((r) => (r.targetType === type && r.targetId ? [r.targetId] : []));
    const journeyIds = idsOf('journey');
    const journeys = journeyIds.length
      ? await ctx.db.prisma.journey.findMany({ where: { id: { in: journeyIds } }, select: { id: true, name: true } })
      : [];
    const journeyNames = new Map(journeys.map((j) => [j.id, j.name]));
    const customers = await customerNames(ctx.db, idsOf('customer'));
    // Operators by the name colleagues know them by, API keys by their name (revoking records no name).
    const [operators, keys, staff] = await Promise.all([
      ctx.db.prisma.operator.findMany({
        where: { id: { in: idsOf('operator') } },
        select: { id: true, displayName: true, username: true },
      }),
      ctx.db.prisma.apiKey.findMany({ where: { id: { in: idsOf('apiKey') } }, select: { id: true, name: true } }),
      // WeCom staff (a handover's) by their name in the staff directory.
      ctx.db.prisma.wecomStaff.findMany({
        where: { userId: { in: idsOf('wecomUser') } },
        select: { userId: true, name: true },
      }),
    ]);
    const staffNames = new Map(staff.map((m) => [m.userId, m.name]));
    const otherNames = new Map([
      ...operators.map((o) => [o.id, `${o.displayName} (${o.username})`] as const),
      ...keys.map((k) => [k.id, k.name] as const),
    ]);
    const targetName = (type: string, id: string | null): string | null => {
      if (!id) return null;
      if (type === 'journey') return journeyNames.get(id) ?? null;
      if (type === 'operator' || type === 'apiKey') return otherNames.get(id) ?? null;
      if (type === 'wecomUser') return staffNames.get(id) ?? null;
      const c = type === 'customer' ? customers.get(id) : undefined;
      return c?.displayName || c?.phone || null;
    };
    return {
      total,
      page: input.page,
      pageSize: input.pageSize,
      entries: rows.map((r) => ({
        ...r,
        targetName: targetName(r.targetType, r.targetId),
        summary: JSON.parse(r.summary) as Record<string, unknown>,
      })),
    };
  }),
});
