// Customer files for import tests, made with the libraries the server reads them with: an XLSX
// (exceljs's streaming writer, so 100,000 rows take seconds) and GBK text (iconv-lite).
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

/** A workbook with one sheet per entry, in order: its name and its rows (the first is the header). */
export async function xlsxFile(sheets: { name: string; rows: readonly (readonly string[])[] }[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const { PassThrough } = await import('node:stream');
  const stream = new PassThrough();
  stream.on('data', (c: Buffer) => chunks.push(c));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: false, useStyles: false });
  for (const sheet of sheets) {
    const worksheet = workbook.addWorksheet(sheet.name);
    for (const row of sheet.rows) worksheet.addRow([...row]).commit();
    worksheet.commit();
  }
  await workbook.commit();
  return Buffer.concat(chunks);
}

/** Text as Excel in China saves a CSV: GBK, no BOM. */
export const gbkFile = (text: string): Buffer => iconv.encode(text, 'gbk');
