import Papa from 'papaparse';

/** Excel reads a CSV as UTF-8 (Chinese intact) only when it starts with this byte-order mark. */
export const UTF8_BOM = '\uFEFF';

/**
 * Rows as CSV for a spreadsheet (RFC 4180 quoting, CRLF, a line end after the last row). Papa's
 * `escapeFormulae` puts a ' before any cell starting with = + - @ (or a tab / carriage return), so a
 * value from a customer or an uploaded file — "=HYPERLINK(…)" — shows as text in Excel, never runs.
 * Prepend UTF8_BOM to the whole file.
 */
export function spreadsheetCsv(rows: ReadonlyArray<ReadonlyArray<unknown>>): string {
  return `${Papa.unparse(rows as unknown[][], { newline: '\r\n', escapeFormulae: true })}\r\n`;
}
