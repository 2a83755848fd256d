import { apiErrorDetail } from '@siyu/shared';
import { Unzip, type UnzipFileInfo, UnzipInflate, unzipSync } from 'fflate';
import { ImportFileError, MAX_IMPORT_ROWS, MAX_XLSX_UNCOMPRESSED_BYTES } from './import-error.ts';

const MB = 1024 * 1024;
const MAX_ENTRIES = 10_000;
/** Compressed bytes handed to the inflater at once: one push inflates to at most ~1000× this. */
const CHUNK = 16 * 1024;

const notXlsx = (why: string) => new ImportFileError('NOT_XLSX', apiErrorDetail('import.notXlsx', { why }));
const tooLarge = (bytes: number) =>
  new ImportFileError(
    'TOO_LARGE',
    apiErrorDetail('import.tooLarge', { maxMb: MAX_XLSX_UNCOMPRESSED_BYTES / MB, mb: Math.ceil(bytes / MB) }),
  );
const tooManyRows = (sheet: string) =>
  new ImportFileError('TOO_MANY_ROWS', apiErrorDetail('import.tooManyRows', { max: MAX_IMPORT_ROWS, sheet }));

/** The entries of the zip's central directory (names and declared sizes), without inflating anything. */
function centralDirectory(bytes: Uint8Array): UnzipFileInfo[] {
  const entries: UnzipFileInfo[] = [];
  try {
    unzipSync(bytes, {
      filter(file) {
        entries.push(file);
        return false; // read the directory only
      },
    });
  } catch (e) {
    throw notXlsx(`压缩包已损坏或不完整 the zip archive is damaged or truncated (${(e as Error).message})`);
  }
  return entries;
}

/** Counts `<row` start tags across chunk boundaries (a tag may straddle two chunks). */
function rowCounter() {
  const TAG = /<(?:\w{1,8}:)?row[\s>/]/g;
  let carry = '';
  let rows = 0;
  return {
    push(chunk: Uint8Array): number {
      const text = carry + Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
      // A tag ending inside the carried tail was counted with the previous chunk.
      for (const m of text.matchAll(TAG)) if (m.index + m[0].length > carry.length) rows++;
      carry = text.slice(-16);
      return rows;
    },
  };
}

/**
 * Checks an XLSX before exceljs loads it, with memory bounded by the caps: a real zip with a
 * workbook, at most MAX_XLSX_UNCOMPRESSED_BYTES once inflated (declared sizes checked first, then
 * the real inflated bytes counted and discarded, since a crafted zip can declare anything), and at
 * most MAX_IMPORT_ROWS rows in any sheet. Throws ImportFileError naming the problem.
 */
export function checkXlsx(bytes: Uint8Array): void {
  const entries = centralDirectory(bytes);
  if (entries.length > MAX_ENTRIES) throw notXlsx(`压缩包内文件过多 too many entries (${entries.length})`);
  if (!entries.some((e) => e.name === 'xl/workbook.xml'))
    throw notXlsx('压缩包中没有工作簿 the zip holds no workbook (xl/workbook.xml)');
  const declared = entries.reduce((sum, e) => sum + e.originalSize, 0);
  if (declared > MAX_XLSX_UNCOMPRESSED_BYTES) throw tooLarge(declared);

  let inflated = 0;
  let failure: Error | undefined;
  const unzip = new Unzip((file) => {
    const isSheet = /^xl\/worksheets\/[^/]+\.xml$/.test(file.name);
    const rows = isSheet ? rowCounter() : undefined;
    file.ondata = (err, chunk) => {
      if (failure) return;
      if (err) {
        failure = notXlsx(`${file.name}: ${err.message}`);
        return;
      }
      inflated += chunk.length;
      if (inflated > MAX_XLSX_UNCOMPRESSED_BYTES) failure = tooLarge(inflated);
      else if (rows && rows.push(chunk) > MAX_IMPORT_ROWS + 1) failure = tooManyRows(file.name.slice(14));
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    for (let at = 0; at < bytes.length && !failure; at += CHUNK) {
      unzip.push(bytes.subarray(at, Math.min(at + CHUNK, bytes.length)), at + CHUNK >= bytes.length);
    }
  } catch (e) {
    failure ??= notXlsx(`压缩包已损坏 the zip archive is damaged (${(e as Error).message})`);
  }
  if (failure) throw failure;
}
