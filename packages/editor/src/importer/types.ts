import type { api } from '../app/server-api.ts';

export type ImportPreview = Awaited<ReturnType<typeof api.audiences.previewImport.mutate>>;
export type ImportBatch = Awaited<ReturnType<typeof api.audiences.importBatch.query>>;
export type ImportHistoryItem = Awaited<ReturnType<typeof api.audiences.imports.query>>[number];
export type RowProblem = NonNullable<ImportBatch['errors']>[number];
/** What a column holds: one of the server's fields (import/column-mapping.ts), `ignore` or `attribute:<key>`. */
export type ImportField = ImportPreview['columns'][number]['field'];

/** The file the operator chose, as the server takes it. */
export interface ChosenFile {
  name: string;
  contentBase64: string;
}
