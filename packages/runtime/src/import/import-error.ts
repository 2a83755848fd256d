/**
 * A customer file that cannot be read at all (damaged XLSX, zip bomb, too many rows, text in an
 * encoding we cannot read). The message names the problem for the operator; the API answers it
 * as BAD_REQUEST and nothing is written.
 */
export class ImportFileError extends Error {
  override name = 'ImportFileError';
  constructor(
    readonly code: 'NOT_XLSX' | 'TOO_LARGE' | 'TOO_MANY_ROWS' | 'ENCODING' | 'NOT_TEXT',
    message: string,
  ) {
    super(message);
  }
}

/** Rows one import may hold (header excluded): twice a 100,000-customer export. */
export const MAX_IMPORT_ROWS = 200_000;
/**
 * Bytes an XLSX may expand to, all entries together. A 200,000-row, 10-column export is about
 * 60 MB of XML; exceljs holds roughly ten times the XML in memory, so this bounds a load to
 * about 1 GB even for a file crafted to compress a thousandfold (a "zip bomb").
 */
export const MAX_XLSX_UNCOMPRESSED_BYTES = 96 * 1024 * 1024;
