// 回调地址 in Chromium against the real server: an admin opens the page from the nav, sees each
// provider's callback URL in words (the four SMS ones carrying the deployment token), copies one,
// rotates the token behind a confirm (dismissing changes nothing) and sees new URLs with a new
// token, which the audit log records; an operator gets no nav link and no URLs.

import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { answerConfirm, navOffers, openNav } from './antd-helpers.ts';
import { serverAndBrowserForFile, signInToEditor } from './editor-session.ts';
import { shots } from './real-server.ts';

const session = serverAndBrowserForFile('callbacks');

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(shots, `callbacks-${name}.png`), fullPage: true });

/** The URLs on the page that carry the token, and the one token they all carry. */
async function tokenized(page: Page): Promise<{ urls: string[]; token: string }> {
  const urls = await page
    .locator('[data-testid=callback-row][data-tokenized=true] input')
    .evaluateAll((inputs) => inputs.map((i) => (i as unknown as { value: string }).value));
  const tokens = new Set(urls.map((u) => new URL(u).searchParams.get('token')));
  expect(tokens.size).toBe(1);
  return { urls, token: [...tokens][0] ?? '' };
}

/** A tRPC call with the page's session cookie; resolves with the HTTP status and the data. */
const call = (page: Page, method: 'GET' | 'POST', path: string, input?: unknown) =>
  page.evaluate(
    async ({ method, path, input }) => {
      const res = await fetch(`/trpc/${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: method === 'POST' ? JSON.stringify(input) : undefined,
      });
      const body = (await res.json()) as { result?: { data: unknown } };
      return { status: res.status, data: body.result?.data };
    },
    { method, path, input },
  );

describe('callback URLs in the editor (回调地址)', () => {
  it('shows admins the URLs, copies one, rotates the token after a confirm; operators see no link', {
    timeout: 120_000,
  }, async () => {
    const { base } = session.real;
    await session.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    const page = await session.page();
    await signInToEditor(page, base);

    await openNav(page, 'callbacks');
    await page.waitForSelector('[data-testid=callbacks-page]');
    const rows = page.getByTestId('callback-row');
    await expect.poll(() => rows.count()).toBe(6);
    expect(await page.locator('[data-testid=callback-row][data-tokenized=true]').count()).toBe(4);
    const before = await tokenized(page);
    expect(before.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(before.urls[0]).toBe(`${base}/webhooks/sms/aliyun/receipts?token=${before.token}`);
    // Provider and purpose in words, never config keys.
    const names = () => page.getByTestId('callback-name').allTextContents();
    expect(await names()).toEqual([
      '阿里云短信 · 回执',
      '阿里云短信 · 上行回复',
      '腾讯云短信 · 回执',
      '腾讯云短信 · 上行回复',
      '企业微信 · 事件回调',
      '微信支付 · 领券通知',
    ]);

    // Copy puts the full URL on the clipboard.
    await rows.first().getByTestId('copy-url').click();
    await expect.poll(() => rows.first().getByTestId('copy-url').textContent()).toBe('已复制');
    // A string: this package's TypeScript has no DOM types.
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(before.urls[0]);
    await shot(page, '01-zh');

    // Dismissing the confirm changes nothing.
    await page.getByTestId('rotate-token').click();
    await answerConfirm(page, false);
    const unchanged = (await call(page, 'GET', 'callbacks.urls')).data as { urls: Array<{ url: string }> };
    expect(unchanged.urls[0]?.url).toBe(before.urls[0]);

    // Accepting it: the confirm warns the old URLs stop at once; new URLs, a new token.
    await page.getByTestId('rotate-token').click();
    const warning = await answerConfirm(page, true);
    await page.waitForSelector('[data-testid=callbacks-notice]');
    expect(warning).toContain('旧的短信回调地址立即失效');
    const after = await tokenized(page);
    expect(after.urls).toHaveLength(4);
    expect(after.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(after.token).not.toBe(before.token);
    // The old URL is refused, the new one accepted (an empty Aliyun receipt batch).
    const push = (url: string) => page.request.post(url, { data: [] }).then((r) => r.status());
    expect(await push(before.urls[0] ?? '')).toBe(401);
    expect(await push(after.urls[0] ?? '')).toBe(200);
    await shot(page, '02-rotated-zh');

    await page.locator('.page-nav').getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Callback URLs');
    expect((await names())[0]).toBe('Aliyun SMS · receipts');
    expect(await page.getByTestId('callbacks-notice').textContent()).toContain('Token rotated');
    await shot(page, '03-en');
    await openNav(page, 'audit');
    await expect
      .poll(() => page.getByTestId('audit-row').first().textContent())
      .toContain('Rotated the callback token');
    await page.locator('.page-nav').getByRole('button', { name: '中文' }).click();

    // An operator: no nav link, and the page by its address shows no URLs.
    const created = await call(page, 'POST', 'operators.create', {
      username: 'op1',
      displayName: '运营同事',
      password: 'operator-pass-1',
      role: 'operator',
    });
    expect(created.status).toBe(200);
    await session.context.clearCookies();
    await signInToEditor(page, base, 'op1', 'operator-pass-1');
    await page.goto(`${base}/#/callbacks`);
    await page.waitForSelector('[data-testid=callbacks-admin-only]');
    expect(await navOffers(page, 'callbacks')).toBe(false);
    expect(await navOffers(page, 'audit')).toBe(false);
    expect(await page.getByTestId('callback-row').count()).toBe(0);
    expect((await call(page, 'GET', 'callbacks.urls')).status).toBe(403);
  });
});
