import { api } from '../app/server-api.ts';

export type CsvRequest = Parameters<typeof api.reports.csv.query>[0];

/** Fetches a report as CSV from the server (UTF-8 with BOM) and hands it to the browser as a download. */
export async function downloadCsv(request: CsvRequest): Promise<void> {
  const { fileName, csv } = await api.reports.csv.query(request);
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
