// Files that cannot be imported at all: each is an ImportFileError naming the problem (the API
// answers BAD_REQUEST), memory stays bounded, and nothing is written.
import ExcelJS from 'exceljs';
import { strToU8, unzipSync, zipSync } from 'fflate';
import iconv from 'iconv-lite';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import { cleanupAfterEach, scratchDatabase } from '../db/scratch-database.test-helper.ts';
import { importCustomers } from './import-customers.ts';
import { MAX_IMPORT_ROWS, MAX_XLSX_UNCOMPRESSED_BYTES } from './import-error.ts';
import { streamedXlsx } from './streamed-xlsx.test-helper.ts';

const cleanups = cleanupAfterEach();
let db: Database;
beforeEach(async () => {
  db = await scratchDatabase('import-bad', cleanups);
});

const count = (table: string) => (db.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const run = (bytes: Uint8Array) => importCustomers(db, bytes, { fileName: 'f', mode: 'skipInvalid' });

/** A real workbook's entries (from exceljs), so only the part under test is crafted. */
async function workbookEntries(): Promise<Record<string, Uint8Array>> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('客户');
  ws.addRow(['手机号', '姓名']);
  ws.addRow(['13800138000', '张三']);
  return unzipSync(new Uint8Array(await wb.xlsx.writeBuffer()));
}

/** An XLSX whose first sheet is `rows` repeated `times` times, deflated as a stream (never in memory). */
async function repeatedRowsXlsx(rows: string, times: number): Promise<Uint8Array> {
  const block = strToU8(rows);
  return streamedXlsx(await workbookEntries(), (push) => {
    for (let i = 0; i < times; i++) push(block);
  });
}

const expectNothingWritten = () => {
  expect(count('Customer')).toBe(0);
  expect(count('ImportBatch')).toBe(0);
};

