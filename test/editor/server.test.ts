// The built editor against the real server (runtime main on a temp SQLite file) in Chromium.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serverAndBrowserForFile, submitSignIn } from './editor-session.ts';
import { ADMIN_PASSWORD, shots, watchCspViolations } from './real-server.ts';

const session = serverAndBrowserForFile('server');

describe('editor with the real server', () => {
  it('signs in, creates a journey, autosaves the draft to the server', { timeout: 120_000 }, async () => {
    const page = await session.page();
    const violations = await watchCspViolations(session.context);
    const home = await page.goto(`${session.real.base}/`);
    expect(home?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.waitForSelector('[data-testid=login]');
    await page.screenshot({ path: join(shots, 'editor-server-01-login.png') });
    await submitSignIn(page, 'admin', ADMIN_PASSWORD);
    await page.waitForSelector('[data-testid=journey-list]');
    // An empty workspace says where to start, not that nothing matches a filter nobody set.
    await expect.poll(() => page.getByTestId('journey-list-empty').textContent()).toContain('还没有旅程');
    await page.getByTestId('journey-search').fill('不存在');
    await expect.poll(() => page.getByTestId('journey-list-empty').textContent()).toBe('没有符合条件的旅程');
    // Cleared and left at once (within the search's pause): the list comes back unfiltered.
    await page.getByTestId('journey-search').fill('');
    await page.getByTestId('new-journey').click();
    await page.waitForSelector('.react-flow__pane');
    const first = await page.locator('.palette-item').first().getAttribute('data-node-type');
    expect(first).toBeTruthy();
    await page.dragAndDrop(`.palette-item[data-node-type="${first}"]`, '.react-flow__pane', {
      targetPosition: { x: 300, y: 300 },
    });
    await page.waitForTimeout(1_000); // the editor saves 250 ms after the last change
    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 10_000 }).toBe('已保存');
    await page.screenshot({ path: join(shots, 'editor-server-02-canvas.png') });
    // The draft is on the server: reopening the journey shows the node.
    await page.getByTestId('back').click();
    // A journey's row (antd's `ant-table-row`), not the empty-table placeholder shown while the list loads.
    await page.locator('tbody tr.ant-table-row').first().click();
    await page.waitForSelector('.react-flow__pane');
    await expect.poll(() => page.locator('[data-testid="journey-node"]').count()).toBe(1);
    expect(violations).toEqual([]);
  });

  it('the sandbox, with no channel yet, says to create one and links to the channels page', async () => {
    const page = await session.page();
    await page.goto(`${session.real.base}/#/sandbox`);
    const link = page.getByTestId('simulate-go-to-channels');
    await expect.poll(() => link.textContent()).toBe('去渠道管理 →');
    await link.click();
    await page.waitForSelector('[data-testid=new-channel]');
    expect(new URL(page.url()).hash).toBe('#/channels');
  });
});
