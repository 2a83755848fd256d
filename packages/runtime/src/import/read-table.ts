import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { type DetectedEncoding, decodeText } from './decode.ts';

/** A file as rows of cells; row 0 is the header. */
export interface Table {
  rows: string[][];
  format: 'csv' | 'xlsx';
  encoding?: DetectedEncoding;
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

/** Reads a CSV (any supported encoding) or the first sheet of an XLSX, detected by content. */
export async function readTable(bytes: Uint8Array): Promise<Table> {
  if (isZip(bytes)) {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    const rows: string[][] = [];
    sheet?.eachRow({ includeEmpty: true }, (row, rowNumber) => {
      const values = row.values as ExcelJS.CellValue[]; // 1-based
      const cells: string[] = [];
      for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]).trim());
      rows[rowNumber - 1] = cells;
    });
    for (let i = 0; i < rows.length; i++) rows[i] ??= [];
    return { rows, format: 'xlsx' };
  }
  const { text, encoding } = decodeText(bytes);
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false });
  const rows = parsed.data.map((r) => r.map((c) => c.trim()));
  // A trailing newline yields one empty row at the end; it is not a data row.
  while (rows.length > 0 && (rows.at(-1) as string[]).every((c) => c === '')) rows.pop();
  return { rows, format: 'csv', encoding };
}
