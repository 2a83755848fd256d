import { apiErrorDetail } from '@siyu/shared';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { type DetectedEncoding, decodeText } from './decode.ts';
import { ImportFileError, MAX_IMPORT_ROWS } from './import-error.ts';
import { checkXlsx } from './xlsx-guard.ts';

/** A file as rows of cells; row 0 is the header. */
export interface Table {
  rows: string[][];
  format: 'csv' | 'xlsx';
  encoding?: DetectedEncoding;
  /** XLSX: every worksheet's name in workbook order, and the one read. */
  sheets?: string[];
  sheet?: string;
}

export interface ReadOptions {
  /** XLSX: the worksheet to read, by name (default the first). */
  sheet?: string;
}

function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value) return String(value.text);
    if ('result' in value) return value.result === undefined ? '' : String(value.result);
    return '';
  }
  return String(value);
}

const tooManyRows = () =>
  new ImportFileError('TOO_MANY_ROWS', apiErrorDetail('import.tooManyRows', { max: MAX_IMPORT_ROWS }));

async function readXlsx(bytes: Uint8Array, options: ReadOptions): Promise<Table> {
  checkXlsx(bytes); // sizes and row counts first: exceljs holds the whole workbook in memory
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch (e) {
    throw new ImportFileError(
      'NOT_XLSX',
      apiErrorDetail('import.unreadableXlsx', { why: (e as Error).message.slice(0, 200) }),
    );
  }
  const sheets = workbook.worksheets.map((w) => w.name);
  const sheet = options.sheet === undefined ? workbook.worksheets[0] : workbook.getWorksheet(options.sheet);
  if (!sheet && options.sheet !== undefined) {
    throw new ImportFileError(
      'MAPPING',
      apiErrorDetail('import.unknownSheet', { sheet: options.sheet, sheets: sheets.join(', ') }),
    );
  }
  const rows: string[][] = [];
  sheet?.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const values = row.values as ExcelJS.CellValue[]; // 1-based
    const cells: string[] = [];
    for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]).trim());
    rows[rowNumber - 1] = cells;
  });
  // Row numbers come from the file (r="…"): a sparse sheet must not stretch the array past the cap.
  if (rows.length - 1 > MAX_IMPORT_ROWS) throw tooManyRows();
  for (let i = 0; i < rows.length; i++) rows[i] ??= [];
  return { rows, format: 'xlsx', sheets, sheet: sheet?.name };
}

/** Reads a CSV (any supported encoding) or a sheet of an XLSX (the first unless named), detected by content. */
export async function readTable(bytes: Uint8Array, options: ReadOptions = {}): Promise<Table> {
  if (isZip(bytes)) return readXlsx(bytes, options);
  const { text, encoding } = decodeText(bytes);
  // Two rows past the cap are enough to know it is exceeded (a trailing empty row is dropped below).
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false, preview: MAX_IMPORT_ROWS + 3 });
  // An opening quote that never closes makes the rest of the file one cell: the rows after it would
  // vanish from a "committed" import without one of them counted as rejected. Refuse the file and
  // say where: Papa's row is the record's index, so +1 is the row number a spreadsheet shows (the
  // header is row 1), as the import's error report counts rows.
  const unclosed = parsed.errors.find((e) => e.code === 'MissingQuotes');
  if (unclosed) {
    const row = (unclosed.row ?? 0) + 1;
    throw new ImportFileError('UNCLOSED_QUOTE', apiErrorDetail('import.unclosedQuote', { row }));
  }
  // A quoted cell with text after its closing quote ("Li"si): Papa reads on to the next quote in
  // the file, so the rows between become part of this cell, silently (no row is rejected).
  const malformed = parsed.errors.find((e) => e.code === 'InvalidQuotes');
  if (malformed) {
    const row = (malformed.row ?? 0) + 1;
    throw new ImportFileError('MALFORMED_QUOTE', apiErrorDetail('import.malformedQuote', { row }));
  }
  const rows = parsed.data.map((r) => r.map((c) => c.trim()));
  // A trailing newline yields one empty row at the end; it is not a data row.
  while (rows.length > 0 && (rows.at(-1) as string[]).every((c) => c === '')) rows.pop();
  if (rows.length - 1 > MAX_IMPORT_ROWS) throw tooManyRows();
  return { rows, format: 'csv', encoding };
}
