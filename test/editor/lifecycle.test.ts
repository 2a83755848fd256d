// A journey's whole life in Chromium against the real server (issue 14 §5): create from a template,
// rename and describe it, publish, pause (the confirm says the customers in it carry on), resume,
// duplicate, archive (the confirm names the customers in flight), find it among the archived and
// restore it, roll back to version 1 (published as a new version), stop it with a reason (seen in a
// customer's timeline), and log out (the session ends on the server). Screenshots in both languages.

import { join } from 'node:path';
import { openDatabase } from '@siyu/runtime';
import { addCustomers, graphOf } from '@siyu/runtime/testing';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { pickOption, shownOption } from './antd-helpers.ts';
import { serverAndBrowserForFile, signInToEditor } from './editor-session.ts';
import { confirmPublish } from './publish-helpers.ts';
import { shots, watchCspViolations } from './real-server.ts';

const session = serverAndBrowserForFile('lifecycle', {
  seed: async (dbPath) => {
    const db = await openDatabase(dbPath);
    try {
      // A template (what the example loader makes of examples/<folder>/journey.json) that needs nothing.
      const graph = graphOf(
        [
          ['entry', 'core.apiEntry', {}],
          ['wait', 'core.wait', { duration: { amount: 3, unit: 'days' } }],
          ['done', 'core.exit', { reason: '完成' }],
        ],
        [
          ['entry', 'next', 'wait'],
          ['wait', 'next', 'done'],
        ],
        { quietHours: { enabled: false } },
      );
      await db.prisma.journey.create({
        data: {
          id: 'tpl_care',
          name: '会员关怀模板',
          description: '进入后等待三天',
          draft: JSON.stringify(graph),
          templateKey: 'example:member-care',
          createdBy: 'examples',
        },
      });
      addCustomers(db.sqlite, 'm', 0, 3);
    } finally {
      await db.close();
    }
  },
});

const shot = (page: Page, name: string) => page.screenshot({ path: join(shots, `lifecycle-${name}.png`) });
const NAME = '会员日关怀';

