import { randomUUID } from 'node:crypto';
import { SegmentFilterSchema } from '@siyu/shared';
import { z } from 'zod';
import { previewSegment } from '../../audiences/segments.ts';
import { thenAudit } from '../../audit/record.ts';
import { ColumnMappingSchema } from '../../import/column-mapping.ts';
import { importCustomers } from '../../import/import-customers.ts';
import {
  deleteMappingPreset,
  listMappingPresets,
  mappingFromPreset,
  PresetNameSchema,
  saveMappingPreset,
} from '../../import/mapping-presets.ts';
import { previewImport } from '../../import/preview-import.ts';
import { apiError } from '../api-error.ts';
import type { Context } from '../context.ts';
import { ingestProcedure, notFound, operatorProcedure, router, viewerProcedure } from '../trpc.ts';

const Id = z.string().min(1).max(100);
/** 50 MB of base64 ≈ 37 MB file: more than a 100,000-row export. */
/** An Excel worksheet name (Excel allows at most 31 characters). */
const SheetSchema = z.string().min(1).max(31);
const MAX_BASE64 = 50 * 1024 * 1024;

/** The file and how to read it, as both the preview and the import take them. */
const ImportFileInput = z.object({
  contentBase64: z.string().min(1).max(MAX_BASE64),
  /** Header → field where the guess is wrong or absent, e.g. {"Tel (mobile)": "phone"}. */
  mapping: ColumnMappingSchema.default({}),
  /** A saved mapping to start from; `mapping` overrides its columns. */
  preset: PresetNameSchema.optional(),
  /** XLSX: the worksheet to read (default the first). */
  sheet: SheetSchema.optional(),
});

/** The file's bytes and the mapping to read it with (the preset's, with the request's on top). */
async function fileAndMapping(ctx: Context, input: z.infer<typeof ImportFileInput>) {
  const bytes = Buffer.from(input.contentBase64, 'base64');
  if (bytes.length === 0) throw apiError('BAD_REQUEST', 'import.fileEmpty');
  const mapping = input.preset ? await mappingFromPreset(ctx.db, input.preset, input.mapping) : input.mapping;
  return { bytes, mapping };
}

/** Audiences: customer imports (CSV/XLSX) and saved segments with size preview. */
export const audiencesRouter = router({
  /** What an import would read (columns with their fields, first rows), before anything is written. */
  previewImport: ingestProcedure('customers:import')
    .meta({ largeBody: true })
    .input(ImportFileInput)
    .mutation(async ({ ctx, input }) => {
      const { bytes, mapping } = await fileAndMapping(ctx, input);
      return previewImport(bytes, mapping, { sheet: input.sheet });
    }),
  mappingPresets: viewerProcedure.query(({ ctx }) => listMappingPresets(ctx.db)),
  saveMappingPreset: operatorProcedure
    .input(z.object({ name: PresetNameSchema, mapping: ColumnMappingSchema }))
    .mutation(({ ctx, input }) => saveMappingPreset(ctx.db, { ...input, createdBy: ctx.operator.username })),
  deleteMappingPreset: operatorProcedure
    .input(z.object({ name: PresetNameSchema }))
    .mutation(async ({ ctx, input }) => ({ deleted: await deleteMappingPreset(ctx.db, input.name) })),
  import: ingestProcedure('customers:import')
    .meta({ largeBody: true })
    .input(
      ImportFileInput.extend({
        fileName: z.string().trim().min(1).max(200),
        mode: z.enum(['strict', 'skipInvalid']).default('strict'),
        tags: z.array(z.string().trim().min(1).max(50)).max(10).default([]),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { bytes, mapping } = await fileAndMapping(ctx, input);
      return importCustomers(ctx.db, bytes, {
        fileName: input.fileName,
        mode: input.mode,
        tags: input.tags,
        mapping,
        sheet: input.sheet,
        createdBy: ctx.actor,
        now: () => ctx.clock.now(),
      }).then((r) =>
        thenAudit(
          ctx,
          'customers.import',
          { type: 'importBatch', id: r.batchId },
          {
            fileName: input.fileName,
            status: r.status,
            created: r.created,
            updated: r.updated,
            rejected: r.rejected,
          },
        )(r),
      );
    }),

  imports: viewerProcedure
    .input(z.object({ limit: z.number().int().min(1).max(200).default(50) }).default({ limit: 50 }))
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db.prisma.importBatch.findMany({ orderBy: { createdAt: 'desc' }, take: input.limit });
      return rows.map((r) => ({ ...r, errors: JSON.parse(r.errors) as { row: number; reason: string }[] }));
    }),

  previewSegment: viewerProcedure
    .input(z.object({ filter: SegmentFilterSchema }))
    .query(({ ctx, input }) => previewSegment(ctx.db, input.filter, ctx.clock.now())),

  segments: viewerProcedure.query(async ({ ctx }) => {
    const rows = await ctx.db.prisma.segment.findMany({ orderBy: { updatedAt: 'desc' } });
    return rows.map((s) => ({ ...s, filter: SegmentFilterSchema.parse(JSON.parse(s.filter)) }));
  }),

  getSegment: viewerProcedure.input(z.object({ id: Id })).query(async ({ ctx, input }) => {
    const s = await ctx.db.prisma.segment.findUnique({ where: { id: input.id } });
    if (!s) throw notFound('segment', input.id);
    const filter = SegmentFilterSchema.parse(JSON.parse(s.filter));
    return { ...s, filter, preview: await previewSegment(ctx.db, filter, ctx.clock.now()) };
  }),

  saveSegment: operatorProcedure
    .input(
      z.object({
        id: Id.optional(),
        name: z.string().trim().min(1).max(100),
        description: z.string().max(1000).default(''),
        filter: SegmentFilterSchema,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const data = { name: input.name, description: input.description, filter: JSON.stringify(input.filter) };
      if (input.id) {
        const existing = await ctx.db.prisma.segment.findUnique({ where: { id: input.id } });
        if (!existing) throw notFound('segment', input.id);
        return ctx.db.prisma.segment.update({ where: { id: input.id }, data });
      }
      return ctx.db.prisma.segment.create({
        data: { ...data, id: `seg_${randomUUID()}`, createdBy: ctx.operator.username },
      });
    }),

  deleteSegment: operatorProcedure.input(z.object({ id: Id })).mutation(async ({ ctx, input }) => {
    await ctx.db.prisma.segment.deleteMany({ where: { id: input.id } });
    return { id: input.id };
  }),
});
