// The admin UI on Ant Design (issue 14 §6), in Chromium against the real server: the journey list
// is an antd table that sorts by a column and pages (20 a page); stopping a journey asks in an antd
// confirm that names what happens to the customers in it now, with a red (danger) button; antd's own
// words (pagination, sort hints) follow the language switch. Screenshots of the list, customers,
// audit and callback pages in both languages.
import { join } from 'node:path';
import { openDatabase } from '@siyu/runtime';
import { addCustomers, graphOf } from '@siyu/runtime/testing';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { serverAndBrowserForFile, signInToEditor } from './editor-session.ts';
import { shots } from './real-server.ts';

const CJK = /[\u4e00-\u9fff]/;
/** 23 drafts besides the live one: two pages at 20 a page. */
const DRAFTS = Array.from({ length: 23 }, (_, i) => `草稿 ${String(i + 1).padStart(2, '0')}`);

const session = serverAndBrowserForFile('antd-kit', {
  seed: async (dbPath) => {
    const db = await openDatabase(dbPath);
    try {
      const graph = JSON.stringify(
        graphOf(
          [
            ['entry', 'core.apiEntry', {}],
            ['hold', 'core.wait', { duration: { amount: 3, unit: 'days' } }],
            ['done', 'core.exit', { reason: '完成' }],
          ],
          [
            ['entry', 'next', 'hold'],
            ['hold', 'next', 'done'],
          ],
          { quietHours: { enabled: false } },
        ),
      );
      for (const [i, name] of DRAFTS.entries())
        await db.prisma.journey.create({ data: { id: `j_${i}`, name, draft: graph, createdBy: 'test' } });
      await db.prisma.journey.create({ data: { id: 'j_live', name: '阿里会员日', draft: graph, createdBy: 'test' } });
      addCustomers(db.sqlite, 'c', 1, 3);
    } finally {
      await db.close();
    }
  },
});

/** The server-paged pages: address, screenshot name, and the test id of their rows. */
const PAGES = [
  ['#/customers', 'customers', 'customer-row'],
  ['#/audit', 'audit', 'audit-row'],
  ['#/callbacks', 'callbacks', 'callback-row'],
] as const;

const shot = (page: Page, name: string) => page.screenshot({ path: join(shots, `antd-kit-${name}.png`) });
const names = (page: Page) => page.getByTestId('journey-name').allTextContents();

describe('the admin UI on Ant Design', () => {
  it('sorts and pages the journey list', { timeout: 180_000 }, async () => {
    const page = await session.page();
    await signInToEditor(page, session.real.base);
    const table = page.getByTestId('journey-list');
    await expect.poll(() => page.getByTestId('journey-row').count()).toBe(20);
    expect(await table.getByText('第 1–20 条，共 24 条').count()).toBe(1);
    // Sorted by name in pinyin order (阿 a before 草 cao), then the other way round.
    const nameHeader = table.locator('th', { hasText: '名称' });
    await nameHeader.click();
    await expect.poll(async () => (await names(page))[0]).toBe('阿里会员日');
    expect((await names(page))[1]).toBe('草稿 01');
    await nameHeader.click();
    await expect.poll(async () => (await names(page))[0]).toBe('草稿 23');
    await shot(page, '01-list-sorted-zh');
    // Page 2 holds the last 4 rows of the same order.
    await table.locator('.ant-pagination').getByText('2', { exact: true }).click();
    await expect.poll(() => names(page)).toEqual(['草稿 03', '草稿 02', '草稿 01', '阿里会员日']);
    expect(await table.getByText('第 21–24 条，共 24 条').count()).toBe(1);
  });

  it('asks before stopping, naming what happens to the customers in the journey', {
    timeout: 120_000,
  }, async () => {
    const page = await session.page();
    const { base } = session.real;
    const post = (path: string, data: unknown) => page.request.post(`${base}/trpc/${path}`, { data });
    expect((await post('journeys.publish', { id: 'j_live' })).ok()).toBe(true);
    for (const customerId of ['c1', 'c2']) {
      const res = await post('runs.enroll', { journeyId: 'j_live', customerId });
      expect(res.ok(), await res.text()).toBe(true);
    }
    await page.goto(`${base}/`);
    const row = page.locator('tbody tr', { hasText: '阿里会员日' });
    await expect.poll(() => row.locator('.pill.live').count()).toBe(1);
    await row.getByTestId('journey-stop').click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.getByText('停止旅程「阿里会员日」？', { exact: false }).first().waitFor();
    expect(await dialog.getByTestId('confirm-body').textContent()).toContain('旅程中的 2 位客户将立即结束旅程');
    // The destructive button is red, and waits for a reason.
    const ok = dialog.getByTestId('confirm-ok');
    expect(await ok.getAttribute('class')).toContain('ant-btn-dangerous');
    expect(await ok.isDisabled()).toBe(true);
    await shot(page, '02-stop-confirm-zh');
    // Cancelled: nothing changes.
    await dialog.getByRole('button', { name: '取消' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await row.locator('.pill.live').count()).toBe(1);
  });

  it("follows the language switch in antd's own words", { timeout: 120_000 }, async () => {
    const page = await session.page();
    await page.goto(`${session.real.base}/`);
    const table = page.getByTestId('journey-list');
    // The page-size changer and the sort hint are antd's locale, not our strings.
    await expect.poll(() => table.locator('.ant-pagination').textContent()).toContain('条/页');
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await expect.poll(() => table.locator('.ant-pagination').textContent()).toContain('/ page');
    expect(await table.locator('.ant-pagination').textContent()).not.toMatch(CJK);
    expect(await table.getByText('1–20 of 24').count()).toBe(1);
    await table.locator('th', { hasText: 'Name' }).hover();
    await expect.poll(() => page.getByRole('tooltip').textContent()).toMatch(/sort/i);
    await shot(page, '03-list-en');
    // The server-paged pages in English, then in Chinese.
    for (const [path, name, row] of PAGES) {
      await page.goto(`${session.real.base}/${path}`);
      await page.getByTestId(row).first().waitFor();
      await shot(page, `04-${name}-en`);
    }
    await page.getByRole('button', { name: '中文', exact: true }).click();
    for (const [path, name, row] of PAGES) {
      await page.goto(`${session.real.base}/${path}`);
      await page.getByTestId(row).first().waitFor();
      await shot(page, `04-${name}-zh`);
    }
    await page.goto(`${session.real.base}/`);
    await expect.poll(() => table.locator('.ant-pagination').textContent()).toContain('条/页');
    await shot(page, '05-list-zh');
  });
});
