// Crafted XLSX files for the import's zip-bomb defences (import/bad-files.test.ts) and their
// memory measurement (scripts/xlsx-bomb-rss.ts).
import { strToU8, Zip, ZipDeflate } from 'fflate';

const SHEET = 'xl/worksheets/sheet1.xml';

/**
 * A real workbook's parts (`entries`, unzipped from exceljs) with the first sheet's rows replaced
 * by what `writeRows` pushes, deflated as a stream: the inflated sheet is never whole in memory,
 * so files that inflate far past the import's caps stay cheap to build.
 */
export function streamedXlsx(
  entries: Record<string, Uint8Array>,
  writeRows: (push: (rowsXml: Uint8Array) => void) => void,
): Uint8Array {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    chunks.push(chunk);
  });
  for (const [name, data] of Object.entries(entries)) {
    const file = new ZipDeflate(name, { level: 9 });
    zip.add(file);
    if (name !== SHEET) {
      file.push(data, true);
      continue;
    }
    file.push(
      strToU8(
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
      ),
    );
    writeRows((rowsXml) => file.push(rowsXml));
    file.push(strToU8('</sheetData></worksheet>'), true);
  }
  zip.end();
  return Buffer.concat(chunks);
}
