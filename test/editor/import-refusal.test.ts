// A customer file the server refuses, as an operator meets it in the import wizard: a CSV whose
// unquoted cell holds quotes and a comma opens a quoted field that never closes. The refusal names
// the row, and switching the language afterwards rewords it (the error's code travels with it).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openNav } from './antd-helpers.ts';
import { serverAndBrowserForFile, signInToEditor } from './editor-session.ts';
import { shots } from './real-server.ts';

const session = serverAndBrowserForFile('import-refusal');

describe('a refused import file', () => {
  it('names the row of a quote that never closes, in the language chosen now', async () => {
    const page = await session.page();
    await signInToEditor(page, session.real.base);
    await openNav(page, 'customers');
    await page.getByTestId('customers-import').click();
    await page.getByTestId('import-page').waitFor();
    const csv = '手机号,姓名\n13800138000,张三\n13900139000,=HYPERLINK("http://x.example","点我")\n13700137000,王五\n';
    await page
      .locator('[data-testid=import-file] input[type=file]')
      .setInputFiles({ name: '会员.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const error = page.getByTestId('import-error');
    await expect.poll(() => error.textContent()).toMatch(/^第 3 行有一个没有闭合的引号/);
    expect(await page.getByTestId('import-mapping').count()).toBe(0);
    await page.screenshot({ path: join(shots, 'import-04-unclosed-quote.png') });
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await expect.poll(() => error.textContent()).toMatch(/^Row 3 has a quote that is never closed/);
    await page.screenshot({ path: join(shots, 'import-04-unclosed-quote-en.png') });
  });
});
