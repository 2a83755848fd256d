import { type ColumnMapping, type ColumnPlan, planColumns } from './column-mapping.ts';
import type { ReadOptions } from './read-table.ts';
import { readTableCached } from './read-table-cached.ts';

export interface ImportPreview {
  format: 'csv' | 'xlsx';
  encoding?: string;
  /** XLSX: the workbook's sheets and the one read (choose another with `sheet`). */
  sheets?: string[];
  sheet?: string;
  /** Data rows in the file (header excluded). */
  totalRows: number;
  /** Each column with the field it will fill: chosen by the mapping or guessed from its header. */
  columns: ColumnPlan[];
  /** The first data rows as read, for the operator to check the columns against. */
  sample: string[][];
  /** False when no column holds a phone, external id or WeCom id: the import would reject every row. */
  identifiable: boolean;
}

const SAMPLE_ROWS = 5;

/**
 * What an import of `bytes` would read, without writing anything: the import wizard shows it so
 * the operator can correct the mapping before importing; the same mapping then goes to the import.
 */
export async function previewImport(
  bytes: Uint8Array,
  mapping: ColumnMapping = {},
  options: ReadOptions = {},
): Promise<ImportPreview> {
  const table = await readTableCached(bytes, options);
  const columns = planColumns(table.rows[0] ?? [], mapping);
  return {
    format: table.format,
    encoding: table.encoding,
    sheets: table.sheets,
    sheet: table.sheet,
    totalRows: Math.max(0, table.rows.length - 1),
    columns,
    sample: table.rows.slice(1, 1 + SAMPLE_ROWS),
    identifiable: columns.some((c) => ['phone', 'externalId', 'wecomExternalUserId'].includes(c.field)),
  };
}
