import { randomUUID } from 'node:crypto';
import { SegmentFilterSchema, TagNameSchema } from '@siyu/shared';
import { z } from 'zod';
import { previewSegment } from '../../audiences/segments.ts';
import { thenAudit } from '../../audit/record.ts';
import { ColumnMappingSchema } from '../../import/column-mapping.ts';
import { importCustomers, startImport } from '../../import/import-customers.ts';
import {
  deleteMappingPreset,
  listMappingPresets,
  mappingFromPreset,
  PresetNameSchema,
  saveMappingPreset,
} from '../../import/mapping-presets.ts';
import { previewImport } from '../../import/preview-import.ts';
import { undoImport } from '../../import/undo-import.ts';
import { apiError } from '../api-error.ts';
import type { Context } from '../context.ts';
import { ingestProcedure, notFound, operatorProcedure, router, viewerProcedure } from '../trpc.ts';

const Id = z.string().min(1).max(100);
/** An Excel worksheet name (Excel allows at most 31 characters). */
const SheetSchema = z.string().min(1).max(31);
/** 50 MB of base64 ≈ 37 MB file: more than a 100,000-row export. */
const MAX_BASE64 = 50 * 1024 * 1024;

/** The file and how to read it, as both the preview and the import take them. */
const ImportFileInput = z.object({
  // Checked as base64 here: Node decodes what is not base64 to nothing, and "the file is empty"
  // would send the caller looking at the wrong thing.
  contentBase64: z
    .string()
    .min(1)
    .max(MAX_BASE64)
    .pipe(z.base64({ error: '文件内容须为 base64 编码 / contentBase64 must be the file encoded as base64' })),
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

const ImportInput = ImportFileInput.extend({
  fileName: z.string().trim().min(1).max(200),
  mode: z.enum(['strict', 'skipInvalid']).default('strict'),
  tags: z.array(TagNameSchema).max(10).default([]),
});

/** A batch as the wizard and the history show it; `errors` only when asked (up to 5,000 rows). */
function batchView(
  r: Awaited<ReturnType<Context['db']['prisma']['importBatch']['findFirstOrThrow']>>,
  withErrors: boolean,
) {
  const errors = JSON.parse(r.errors) as {
    row: number;
    column?: string;
    code?: string;
    value?: string;
    reason: string;
  }[];
  const { errors: _stored, ...rest } = r;
  return { ...rest, problemCount: errors.length, ...(withErrors ? { errors } : {}) };
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
  /** Waits for the whole import (scripts, the API); the editor starts a job instead (startImport). */
  import: ingestProcedure('customers:import')
    .meta({ largeBody: true })
    .input(ImportInput)
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

  /**
   * Starts an import as a job and answers at once with its batch: the rows are written in the
   * background, chunk by chunk; `importBatch` tells the progress. A file that cannot be read, or a
   * strict import with invalid rows, is answered here (status rejected).
   */
  startImport: operatorProcedure
    .meta({ largeBody: true })
    .input(ImportInput)
    .mutation(async ({ ctx, input }) => {
      const { bytes, mapping } = await fileAndMapping(ctx, input);
      const { report } = await startImport(ctx.db, bytes, {
        fileName: input.fileName,
        mode: input.mode,
        tags: input.tags,
        mapping,
        sheet: input.sheet,
        createdBy: ctx.operator.username,
        now: () => ctx.clock.now(),
      });
      await thenAudit(
        ctx,
        'customers.import',
        { type: 'importBatch', id: report.batchId },
        { fileName: input.fileName, status: report.status, totalRows: report.totalRows, rejected: report.rejected },
      )(report);
      return { batchId: report.batchId, status: report.status };
    }),

  /** One batch with its progress (processedRows of totalRows) and its row problems. */
  importBatch: viewerProcedure.input(z.object({ id: Id })).query(async ({ ctx, input }) => {
    const row = await ctx.db.prisma.importBatch.findUnique({ where: { id: input.id } });
    if (!row) throw notFound('importBatch', input.id);
    return batchView(row, true);
  }),

  /** Takes back a committed import whose customers have not entered a journey (import/undo-import.ts). */
  undoImport: operatorProcedure.input(z.object({ id: Id })).mutation(async ({ ctx, input }) => {
    const result = await undoImport(ctx.db.sql, input.id, {
      undoneBy: ctx.operator.username,
      now: ctx.clock.now(),
    });
    return thenAudit(ctx, 'customers.importUndo', { type: 'importBatch', id: input.id }, { ...result })(result);
  }),

  imports: viewerProcedure
    .input(z.object({ limit: z.number().int().min(1).max(200).default(50) }).default({ limit: 50 }))
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db.prisma.importBatch.findMany({ orderBy: { createdAt: 'desc' }, take: input.limit });
      return rows.map((r) => batchView(r, false));
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
