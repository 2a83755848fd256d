// The built editor against the real server (runtime main on a temp SQLite file) in Chromium.
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumOptions, type RealServer, shots, startRealServer, watchCspViolations } from './real-server.ts';

let real: RealServer;
let context: BrowserContext;

beforeAll(async () => {
  real = await startRealServer('server');
  context = await chromium.launchPersistentContext(join(real.dir, 'profile'), {
    ...chromiumOptions,
    viewport: { width: 1440, height: 900 },
  });
}, 180_000);

afterAll(async () => {
  await context?.close();
  await real?.stop();
});

describe('editor with the real server', () => {
  it('signs in, creates a journey, autosaves the draft to the server', { timeout: 120_000 }, async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    const violations = await watchCspViolations(context);
    const home = await page.goto(`${real.base}/`);
    expect(home?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.waitForSelector('[data-testid=login]');
    await page.screenshot({ path: join(shots, 'editor-server-01-login.png') });
    await page.locator('input').nth(0).fill('admin');
    await page.locator('input').nth(1).fill('secret123');
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForSelector('[data-testid=journey-list]');
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
    await page.locator('tbody tr').first().click();
    await page.waitForSelector('.react-flow__pane');
    await expect.poll(() => page.locator('[data-testid="journey-node"]').count()).toBe(1);
    expect(violations).toEqual([]);
  });
});
