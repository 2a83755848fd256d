import { normalizePhone } from '@siyu/shared';
import { z } from 'zod';
import { thenAudit } from '../../audit/record.ts';
import { eraseCustomer } from '../../customers/erase-customer.ts';
import type { SqlValue } from '../../db/sql-client.ts';
import { groupConcat, jsonTextAtParam, likeIgnoringCase } from '../../db/sql-dialect.ts';
import { nodeWordsFor } from '../../journeys/node-words.ts';
import { apiError } from '../api-error.ts';
import { notFound, operatorProcedure, router, viewerProcedure } from '../trpc.ts';

const Id = z.string().min(1).max(100);
const Tag = z.string().trim().min(1).max(50);

export const CustomerSearchSchema = z.object({
  text: z.string().trim().max(100).optional(),
  /** The customer must have every one of these tags. */
  tags: z.array(Tag).max(20).default([]),
  withoutTags: z.array(Tag).max(20).default([]),
  attributes: z
    .array(
      z.object({
        key: z.string().regex(/^[^"\\]{1,60}$/, 'attribute key must not contain quotes'),
        value: z.string().max(200),
      }),
    )
    .max(10)
    .default([]),
  channelCode: z.string().max(30).optional(),
  journeyId: Id.optional(),
  journeyStatus: z.enum(['active', 'completed', 'exited', 'failed']).optional(),
  includeErased: z.boolean().default(false),
  limit: z.number().int().min(1).max(500).default(50),
  offset: z.number().int().min(0).default(0),
});

/** Joins a customer's tags in one column: a control character no tag contains. */
const TAG_SEPARATOR = '\u001f';
const TAG_SEPARATOR_SQL = `'${TAG_SEPARATOR}'`;

interface CustomerRow {
  id: string;
  displayName: string | null;
  attributes: string;
  channelCode: string | null;
  variant: string | null;
  createdAt: string;
  erasedAt: string | null;
  tags: string | null;
  phone: string | null;
}

/** Customers: search, profile with timeline across journeys, tags, opt-outs, erase. */
export const customersRouter = router({
  search: viewerProcedure.input(CustomerSearchSchema).query(async ({ ctx, input }) => {
    const { sql } = ctx.db;
    const where: string[] = [];
    const params: SqlValue[] = [];
    // Names match whatever their case, as on SQLite (PostgreSQL's LIKE minds it).
    const like = likeIgnoringCase(sql.dialect);
    if (!input.includeErased) where.push('c.erasedAt IS NULL');
    if (input.text) {
      // A phone typed any way ("137 1111 2222", "13711112222") finds the E.164 identity; a part
      // of one ("1111 2222") is matched without its separators.
      const phone = normalizePhone(input.text);
      const digits = /^[+\d\s\-()]+$/.test(input.text) ? input.text.replace(/[\s\-()]/g, '') : input.text;
      where.push(
        `(c.displayName ${like} ? ESCAPE '\\' OR c.id = ? OR EXISTS (SELECT 1 FROM CustomerIdentity i WHERE i.customerId = c.id AND i.value ${like} ? ESCAPE '\\')${
          phone.ok
            ? " OR EXISTS (SELECT 1 FROM CustomerIdentity i WHERE i.kind = 'phone' AND i.value = ? AND i.customerId = c.id)"
            : ''
        })`,
      );
      const pattern = (text: string) => `%${text.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
      params.push(pattern(input.text), input.text, pattern(digits));
      if (phone.ok) params.push(phone.e164);
    }
    for (const tag of input.tags) {
      where.push('EXISTS (SELECT 1 FROM CustomerTag t WHERE t.customerId = c.id AND t.tag = ?)');
      params.push(tag);
    }
    for (const tag of input.withoutTags) {
      where.push('NOT EXISTS (SELECT 1 FROM CustomerTag t WHERE t.customerId = c.id AND t.tag = ?)');
      params.push(tag);
    }
    for (const { key, value } of input.attributes) {
      const at = jsonTextAtParam(sql.dialect, 'c.attributes', key);
      where.push(`${at.sql} = ?`);
      params.push(at.param, value);
    }
    if (input.channelCode) {
      where.push('c.channelCode = ?');
      params.push(input.channelCode);
    }
    if (input.journeyId || input.journeyStatus) {
      const conds = ['s.customerId = c.id'];
      if (input.journeyId) {
        conds.push('s.journeyId = ?');
        params.push(input.journeyId);
      }
      if (input.journeyStatus) {
        conds.push('s.status = ?');
        params.push(input.journeyStatus);
      }
      where.push(`EXISTS (SELECT 1 FROM Instance s WHERE ${conds.join(' AND ')})`);
    }
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (await sql.get<{ n: number }>(`SELECT count(*) AS n FROM Customer c ${whereSql}`, params))?.n ?? 0;
    const rows = await sql.all<CustomerRow>(
      `SELECT c.id, c.displayName, c.attributes, c.channelCode, c.variant, c.createdAt, c.erasedAt,
         (SELECT ${groupConcat(sql.dialect, 'tag', TAG_SEPARATOR_SQL)} FROM CustomerTag t WHERE t.customerId = c.id) AS tags,
         (SELECT value FROM CustomerIdentity i WHERE i.customerId = c.id AND i.kind = 'phone') AS phone
       FROM Customer c ${whereSql} ORDER BY c.createdAt DESC, c.id LIMIT ? OFFSET ?`,
      [...params, input.limit, input.offset],
    );
    return {
      total,
      items: rows.map((r) => ({
        ...r,
        attributes: JSON.parse(r.attributes) as Record<string, unknown>,
        tags: r.tags ? r.tags.split(TAG_SEPARATOR).sort() : [],
      })),
    };
  }),

  /** Everything known about one customer, with every step of every journey they were in. */
  get: viewerProcedure.input(z.object({ id: Id })).query(async ({ ctx, input }) => {
    // A customer merged into another (same person) opens as the one it became.
    const merged = await ctx.db.prisma.customerMerge.findUnique({ where: { mergedId: input.id } });
    const c = await ctx.db.prisma.customer.findUnique({
      where: { id: merged?.customerId ?? input.id },
      include: {
        identities: true,
        tags: { orderBy: { createdAt: 'asc' } },
        orders: { orderBy: { placedAt: 'desc' }, take: 50 },
        instances: {
          orderBy: { enteredAt: 'desc' },
          // Not the XState snapshot: it is internal and can be large.
          select: {
            id: true,
            journeyId: true,
            versionId: true,
            status: true,
            nodeId: true,
            holdout: true,
            exitReason: true,
            goalAt: true,
            enteredAt: true,
            endedAt: true,
            journey: { select: { name: true } },
          },
        },
      },
    });
    if (!c) throw notFound('customer', input.id);
    const addresses = c.identities.map((i) => i.value);
    const optOuts = await ctx.db.prisma.optOut.findMany({
      where: { OR: [{ customerId: c.id }, { address: { in: addresses } }] },
    });
    const timeline = await ctx.db.sql.all<{
      instanceId: number;
      journeyId: string;
      versionId: string;
      journeyName: string | null;
      at: number | bigint;
      kind: string;
      nodeId: string | null;
      fromNodeId: string | null;
      port: string | null;
      detail: string | null;
    }>(
      `SELECT l.instanceId, l.journeyId, l.versionId, j.name AS journeyName, l.at, l.kind, l.nodeId, l.fromNodeId, l.port, l.detail
       FROM StepLog l JOIN Instance i ON i.id = l.instanceId LEFT JOIN Journey j ON j.id = l.journeyId
       WHERE i.customerId = ? ORDER BY l.at, l.id LIMIT 2000`,
      [c.id],
    );
    const events = await ctx.db.prisma.event.findMany({
      where: { customerId: c.id },
      orderBy: { occurredAt: 'desc' },
      take: 200,
    });
    // Node names and port labels, so the timeline reads like the canvas (no node ids or port keys).
    const words = await nodeWordsFor(ctx.db, ctx.registry, [
      ...c.instances.map((i) => i.versionId),
      ...timeline.map((e) => e.versionId),
    ]);
    return {
      ...c,
      instances: c.instances.map((i) => ({ ...i, nodeTitle: words(i.versionId, i.nodeId).nodeTitle })),
      attributes: JSON.parse(c.attributes) as Record<string, unknown>,
      tags: c.tags.map((t) => ({ tag: t.tag, source: t.source, createdAt: t.createdAt })),
      optOuts,
      timeline: timeline.map((e) => ({
        ...e,
        ...words(e.versionId, e.nodeId, e.port),
        at: Number(e.at),
        detail: e.detail ? (JSON.parse(e.detail) as unknown) : null,
      })),
      events: events.map((e) => ({
        ...e,
        occurredAt: Number(e.occurredAt),
        receivedAt: Number(e.receivedAt),
        processedAt: e.processedAt === null ? null : Number(e.processedAt),
        data: JSON.parse(e.data) as unknown,
      })),
    };
  }),

  updateTags: operatorProcedure
    .input(z.object({ id: Id, add: z.array(Tag).max(50).default([]), remove: z.array(Tag).max(50).default([]) }))
    .mutation(async ({ ctx, input }) => {
      const c = await ctx.db.prisma.customer.findUnique({ where: { id: input.id } });
      if (!c) throw notFound('customer', input.id);
      if (c.erasedAt) throw apiError('PRECONDITION_FAILED', 'customer.erased');
      await ctx.db.prisma.$transaction([
        ctx.db.prisma.customerTag.deleteMany({ where: { customerId: input.id, tag: { in: input.remove } } }),
        ...input.add.map((tag) =>
          ctx.db.prisma.customerTag.upsert({
            where: { customerId_tag: { customerId: input.id, tag } },
            create: { customerId: input.id, tag, source: 'manual' },
            update: {},
          }),
        ),
      ]);
      const tags = await ctx.db.prisma.customerTag.findMany({ where: { customerId: input.id }, select: { tag: true } });
      return { id: input.id, tags: tags.map((t) => t.tag) };
    }),

  /** Opts a customer in or out of SMS (by phone) or WeCom (by external user id). */
  setOptOut: operatorProcedure
    .input(
      z.object({
        id: Id,
        channel: z.enum(['sms', 'wecom']),
        optedOut: z.boolean(),
        reason: z.string().max(200).default('operator'),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const kind = input.channel === 'sms' ? 'phone' : 'wecomExternalUserId';
      const identity = await ctx.db.prisma.customerIdentity.findFirst({ where: { customerId: input.id, kind } });
      if (!identity) {
        throw apiError('PRECONDITION_FAILED', 'customer.noIdentity', { kind });
      }
      const key = { channel_address: { channel: input.channel, address: identity.value } };
      if (input.optedOut) {
        await ctx.db.prisma.optOut.upsert({
          where: key,
          create: { channel: input.channel, address: identity.value, customerId: input.id, reason: input.reason },
          update: { reason: input.reason },
        });
      } else {
        await ctx.db.prisma.optOut.deleteMany({ where: { channel: input.channel, address: identity.value } });
      }
      return { id: input.id, channel: input.channel, optedOut: input.optedOut };
    }),

  /** GDPR-style erase: identities, attributes, tags and message contents removed; counts kept. */
  erase: operatorProcedure.input(z.object({ id: Id })).mutation(async ({ ctx, input }) => {
    const result = await eraseCustomer(ctx.db, input.id, ctx.clock.now());
    if (!result) throw notFound('customer', input.id);
    return thenAudit(ctx, 'customer.erase', { type: 'customer', id: input.id })(result);
  }),
});
