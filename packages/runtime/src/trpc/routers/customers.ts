import { SegmentFilterSchema, TagNameSchema } from '@siyu/shared';
import { z } from 'zod';
import { segmentMemberIds } from '../../audiences/segments.ts';
import { thenAudit } from '../../audit/record.ts';
import { eraseCustomer } from '../../customers/erase-customer.ts';
import { CustomerSearchSchema, customersByIds, searchCustomers } from '../../customers/search-customers.ts';
import { segmentFields } from '../../customers/segment-fields.ts';
import { nodeWordsFor } from '../../journeys/node-words.ts';
import { apiError } from '../api-error.ts';
import { notFound, operatorProcedure, router, viewerProcedure } from '../trpc.ts';

const Id = z.string().min(1).max(100);
const Tag = TagNameSchema;

/** Customers: search, profile with timeline across journeys, tags, opt-outs, erase. */
export const customersRouter = router({
  search: viewerProcedure.input(CustomerSearchSchema).query(({ ctx, input }) => searchCustomers(ctx.db.sql, input)),

  /** One page of a segment's members (by id), with how many there are: the list of a segment. */
  segmentPage: viewerProcedure
    .input(
      z.object({
        filter: SegmentFilterSchema,
        limit: z.number().int().min(1).max(500).default(50),
        offset: z.number().int().min(0).default(0),
      }),
    )
    .query(async ({ ctx, input }) => {
      const ids = await segmentMemberIds(ctx.db, [input.filter], ctx.clock.now());
      return {
        total: ids.length,
        items: await customersByIds(ctx.db.sql, ids.slice(input.offset, input.offset + input.limit)),
      };
    }),

  /** What the segment builder offers: attribute names customers have, and event types seen or known. */
  segmentFields: viewerProcedure.query(({ ctx }) => segmentFields(ctx.db.sql)),

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
    // The channel by its name (门店活码), beside the code the customer came in with.
    const entryCode = c.channelCode
      ? await ctx.db.prisma.entryCode.findUnique({
          where: { code: c.channelCode },
          select: { channel: { select: { name: true } } },
        })
      : null;
    // Node names and port labels, so the timeline reads like the canvas (no node ids or port keys).
    const words = await nodeWordsFor(ctx.db, ctx.registry, [
      ...c.instances.map((i) => i.versionId),
      ...timeline.map((e) => e.versionId),
    ]);
    return {
      ...c,
      channelName: entryCode?.channel.name ?? null,
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

  /**
   * Opts a customer in or out of SMS (by phone) or WeCom (by external user id). Consent is what a
   * regulator asks about: both ways are audited, with the channel.
   */
  setOptOut: operatorProcedure
    .input(
      z.object({
        id: Id,
        channel: z.enum(['sms', 'wecom']),
        optedOut: z.boolean(),
        /** Why, in the caller's words; shown on the profile ('operator': set there by hand). */
        reason: z.string().trim().min(1, { message: '请填写退订原因 / say why (reason)' }).max(200).default('operator'),
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
      const result = { id: input.id, channel: input.channel, optedOut: input.optedOut };
      const action = input.optedOut ? 'customer.optOut' : 'customer.optIn';
      return thenAudit(ctx, action, { type: 'customer', id: input.id }, { channel: input.channel })(result);
    }),

  /** GDPR-style erase: identities, attributes, tags and message contents removed; counts kept. */
  erase: operatorProcedure.input(z.object({ id: Id })).mutation(async ({ ctx, input }) => {
    const result = await eraseCustomer(ctx.db, input.id, ctx.clock.now());
    if (!result) throw notFound('customer', input.id);
    return thenAudit(ctx, 'customer.erase', { type: 'customer', id: input.id })(result);
  }),
});
