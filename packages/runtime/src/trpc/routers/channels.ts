import { randomBytes, randomUUID } from 'node:crypto';
import { type ApiErrorDetail, apiErrorDetail, DEFAULT_VARIANT, HttpUrlSchema } from '@siyu/shared';
import { TRPCError } from '@trpc/server';
import QRCode from 'qrcode';
import { z } from 'zod';
import type { Context } from '../context.ts';
import { notFound, operatorProcedure, router, viewerProcedure } from '../trpc.ts';
import { englishOf } from '../api-error.ts';

const Id = z.string().min(1).max(100);
const ChannelKind = z.enum(['liveCode', 'packageCard', 'smsLink', 'storePoster']);
/** Codes travel as WeCom's `state` (≤ 30 chars) and in URLs. */
const CodeSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9_-]{3,30}$/,
    '渠道码须为 3–30 位字母、数字、"_" 或 "-" / code must be 3–30 letters, digits, "_" or "-"',
  );
const CodeInput = z.object({
  code: CodeSchema.optional(),
  variant: z.string().trim().min(1).max(50).default(DEFAULT_VARIANT),
  targetUrl: HttpUrlSchema.optional(),
  wecomConfigId: z.string().max(100).optional(),
  delivered: z.number().int().min(0).default(0),
});

/** Codes in the channel report's order (variant, then code), so every screen lists them alike. */
const CODE_ORDER: Array<{ variant: 'asc' } | { code: 'asc' }> = [{ variant: 'asc' }, { code: 'asc' }];

function newCode(): string {
  return randomBytes(6).toString('base64url').replace(/[-_]/g, 'x');
}

/**
 * A code given twice, or one that already exists, is the caller's mistake on that field: answered
 * as BAD_REQUEST with a ZodError cause, so the error carries `issues` with the field's path like
 * any other input error (the editor shows it under the field) instead of a database error.
 */
async function refuseTakenCodes(ctx: Context, codes: Array<{ code?: string }>, path: (i: number) => PropertyKey[]) {
  const given = codes.map((c) => c.code).filter((c): c is string => c !== undefined);
  if (given.length === 0) return;
  const taken = new Set(
    (await ctx.db.prisma.entryCode.findMany({ where: { code: { in: given } }, select: { code: true } })).map(
      (c) => c.code,
    ),
  );
  const seen = new Set<string>();
  const issues: Array<{ code: 'custom'; path: PropertyKey[]; message: string; params: { apiError: ApiErrorDetail } }> =
    [];
  codes.forEach((c, i) => {
    if (c.code === undefined) return;
    if (taken.has(c.code) || seen.has(c.code)) {
      issues.push({
        code: 'custom',
        path: path(i),
        message: englishOf(apiErrorDetail('channels.codeTaken', { code: c.code })),
        params: { apiError: apiErrorDetail('channels.codeTaken', { code: c.code }) },
      });
    }
    seen.add(c.code);
  });
  if (issues.length === 0) return;
  // Built by a parse, not `new ZodError()`: only a parse's error is an Error instance, which tRPC
  // keeps as the cause (anything else it wraps, and the formatter would drop the issues).
  const { error } = z
    .unknown()
    .superRefine((_, check) => {
      for (const issue of issues) check.addIssue(issue);
    })
    .safeParse(null);
  throw new TRPCError({ code: 'BAD_REQUEST', message: issues[0]?.message, cause: error });
}

/** Channels and their entry codes (live code state, package-card batch, SMS link), with QR codes. */
export const channelsRouter = router({
  /** Active channels, newest first; `includeArchived` adds the archived ones (they carry archivedAt). */
  list: viewerProcedure
    .input(z.object({ includeArchived: z.boolean().default(false) }).default({ includeArchived: false }))
    .query(({ ctx, input }) =>
      ctx.db.prisma.channel.findMany({
        where: input.includeArchived ? {} : { archivedAt: null },
        include: { codes: { orderBy: CODE_ORDER } },
        orderBy: { createdAt: 'desc' },
      }),
    ),

  get: viewerProcedure.input(z.object({ id: Id })).query(async ({ ctx, input }) => {
    const channel = await ctx.db.prisma.channel.findUnique({
      where: { id: input.id },
      include: { codes: { orderBy: CODE_ORDER } },
    });
    if (!channel) throw notFound('channel', input.id);
    return {
      ...channel,
      codes: channel.codes.map((c) => ({ ...c, trackedUrl: `${ctx.publicUrl}/r/${c.code}` })),
    };
  }),

  create: operatorProcedure
    .input(
      z.object({
        name: z.string().trim().min(1).max(100),
        kind: ChannelKind,
        codes: z.array(CodeInput).max(200).default([]),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await refuseTakenCodes(ctx, input.codes, (i) => ['codes', i, 'code']);
      const id = `ch_${randomUUID()}`;
      return ctx.db.prisma.channel.create({
        data: {
          id,
          name: input.name,
          kind: input.kind,
          codes: {
            create: (input.codes.length ? input.codes : [CodeInput.parse({})]).map((c) => ({
              code: c.code ?? newCode(),
              variant: c.variant,
              targetUrl: c.targetUrl ?? null,
              wecomConfigId: c.wecomConfigId ?? null,
              delivered: c.delivered,
            })),
          },
        },
        include: { codes: true },
      });
    }),

  addCode: operatorProcedure.input(CodeInput.extend({ channelId: Id })).mutation(async ({ ctx, input }) => {
    const channel = await ctx.db.prisma.channel.findUnique({ where: { id: input.channelId } });
    if (!channel) throw notFound('channel', input.channelId);
    await refuseTakenCodes(ctx, [input], () => ['code']);
    return ctx.db.prisma.entryCode.create({
      data: {
        code: input.code ?? newCode(),
        channelId: input.channelId,
        variant: input.variant,
        targetUrl: input.targetUrl ?? null,
        wecomConfigId: input.wecomConfigId ?? null,
        delivered: input.delivered,
      },
    });
  }),

  /** Records how many cards were shipped / SMS sent for a code, the denominator of recall rate. */
  setDelivered: operatorProcedure
    .input(z.object({ code: CodeSchema, delivered: z.number().int().min(0) }))
    .mutation(({ ctx, input }) =>
      ctx.db.prisma.entryCode.update({ where: { code: input.code }, data: { delivered: input.delivered } }),
    ),

  archive: operatorProcedure.input(z.object({ id: Id })).mutation(async ({ ctx, input }) => {
    await ctx.db.prisma.channel.update({ where: { id: input.id }, data: { archivedAt: new Date() } });
    return { id: input.id };
  }),

  /** Printable QR codes (SVG) pointing at the tracked redirect, one per code of the channel. */
  qrCodes: viewerProcedure
    .input(z.object({ channelId: Id, format: z.enum(['svg', 'png']).default('svg') }))
    .query(async ({ ctx, input }) => {
      const codes = await ctx.db.prisma.entryCode.findMany({
        where: { channelId: input.channelId },
        orderBy: CODE_ORDER,
      });
      if (codes.length === 0) throw notFound('channel', input.channelId);
      return Promise.all(
        codes.map(async (c) => {
          const url = `${ctx.publicUrl}/r/${c.code}`;
          const image =
            input.format === 'svg'
              ? await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
              : await QRCode.toDataURL(url, { errorCorrectionLevel: 'M', margin: 2, width: 600 });
          return { code: c.code, variant: c.variant, url, format: input.format, image };
        }),
      );
    }),
});
