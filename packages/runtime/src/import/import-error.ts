import { type ApiErrorDetail, apiErrorText } from '@siyu/shared';

/**
 * A customer file that cannot be read at all (damaged XLSX, zip bomb, too many rows, text in an
 * encoding we cannot read). The message names the problem for the operator; the API answers it
 * as BAD_REQUEST and nothing is written.
 */
export class ImportFileError extends Error {
  override name = 'ImportFileError';
  constructor(
    readonly code:
      | 'NOT_XLSX'
      | 'TOO_LARGE'
      | 'TOO_MANY_ROWS'
      | 'ENCODING'
      | 'NOT_TEXT'
      | 'MAPPING'
      | 'UNCLOSED_QUOTE'
      | 'MALFORMED_QUOTE',
    /** Its words for the operator (API_ERROR_MESSAGES); the message is their English. */
    readonly detail: ApiErrorDetail,
  ) {
    super(apiErrorText(detail)?.en ?? detail.key);
  }
}

/** Rows one import may hold (header excluded): twice a 100,000-customer export. */
export const MAX_IMPORT_ROWS = 200_000;
/**
 * Bytes an XLSX may expand to, all entries together. A 200,000-row, 10-column export is about
 * 80 MB of XML. exceljs holds the whole workbook: measured (scripts/xlsx-bomb-rss.ts) 150,000
 * rows × 8 cells, ~65 MB of XML, peak at ~850 MB RSS; so this bounds a load to ~1.2 GB whatever
 * the file claims, where a crafted 18 MB upload ("zip bomb") took exceljs alone to ~3 GB.
 */
export const MAX_XLSX_UNCOMPRESSED_BYTES = 96 * 1024 * 1024;
