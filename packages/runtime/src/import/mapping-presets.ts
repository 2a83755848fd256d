import { randomUUID } from 'node:crypto';
import { apiErrorDetail } from '@siyu/shared';
import { z } from 'zod';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { type ColumnMapping, ColumnMappingSchema } from './column-mapping.ts';
import { ImportFileError } from './import-error.ts';

/** A preset's name as operators give it, e.g. "天猫订单导出". */
export const PresetNameSchema = z.string().trim().min(1).max(60);

export interface MappingPreset {
  name: string;
  mapping: ColumnMapping;
  createdBy: string | null;
  updatedAt: Date;
}

type Db = { prisma: PrismaClient };

const toPreset = (row: {
  name: string;
  mapping: string;
  createdBy: string | null;
  updatedAt: Date;
}): MappingPreset => ({
  name: row.name,
  // Stored through the schema, so it parses; a row edited by hand into nonsense reads as empty.
  mapping: ColumnMappingSchema.catch({}).parse(JSON.parse(row.mapping)),
  createdBy: row.createdBy,
  updatedAt: row.updatedAt,
});

export async function listMappingPresets(db: Db): Promise<MappingPreset[]> {
  const rows = await db.prisma.importMappingPreset.findMany({ orderBy: { name: 'asc' } });
  return rows.map(toPreset);
}

/** Saves `mapping` under `name`, replacing a preset of that name. */
export async function saveMappingPreset(
  db: Db,
  input: { name: string; mapping: ColumnMapping; createdBy?: string },
): Promise<MappingPreset> {
  const mapping = JSON.stringify(input.mapping);
  const row = await db.prisma.importMappingPreset.upsert({
    where: { name: input.name },
    create: { id: `imap_${randomUUID()}`, name: input.name, mapping, createdBy: input.createdBy ?? null },
    update: { mapping },
  });
  return toPreset(row);
}

/** Deletes the preset; false when there was none of that name. */
export async function deleteMappingPreset(db: Db, name: string): Promise<boolean> {
  const { count } = await db.prisma.importMappingPreset.deleteMany({ where: { name } });
  return count > 0;
}

/** The preset's mapping, with `overrides` (e.g. the CLI's --map flags) on top; names a missing preset. */
export async function mappingFromPreset(db: Db, name: string, overrides: ColumnMapping = {}): Promise<ColumnMapping> {
  const row = await db.prisma.importMappingPreset.findUnique({ where: { name } });
  if (!row) {
    const known = (await listMappingPresets(db)).map((p) => p.name);
    throw new ImportFileError('MAPPING', apiErrorDetail('import.presetUnknown', { name, known: known.join(', ') }));
  }
  return { ...toPreset(row).mapping, ...overrides };
}