describe('import: files that cannot be read', () => {
  it('rejects a file that starts like a zip but is not one, naming it', async () => {
    const fake = Buffer.concat([
      Buffer.from([0x50, 0x4b, 0x03, 0x04]),
      Buffer.from('手机号\n13800138000\n'.repeat(50)),
    ]);
    await expect(run(fake)).rejects.toMatchObject({ name: 'ImportFileError', code: 'NOT_XLSX' });
    await expect(run(fake)).rejects.toThrow(/not a valid Excel \.xlsx file/);
    // A zip without a workbook in it (e.g. a zipped folder of CSVs).
    const zipOfCsv = zipSync({ 'customers.csv': strToU8('手机号\n13800138000\n') });
    await expect(run(zipOfCsv)).rejects.toThrow(/no workbook/);
    expectNothingWritten();
  });

  it('refuses an XLSX bomb before exceljs inflates it, by declared and by real size', async () => {
    // ~1 KB of XML per row, compressing ~500×: a few hundred KB that expands past the cap.
    const row = `<row><c t="inlineStr"><is><t>${'x'.repeat(1000)}</t></is></c></row>`;
    const times = Math.ceil((MAX_XLSX_UNCOMPRESSED_BYTES * 1.2) / row.length);
    const bomb = await repeatedRowsXlsx(row, times);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    await expect(run(bomb)).rejects.toMatchObject({ name: 'ImportFileError', code: 'TOO_LARGE' });

    // The same bomb with the sizes in its headers rewritten to lie (a few bytes): the real
    // inflated bytes are counted, not the declared ones.
    const liar = Buffer.from(bomb);
    for (let at = 0; at + 46 <= liar.length; at++) {
      const sig = liar.readUInt32LE(at);
      if (sig === 0x04034b50 && liar.readUInt32LE(at + 22) > 10_000_000) liar.writeUInt32LE(100, at + 22);
      if (sig === 0x02014b50 && liar.readUInt32LE(at + 24) > 10_000_000) liar.writeUInt32LE(100, at + 24);
      if (sig === 0x08074b50 && liar.readUInt32LE(at + 12) > 10_000_000) liar.writeUInt32LE(100, at + 12);
    }
    await expect(run(liar)).rejects.toMatchObject({ name: 'ImportFileError', code: 'TOO_LARGE' });
    expectNothingWritten();
  });

  it('caps rows: an XLSX or CSV past MAX_IMPORT_ROWS is refused, naming the limit', async () => {
    const xlsx = await repeatedRowsXlsx('<row><c><v>1</v></c></row>', MAX_IMPORT_ROWS + 5);
    await expect(run(xlsx)).rejects.toMatchObject({ name: 'ImportFileError', code: 'TOO_MANY_ROWS' });
    // One sparse row numbered past the cap must not become a million empty rows either.
    const sparse = await repeatedRowsXlsx(
      `<row r="1"><c r="A1"><v>1</v></c></row><row r="${MAX_IMPORT_ROWS + 10}"><c r="A${MAX_IMPORT_ROWS + 10}"><v>1</v></c></row>`,
      1,
    );
    await expect(run(sparse)).rejects.toThrow(new RegExp(`more than ${MAX_IMPORT_ROWS} rows`));
    const csv = Buffer.from(`phone\n${'13800138000\n'.repeat(MAX_IMPORT_ROWS + 1)}`);
    await expect(run(csv)).rejects.toMatchObject({ name: 'ImportFileError', code: 'TOO_MANY_ROWS' });
    expectNothingWritten();
  });

  it('refuses a CSV with a quote that never closes, naming its row, instead of importing the rows before it', async () => {
    // Unquoted, the cell's quotes and comma start a quoted field on line 3 that never ends: the
    // rows after it would have become one cell and vanished from a "committed" import.
    const csv = Buffer.from(
      '手机号,姓名\n13800138000,张三\n13900139000,=HYPERLINK("http://x.example","点我")\n13700137000,王五\n',
    );
    const refused = run(csv);
    await expect(refused).rejects.toMatchObject({ name: 'ImportFileError', code: 'UNCLOSED_QUOTE' });
    await expect(run(csv)).rejects.toThrow(/^Row 3 has a quote that is never closed/);
    expectNothingWritten();
    // A quote inside an unquoted cell that needs no closing is read as it stands.
    const inner = Buffer.from('手机号,姓名\n13800138000,他说"你好"\n13900139000,李四\n');
    expect(await run(inner)).toMatchObject({ status: 'committed', created: 2 });
  });

  it('refuses a CSV whose quoted cell goes on after its closing quote, naming its row, instead of merging the rows after it', async () => {
    // "李"四 then "王五": Papa reads from the first quote to the next one, so the row of
    // 13900139000 became part of 张三's name and was never counted as rejected.
    const csv = Buffer.from('手机号,姓名\n13800138000,"李"四\n13900139000,"王五"\n13700137000,赵六\n');
    await expect(run(csv)).rejects.toMatchObject({ name: 'ImportFileError', code: 'MALFORMED_QUOTE' });
    await expect(run(csv)).rejects.toThrow(/^Row 2 has a stray quote/);
    expectNothingWritten();
    // Quotes written as the format says ("" inside a quoted cell) are read as they stand.
    const escaped = Buffer.from('手机号,姓名\n13800138000,"李""四"\n13900139000,"王五"\n');
    expect(await run(escaped)).toMatchObject({ status: 'committed', created: 2 });
  });

  it('reads UTF-16 with or without a BOM, big- or little-endian, instead of "no phone column"', async () => {
    const csv = '手机号,姓名\n13800138000,张三\n13900139000,李四\n';
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(iconv.encode(csv, 'utf-16be'))]);
    expect(await run(be)).toMatchObject({ status: 'committed', encoding: 'utf-16be', created: 2 });
    const le = iconv.encode(csv.replace(/138/g, '137').replace(/139/g, '136'), 'utf-16le'); // no BOM
    expect(await run(le)).toMatchObject({ status: 'committed', encoding: 'utf-16le', created: 2 });
  });

  it('names the encoding when the header comes out garbled, and refuses binary files', async () => {
    const big5 = iconv.encode('手機號碼,姓名\n0912345678,陳大文\n', 'big5');
    await expect(run(big5)).rejects.toMatchObject({ name: 'ImportFileError', code: 'ENCODING' });
    await expect(run(big5)).rejects.toThrow(/read as gbk, the header is garbled/);
    // An old binary .xls (OLE compound file) renamed to .csv.
    const xls = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(600, 0), Buffer.from('手机号')]);
    await expect(run(xls)).rejects.toMatchObject({ name: 'ImportFileError', code: 'NOT_TEXT' });
    expectNothingWritten();
  });
});
