import { spreadsheetCsv, UTF8_BOM } from '@siyu/shared/csv';
import { exportTable, type ReportDeps } from './csv-exporters.ts';
import type { CsvRequest } from './inputs.ts';

/**
 * A report as CSV text (UTF-8 with BOM), its rules as trailing note rows. Journey, node and channel
 * names are the operator's text: a cell starting with = + - @ is written as text (spreadsheetCsv).
 */
export async function reportCsv(deps: ReportDeps, request: CsvRequest): Promise<{ fileName: string; csv: string }> {
  const t = await exportTable(deps, request);
  const notes = t.notes.flatMap((n) => [[`说明：${n['zh-CN']}`], [`Note: ${n.en}`]]);
  const csv = spreadsheetCsv([t.header, ...t.rows, [], ...notes]);
  const stamp = new Date(deps.now).toISOString().slice(0, 10);
  return { fileName: `${request.report}-${stamp}.csv`, csv: UTF8_BOM + csv };
}
