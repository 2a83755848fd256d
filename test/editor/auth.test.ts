// Sign-in throttling and the audit log as an operator sees them: the built editor against the real
// server (runtime main on a temp SQLite file) in Chromium.

import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openNav, pickOption } from './antd-helpers.ts';
import { serverAndBrowserForFile, submitSignIn } from './editor-session.ts';
import { ADMIN_PASSWORD, shots } from './real-server.ts';

const session = serverAndBrowserForFile('auth');

/** Fills and submits the sign-in form; resolves with the HTTP status the server answered. */
async function signIn(page: Page, username: string, password: string): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('auth.login')),
    submitSignIn(page, username, password),
  ]);
  return response.status();
}

describe('sign-in throttling and the audit log in the editor', () => {
  it('says how long to wait after too many wrong passwords', { timeout: 120_000 }, async () => {
    const page = await session.page();
    await page.goto(`${session.real.base}/`);
    await page.waitForSelector('[data-testid=login]');
    for (let i = 0; i < 10; i++) expect(await signIn(page, 'wang.wu', `wrong-${i}`)).toBe(401);
    await expect.poll(() => page.getByTestId('login-error').textContent()).toBe('用户名或密码错误');
    expect(await signIn(page, 'wang.wu', 'wrong-again')).toBe(429);
    await expect.poll(() => page.getByTestId('login-error').textContent()).toBe('尝试次数过多，请 15 分钟后再试');
    await page.screenshot({ path: join(shots, 'auth-01-throttled.png') });
  });

  it('shows admins the audit log from the page nav, in Chinese and English', { timeout: 120_000 }, async () => {
    const page = await session.page();
    await page.goto(`${session.real.base}/`);
    await page.waitForSelector('[data-testid=login]');
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.waitForSelector('[data-testid=journey-list]');
    // An audited action through the API with the browser's session.
    const status = await page.evaluate(async () => {
      const res = await fetch('/trpc/apiKeys.create', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: '有赞订单', scopes: ['events:write'] }),
      });
      return res.status;
    });
    expect(status).toBe(200);
    await openNav(page, 'audit');
    await page.waitForSelector('[data-testid=audit-row]');
    const row = page.getByTestId('audit-row').first();
    await expect.poll(() => row.textContent()).toContain('新建 API 密钥');
    expect(await row.textContent()).toContain('admin');
    expect(await row.textContent()).toContain('有赞订单');
    // The key by its name, not its type code and id.
    expect(await row.getByTestId('audit-target').textContent()).toBe('有赞订单');
    await page.screenshot({ path: join(shots, 'auth-02-audit-zh.png') });
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => row.textContent()).toContain('Created an API key');
    await pickOption(page, 'audit-action', 'Published a journey');
    await expect.poll(() => page.getByTestId('audit-row').count()).toBe(0);
    await page.screenshot({ path: join(shots, 'auth-03-audit-en.png') });
  });
});
