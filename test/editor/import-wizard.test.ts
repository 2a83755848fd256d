// The import wizard (导入客户) against the real server: a 100,000-row XLSX whose phone column has a
// header no guess knows ("联系电话(手机)") is mapped in the UI, imported with the progress bar the
// server feeds, its exact counts shown and its error report downloaded and read; then a small GBK
// CSV in English, and its undo from the history. The fixtures are made here with the server's own
// libraries (exceljs, iconv-lite).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gbkFile, xlsxFile } from '@siyu/runtime/testing';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { answerConfirm, openNav, pickOption, shownOption } from './antd-helpers.ts';
import { serverAndBrowserForFile, signInToEditor } from './editor-session.ts';
import { shots } from './real-server.ts';

const ROWS = 100_000;
/** Data rows (0-based) whose phone is not a phone, and rows repeating an earlier row's phone. */
const BAD = [7, 20_007, 40_007, 60_007, 80_007];
const REPEATS = [30_000, 50_000, 99_999];

const phoneOf = (i: number) => `139${String(i).padStart(8, '0')}`;

function bigSheet(): string[][] {
  const rows = [['联系电话(手机)', '姓名', '城市', '会员等级']];
  for (let i = 0; i < ROWS; i++) {
    const phone = BAD.includes(i) ? `12${i}` : REPEATS.includes(i) ? phoneOf(i - 1000) : phoneOf(i);
    rows.push([phone, `客户${i}`, i % 2 ? '上海' : '杭州', '金卡']);
  }
  return rows;
}

const session = serverAndBrowserForFile('import-wizard');

async function upload(page: Page, name: string, buffer: Buffer, mimeType: string) {
  await page.locator('[data-testid=import-file] input[type=file]').setInputFiles({ name, mimeType, buffer });
  await page.getByTestId('import-mapping').waitFor({ timeout: 120_000 });
}

