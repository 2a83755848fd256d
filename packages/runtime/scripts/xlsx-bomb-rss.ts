// Measures peak RSS when reading a crafted XLSX: once as the import did before (exceljs loads the
// whole zip), once through readTable (zip directory and inflated size checked first). Each run is
// a fresh child process, so the figures do not mix. Usage: tsx scripts/xlsx-bomb-rss.ts
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { strToU8, unzipSync } from 'fflate';
import { readTable } from '../src/import/read-table.ts';
import { streamedXlsx } from '../src/import/streamed-xlsx.test-helper.ts';

/**
 * Rows of 8 inline-string cells: pseudo-random digits compress ~7× (like a real export); the
 * "bomb" repeats near-identical cells and compresses ~60×, so a small upload expands past the cap.
 */
async function buildXlsx(rows: number, bomb: boolean): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('客户').addRow(['手机号']);
  const entries = unzipSync(new Uint8Array(await wb.xlsx.writeBuffer()));
  let seed = 42;
  const digits = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return bomb ? `380013${String(seed % 10).padStart(4, '0')}` : String(seed).padStart(10, '0');
  };
  return streamedXlsx(entries, (push) => {
    for (let r = 1; r <= rows; r++) {
      let cells = '';
      for (const col of 'ABCDEFGH') cells += `<c r="${col}${r}" t="inlineStr"><is><t>1${digits()}</t></is></c>`;
      push(strToU8(`<row r="${r}">${cells}</row>`));
    }
  });
}

async function child(mode: string, path: string) {
  const bytes = readFileSync(path);
  let outcome: string;
  try {
    if (mode === 'exceljs') {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
      outcome = `loaded ${wb.worksheets[0]?.rowCount} rows`;
    } else {
      outcome = `read ${(await readTable(bytes)).rows.length} rows`;
    }
  } catch (e) {
    outcome = `refused: ${(e as Error).message}`;
  }
  const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(JSON.stringify({ mode, outcome: outcome.slice(0, 160), peakRssMb: peakMb }));
}

async function main() {
  if (process.argv[2] === '--child') return child(process.argv[3] as string, process.argv[4] as string);
  const dir = mkdtempSync(join(tmpdir(), 'siyu-bomb-'));
  try {
    const results = [];
    const cases = [
      { rows: 150_000, bomb: false },
      { rows: 600_000, bomb: true },
    ];
    for (const { rows, bomb } of cases) {
      const path = join(dir, `${rows}.xlsx`);
      const bytes = await buildXlsx(rows, bomb);
      writeFileSync(path, bytes);
      for (const mode of ['readTable', 'exceljs']) {
        const run = spawnSync(process.execPath, [...process.execArgv, import.meta.filename, '--child', mode, path], {
          encoding: 'utf8',
        });
        const line = run.stdout.trim().split('\n').at(-1) ?? run.stderr.slice(-300);
        results.push({ rows, bomb, fileMb: +(bytes.length / 2 ** 20).toFixed(1), ...JSON.parse(line) });
      }
    }
    console.table(results);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