describe('journey lifecycle', () => {
  it('walks a journey from creation to stop, then logs out', { timeout: 240_000 }, async () => {
    const violations = await watchCspViolations(session.context);
    const page = await session.page();
    const { base } = session.real;
    await signInToEditor(page, base);

    // Create from the template, then rename and describe it and file it in a folder.
    await page.locator('[data-template="会员关怀模板"]').getByTestId('use-template').click();
    await page.getByTestId('template-journey-name').fill('会员关怀');
    await page.getByTestId('create-from-template').click();
    await page.getByTestId('journey-details').click();
    await page.getByTestId('details-name').fill(NAME);
    await page.getByTestId('details-description').fill('会员日前一天提醒，三天后结束');
    await page.getByTestId('details-folder').fill('会员运营');
    await page.getByTestId('details-save').click();
    await expect.poll(() => page.getByTestId('journey-title').textContent()).toBe(NAME);

    // Publish version 1.
    await page.getByTestId('publish').click();
    await confirmPublish(page, '已发布第 1 版');
    await page.getByTestId('back').click();
    const row = page.locator('tbody tr', { hasText: NAME }).filter({ hasNotText: '副本' });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator('.pill.folder').textContent()).toBe('会员运营');
    expect(await row.textContent()).toContain('会员日前一天提醒');

    // Three customers enter (test data: the UI has no screen for enrolling by hand).
    const journeyId = (await row.getAttribute('data-journey-id')) ?? '';
    for (const customerId of ['m0', 'm1', 'm2']) {
      const res = await session.context.request.post(`${base}/trpc/runs.enroll`, { data: { journeyId, customerId } });
      expect(res.ok()).toBe(true);
    }
    await page.reload();

    // Pause: the confirm says nobody new enters and the 3 in it carry on.
    const dialog = page.getByTestId('confirm-dialog');
    await row.getByTestId('journey-pause').click();
    expect(await dialog.getByTestId('confirm-body').textContent()).toContain('旅程中现有的 3 位客户继续进行');
    await shot(page, '01-pause-confirm');
    await dialog.getByTestId('confirm-ok').click();
    await expect.poll(() => row.locator('.pill.paused').textContent()).toBe('已暂停');
    expect(await row.getByTestId('journey-paused-note').textContent()).toBe(
      '已暂停：不再有新客户进入；旅程中的 3 位客户继续进行',
    );
    await shot(page, '02-paused');

    // Resume, then duplicate it as a new draft in the same folder.
    await row.getByTestId('journey-resume').click();
    await expect.poll(() => row.locator('.pill.live').count()).toBe(1);
    await row.getByTestId('journey-duplicate').click();
    const copy = page.locator('tbody tr', { hasText: `${NAME}（副本）` });
    await expect.poll(() => copy.count()).toBe(1);
    expect(await copy.locator('.pill.draft').textContent()).toBe('草稿');
    // The folder filter finds both; the search finds the copy alone; the status filter the live one.
    const shown = () => page.getByTestId('journey-name').allTextContents();
    await pickOption(page, 'journey-folder-filter', '会员运营');
    await expect.poll(() => page.getByTestId('journey-row').count()).toBe(2);
    await page.getByTestId('journey-search').fill('副本');
    await expect.poll(shown).toEqual([`${NAME}（副本）`]);
    await page.getByTestId('journey-search').fill('');
    await expect.poll(() => page.getByTestId('journey-row').count()).toBe(2);
    await pickOption(page, 'journey-status-filter', '已上线');
    await expect.poll(shown).toEqual([NAME]);
    await shot(page, '03-filtered');
    await pickOption(page, 'journey-status-filter', '全部状态');
    await pickOption(page, 'journey-folder-filter', '全部分组');
    await expect.poll(() => shownOption(page, 'journey-folder-filter')).toBe('全部分组');
    await expect.poll(() => page.getByTestId('journey-row').count()).toBe(2);

    // Archive: the confirm names the customers in flight (in Chinese, then in English).
    await row.getByTestId('journey-archive').click();
    await dialog.getByText(`归档旅程「${NAME}」？`, { exact: true }).waitFor();
    expect(await dialog.getByTestId('confirm-body').textContent()).toContain('旅程中现有的 3 位客户不受影响');
    await shot(page, '04-archive-confirm');
    await dialog.getByRole('button', { name: '取消' }).click();
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await row.getByTestId('journey-archive').click();
    const bodyEn = (await dialog.getByTestId('confirm-body').textContent()) ?? '';
    expect(bodyEn).toContain('The 3 customers in it now are not affected');
    expect(bodyEn).not.toMatch(/[\u4e00-\u9fff]/);
    await shot(page, '04-archive-confirm-en');
    await dialog.getByTestId('confirm-ok').click();
    await expect.poll(() => row.count()).toBe(0);

    // The archive lists it; restoring brings it back paused (nobody enters until resumed).
    await page.getByTestId('journey-archived-toggle').click();
    await expect.poll(() => row.locator('.pill.archived').textContent()).toBe('Archived');
    await shot(page, '05-archived-en');
    await row.getByTestId('journey-restore').click();
    expect(await dialog.getByTestId('confirm-body').textContent()).toContain('a published journey comes back paused');
    await dialog.getByTestId('confirm-ok').click();
    await expect.poll(() => row.count()).toBe(0);
    await page.getByTestId('journey-archived-toggle').click();
    await expect.poll(() => row.locator('.pill.paused').textContent()).toBe('Paused');
    await page.getByRole('button', { name: '中文', exact: true }).click();
    await row.getByTestId('journey-resume').click();
    await expect.poll(() => row.locator('.pill.live').count()).toBe(1);

    // Version 2 changes the exit reason; then roll back to version 1, published as version 3.
    await row.click();
    await page.locator('[data-testid="journey-node"]', { hasText: '退出旅程' }).click();
    await page.locator('.inspector [data-field="reason"] input').fill('会员日结束');
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('已保存');
    await page.getByTestId('publish').click();
    await page.getByTestId('publish-note').fill('改退出原因');
    await confirmPublish(page, '已发布第 2 版');
    await page.getByTestId('versions').click();
    const versions = page.getByTestId('version-list');
    await versions.locator('[data-version="1"]').getByTestId('version-rollback').click();
    const publishing = page.getByTestId('publish-dialog');
    await publishing.getByText('回滚到第 1 版', { exact: true }).waitFor();
    expect(await publishing.getByTestId('publish-intro').textContent()).toContain('作为一个新版本重新发布');
    expect(await publishing.getByTestId('publish-inflight').textContent()).toContain('3 位客户正在旅程中');
    await shot(page, '06-rollback-dialog');
    await publishing.getByTestId('publish-confirm').click();
    await expect.poll(() => publishing.count()).toBe(0);
    await page.getByTestId('versions').click();
    await expect.poll(() => versions.locator('[data-version="3"]').textContent()).toContain('（回滚自第 1 版）');
    await shot(page, '07-rolled-back');
    await page.getByTestId('versions-close').click();
    await page.locator('[data-testid="journey-node"]', { hasText: '退出旅程' }).click();
    expect(await page.locator('.inspector [data-field="reason"] input').inputValue()).toBe('完成');
    await page.getByTestId('back').click();

    // Stop with a reason: every run ends, and the reason is in the customer's timeline.
    await row.getByTestId('journey-stop').click();
    expect(await dialog.getByTestId('confirm-body').textContent()).toContain('旅程中的 3 位客户将立即结束旅程');
    expect(await dialog.getByTestId('confirm-ok').isDisabled()).toBe(true);
    await dialog.getByTestId('confirm-reason').fill('会员日活动取消');
    await shot(page, '08-stop-confirm');
    await dialog.getByTestId('confirm-ok').click();
    await expect.poll(() => row.locator('.pill.stopped').textContent()).toBe('已停止');
    expect(await row.getByTestId('journey-stopped-note').textContent()).toBe('停止原因：会员日活动取消');
    await shot(page, '09-stopped');
    await page.goto(`${base}/#/customers/m0`);
    const note = page.getByTestId('stopped-step-note');
    await expect.poll(() => note.textContent()).toContain('旅程被停止：会员日活动取消');
    await shot(page, '10-profile-stopped');
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await expect.poll(() => note.textContent()).toContain('Journey stopped: 会员日活动取消');
    await shot(page, '10-profile-stopped-en');
    await page.getByRole('button', { name: '中文', exact: true }).click();

    // Log out: back to the sign-in form, and the old session cookie no longer works on the server.
    const [cookie] = await session.context.cookies(base);
    expect(cookie?.name).toBe('siyu_session');
    await page.getByTestId('logout').click();
    await page.waitForSelector('[data-testid=login]');
    const me = await fetch(`${base}/trpc/auth.me`, { headers: { cookie: `${cookie?.name}=${cookie?.value}` } });
    expect(((await me.json()) as { result: { data: unknown } }).result.data).toBeNull();
    await shot(page, '11-logged-out');
    expect(violations).toEqual([]);
  });
});
