import { createHash } from 'node:crypto';
import { type ReadOptions, readTable, type Table } from './read-table.ts';

/** Files kept read: the wizard's preview then its import (or a sheet, then the other back). */
const KEEP = 2;
const KEEP_MS = 10 * 60_000;

const kept = new Map<string, { table: Table; at: number }>();

const keyOf = (digest: string, sheet: string | undefined) => `${digest}\u0000${sheet ?? ''}`;

/**
 * readTable, remembering the last files read: the wizard sends the same bytes to the preview and
 * then to the import, and reading a 100,000-row XLSX (exceljs holds the whole workbook) takes
 * seconds each time. Keyed by the bytes' SHA-256 and the sheet; a read of the first sheet is kept
 * under its name too, since the import names the sheet the preview showed.
 */
export async function readTableCached(bytes: Uint8Array, options: ReadOptions = {}): Promise<Table> {
  const digest = createHash('sha256').update(bytes).digest('hex');
  const now = Date.now();
  for (const [key, entry] of kept) if (now - entry.at > KEEP_MS) kept.delete(key);
  const hit = kept.get(keyOf(digest, options.sheet));
  if (hit) return hit.table;
  const table = await readTable(bytes, options);
  const keys = new Set([keyOf(digest, options.sheet), keyOf(digest, table.sheet)]);
  for (const key of keys) kept.set(key, { table, at: now });
  while (new Set([...kept.values()].map((e) => e.table)).size > KEEP) {
    const oldest = kept.keys().next().value as string;
    const table = kept.get(oldest)?.table;
    for (const [key, entry] of kept) if (entry.table === table) kept.delete(key);
  }
  return table;
}
