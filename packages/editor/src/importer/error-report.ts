import { spreadsheetCsv, UTF8_BOM } from '@siyu/shared/csv';
import type { TFunction } from 'i18next';
import type { RowProblem } from './types.ts';

/** One problem in the operator's language (the server's code; its bilingual words when the code is unknown). */
export function problemText(t: TFunction, p: RowProblem): string {
  return p.code ? t(`importer:problem.${p.code}`, { value: p.value ?? '' }) : p.reason;
}

/**
 * The rows an import left out as a CSV the operator opens in Excel: row, column, reason. Columns and
 * reasons quote the uploaded file (a header, a bad value), so formula cells are escaped.
 */
export function errorReportCsv(t: TFunction, problems: readonly RowProblem[]): string {
  const rows = problems.map((p) => [String(p.row), p.column ?? '', problemText(t, p)]);
  const header = [t('importer:report.row'), t('importer:report.column'), t('importer:report.reason')];
  return UTF8_BOM + spreadsheetCsv([header, ...rows]);
}

export function downloadErrorReport(t: TFunction, fileName: string, problems: readonly RowProblem[]): void {
  const url = URL.createObjectURL(new Blob([errorReportCsv(t, problems)], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = t('importer:report.fileName', { name: fileName.replace(/\.[^.]+$/, '') });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
