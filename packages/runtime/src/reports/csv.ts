import Papa from 'papaparse';
import { exportTable, type ReportDeps } from './csv-exporters.ts';
import type { CsvRequest } from './inputs.ts';

/** Excel (zh-CN Windows) reads a CSV as GBK unless it starts with a UTF-8 byte-order mark. */
export const UTF8_BOM = '\uFEFF';

/** A report as CSV text (UTF-8 with BOM), its rules as trailing note rows. */
export async function reportCsv(deps: ReportDeps, request: CsvRequest): Promise<{ fileName: string; csv: string }> {
  const t = await exportTable(deps, request);
  const notes = t.notes.flatMap((n) => [[`说明：${n['zh-CN']}`], [`Note: ${n.en}`]]);
  const csv = Papa.unparse([t.header, ...t.rows, [], ...notes], { newline: '\r\n' });
  const stamp = new Date(deps.now).toISOString().slice(0, 10);
  return { fileName: `${request.report}-${stamp}.csv`, csv: UTF8_BOM + csv };
}