describe('the import wizard (导入客户)', () => {
  it('imports 100,000 XLSX rows with a mapping chosen in the UI, server progress, exact counts and an error report', {
    timeout: 240_000,
  }, async () => {
    let started = performance.now();
    const xlsx = await xlsxFile([
      { name: '客户', rows: bigSheet() },
      { name: '说明', rows: [['本表由 CRM 导出']] },
    ]);
    console.log(
      `fixture: ${ROWS} rows, ${(xlsx.length / 1e6).toFixed(1)} MB XLSX in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const page = await session.page();
    await signInToEditor(page, session.real.base);
    await openNav(page, 'customers');
    await page.getByTestId('customers-import').click();
    await page.getByTestId('import-page').waitFor();

    started = performance.now();
    await upload(page, 'crm-export.xlsx', xlsx, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(await page.getByTestId('import-file-facts').textContent()).toBe('XLSX，共 100,000 行数据');
    // Two sheets: the first is read, the other can be chosen.
    expect(await shownOption(page, 'import-sheet')).toContain('工作表：客户');
    // No guess for this header: it would be an attribute until the operator says it is the phone.
    const phoneField = page.getByTestId('field-0');
    expect(await shownOption(page, 'field-0')).toContain('客户属性');
    expect(await page.getByTestId('import-start').isDisabled()).toBe(true);
    await pickOption(page, phoneField, '手机号');
    expect(await shownOption(page, 'field-1')).toContain('姓名');
    // The mapping is saved for the next export from the same CRM.
    await page.getByTestId('import-preset-name').fill('CRM 客户导出');
    await page.getByTestId('import-save-preset').click();
    await page.getByTestId('import-preset-saved').waitFor();
    await page.screenshot({ path: join(shots, 'import-01-mapping.png') });

    console.log(`read and previewed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const importing = performance.now();
    await page.getByTestId('import-start').click();
    const progress = page.getByTestId('import-progress');
    await progress.waitFor();
    // The bar moves while the server writes: seen part-way at least once.
    const seen = new Set<string>();
    await expect
      .poll(
        async () => {
          const status = await progress.getAttribute('data-status');
          const done = Number(await page.getByTestId('import-progress-bar').getAttribute('data-processed'));
          if (status === 'running' && done > 0) seen.add('part-way');
          return status;
        },
        { timeout: 180_000, interval: 200 },
      )
      .toBe('committed');
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `imported in ${((performance.now() - importing) / 1000).toFixed(1)} s; upload to counts ${seconds.toFixed(1)} s`,
    );
    expect(seen.has('part-way')).toBe(true);
    const count = (id: string) => page.getByTestId(id).textContent();
    expect(await count('count-created')).toBe('99,992');
    expect(await count('count-updated')).toBe('0');
    expect(await count('count-duplicates')).toBe(String(REPEATS.length));
    expect(await count('count-rejected')).toBe(String(BAD.length));
    await page.screenshot({ path: join(shots, 'import-02-done.png') });

    // The error report: row number as Excel shows it (header = row 1), the column, the reason in Chinese.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('import-error-report').click(),
    ]);
    expect(download.suggestedFilename()).toBe('crm-export-导入错误.csv');
    const csv = readFileSync((await download.path()) as string, 'utf8');
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('行号,列,原因');
    expect(lines.slice(1)).toEqual(
      [
        ...BAD.map((i) => `${i + 2},联系电话(手机),手机号无效：12${i}`),
        ...REPEATS.map((i) => `${i + 2},联系电话(手机),与第 ${i - 1000 + 2} 行重复`),
      ].sort((a, b) => Number(a.split(',')[0]) - Number(b.split(',')[0])),
    );
  });

  it('reads a GBK CSV, in English, and undoes it from the history', { timeout: 120_000 }, async () => {
    const page = await session.page();
    await page.getByTestId('import-another').click();
    const csv = gbkFile('手机号,姓名,城市\n13800000001,张三,上海\n13800000002,李四,北京\n13800000003,王五,广州\n');
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Import customers');
    await upload(page, '门店会员.csv', csv, 'text/csv');
    expect(await page.getByTestId('import-file-facts').textContent()).toBe('CSV · GBK/GB18030, 3 data rows');
    // The Chinese headers are read right and guessed: phone and name.
    expect(await shownOption(page, 'field-0')).toBe('Phone');
    expect(await shownOption(page, 'field-1')).toBe('Name');
    const mappingText = (await page.getByTestId('import-mapping').textContent()) ?? '';
    // Only the file's own words are Chinese.
    expect(mappingText.replace(/手机号|姓名|城市|张三|李四|王五|上海|北京|广州/g, '')).not.toMatch(/[\u4e00-\u9fff]/);
    await page.screenshot({ path: join(shots, 'import-03-gbk-en.png') });
    await page.getByTestId('import-start').click();
    await expect.poll(() => page.getByTestId('import-progress').getAttribute('data-status')).toBe('committed');
    expect(await page.getByTestId('count-created').textContent()).toBe('3');

    // The history: who, which file, the counts; undo asks, then removes the three customers.
    const row = page.locator('[data-testid=import-history-row][data-file="门店会员.csv"]');
    expect(await row.textContent()).toContain('3 rows: 3 created, 0 updated, 0 not imported');
    expect(await row.textContent()).toContain('admin');
    await row.getByTestId('history-undo').click();
    expect(await answerConfirm(page, true)).toContain('The 3 customers it created are removed');
    await expect.poll(() => row.getAttribute('data-status')).toBe('undone');
    await expect.poll(() => page.locator('.ant-message').textContent()).toContain('Undone: 3 customers removed');
    const big = page.locator('[data-testid=import-history-row][data-file="crm-export.xlsx"]');
    expect(await big.getAttribute('data-status')).toBe('committed');
    await page.screenshot({ path: join(shots, 'import-04-history-en.png') });
    await page.getByRole('button', { name: '中文', exact: true }).click();
  });
});
