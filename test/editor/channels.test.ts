// 渠道管理 in Chromium against the real server on SQLite: an operator creates a package-card channel
// with two variants through the form (a bad code is refused on its field by the server's schema),
// records how many cards were shipped, sees a real scan and a customer coming in reflected in the
// numbers, opens the printable QR sheet (screen and print media), finds the channel in the list and
// archives it; a viewer sees the same pages read-only.

import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerConfirm, openNav, pickOption } from './antd-helpers.ts';
import { signInToEditor } from './editor-session.ts';
import { chromiumOptions, type RealServer, shots, startRealServer, watchCspViolations } from './real-server.ts';

let real: RealServer;
let base = '';
let browser: Browser;

beforeAll(async () => {
  real = await startRealServer('channels');
  base = real.base;
  browser = await chromium.launch(chromiumOptions);
}, 180_000);

/** CSP violations per signed-in context: the QR sheet's data: images must not be blocked. */
const violations: string[][] = [];

afterAll(async () => {
  await browser?.close();
  await real?.stop();
  expect(violations.flat()).toEqual([]);
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(shots, `channels-${name}.png`), fullPage: true });

async function signIn(username: string, password: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, reducedMotion: 'reduce' });
  violations.push(await watchCspViolations(context));
  const page = await context.newPage();
  await signInToEditor(page, base, username, password);
  return page;
}

/** A tRPC mutation as the page's signed-in operator (what the UI has no business doing: users, scans). */
async function mutate(page: Page, path: string, input: unknown) {
  const res = await page.request.post(`${base}/trpc/${path}`, { data: input });
  if (!res.ok()) throw new Error(`${path}: ${res.status()} ${await res.text()}`);
  return ((await res.json()) as { result: { data: unknown } }).result.data;
}

const cells = (page: Page, row: string) => page.locator(row).locator('td').allInnerTexts();

describe('channel management (渠道管理)', () => {
  it('creates a package-card channel with two variants, records delivered, prints QR codes, lists and archives it', {
    timeout: 60_000,
  }, async () => {
    const page = await signIn('admin', 'secret123');
    await openNav(page, 'channels');
    await page.waitForSelector('[data-testid=channels-page]');
    await expect.poll(() => page.getByTestId('channel-row').count()).toBe(0);

    // The form: two variants; the second code breaks the server's rule and is refused on its field.
    await page.getByTestId('new-channel').click();
    const form = page.getByTestId('channel-form');
    await page.getByTestId('channel-name').fill('双11 包裹卡');
    await pickOption(page, 'channel-kind', '包裹卡');
    await page.getByTestId('add-variant').click();
    const row = (i: number) => page.getByTestId('variant-row').nth(i);
    await row(0).locator('input').nth(0).fill('扫码领 5 元券');
    await row(0).locator('input').nth(1).fill('card-a');
    await row(1).locator('input').nth(0).fill('扫码抽奖');
    await row(1).locator('input').nth(1).fill('card b!');
    await page.getByTestId('create-channel').click();
    const badCode = form.locator('[data-field="codes[1].code"] .field-message');
    // The server's message, in the UI language.
    await expect.poll(() => badCode.textContent()).toBe('渠道码须为 3–30 位字母、数字、"_" 或 "-"');
    expect(await form.locator('.field-message').count()).toBe(1);
    await shot(page, '00-create-refused');
    await row(1).locator('input').nth(1).fill('card-b');
    await page.getByTestId('create-channel').click();

    // The new channel's page: both variants with their tracked links.
    await page.waitForSelector('[data-testid=channel-detail]');
    expect(await page.getByTestId('channel-title').textContent()).toBe('双11 包裹卡');
    const codeRow = (code: string) => `[data-testid=code-row][data-code="${code}"]`;
    await expect.poll(() => page.getByTestId('code-row').count()).toBe(2);
    expect((await cells(page, codeRow('card-a'))).slice(0, 3)).toEqual(['扫码领 5 元券', 'card-a', `${base}/r/card-a`]);

    // Cards shipped per batch; then one anonymous scan of card A and one customer who came in by it.
    for (const [code, count] of [
      ['card-a', '1000'],
      ['card-b', '500'],
    ] as const) {
      await page.getByTestId(`delivered-input-${code}`).fill(count);
      await page.getByTestId(`delivered-save-${code}`).click();
      await expect.poll(() => page.getByTestId(`delivered-save-${code}`).isDisabled()).toBe(true);
    }
    await expect.poll(() => page.getByTestId('total-delivered').textContent()).toBe('1500');
    expect((await page.request.get(`${base}/r/card-a`, { maxRedirects: 0 })).status()).toBe(302);
    await mutate(page, 'wecom.simulateContactAdded', { code: 'card-a' });
    await page.reload();
    await page.waitForSelector(codeRow('card-a'));
    await expect
      .poll(() => cells(page, codeRow('card-a')))
      .toEqual(['扫码领 5 元券', 'card-a', `${base}/r/card-a`, '保存', '1', '1', '0.10%']);
    expect(await page.getByTestId('delivered-input-card-a').inputValue()).toBe('1000');
    await shot(page, '04-detail');

    // The QR sheet: one SVG code per variant with its name and tracked URL; print media drops the toolbar.
    await page.getByTestId('open-qr-sheet').click();
    await page.waitForSelector('[data-testid=qr-card] img');
    const cards = page.getByTestId('qr-card');
    expect(await cards.count()).toBe(2);
    expect(await cards.locator('figcaption').allInnerTexts()).toEqual([
      `扫码抽奖\n${base}/r/card-b`,
      `扫码领 5 元券\n${base}/r/card-a`,
    ]);
    await expect
      .poll(() =>
        cards
          .locator('img')
          .evaluateAll((imgs) => imgs.map((i) => (i as unknown as { naturalWidth: number }).naturalWidth > 0)),
      )
      .toEqual([true, true]);
    await shot(page, '02-qr-sheet');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.qr-toolbar').isVisible()).toBe(false);
    expect(await cards.first().isVisible()).toBe(true);
    await shot(page, '03-qr-sheet-print');
    await page.emulateMedia({ media: 'screen' });

    // The list: kind, both codes, delivered, came in and recall over all time.
    await page.getByTestId('qr-back').click();
    await openNav(page, 'channels');
    const listRow = page.getByTestId('channel-row');
    await expect.poll(() => listRow.count()).toBe(1);
    await expect.poll(() => listRow.locator('[data-col=recall]').textContent()).toBe('0.07%');
    expect(await listRow.locator('[data-col=name]').textContent()).toBe('双11 包裹卡');
    expect(await listRow.locator('[data-col=kind]').textContent()).toBe('包裹卡');
    expect(await listRow.locator('[data-col=codes] .tag').allTextContents()).toEqual([
      '扫码抽奖 · card-b',
      '扫码领 5 元券 · card-a',
    ]);
    expect(await listRow.locator('[data-col=delivered]').textContent()).toBe('1500');
    expect(await listRow.locator('[data-col=cameIn]').textContent()).toBe('1');
    await shot(page, '01-list');

    // A viewer: the same numbers, nothing to change.
    await mutate(page, 'operators.create', {
      username: 'viewer1',
      displayName: '只读同事',
      password: 'viewer-pass-1',
      role: 'viewer',
    });
    const viewer = await signIn('viewer1', 'viewer-pass-1');
    await openNav(viewer, 'channels');
    await viewer.waitForSelector('[data-testid=read-only]');
    await expect.poll(() => viewer.getByTestId('channel-row').locator('[data-col=recall]').textContent()).toBe('0.07%');
    expect(await viewer.getByTestId('new-channel').count()).toBe(0);
    expect(await viewer.getByTestId('archive-channel').count()).toBe(0);
    await viewer.getByTestId('channel-row').locator('[data-col=name]').click();
    await viewer.waitForSelector(codeRow('card-a'));
    expect(await viewer.locator('[data-testid=code-list] input').count()).toBe(0);
    expect(await viewer.getByTestId('add-code-form').count()).toBe(0);
    expect(await viewer.getByTestId('open-qr-sheet').count()).toBe(1);
    await viewer.context().close();

    // Archive (after the confirm): gone from the list, back with "show archived", its link is dead.
    await page.getByTestId('archive-channel').click();
    expect(await answerConfirm(page, true)).toContain('二维码和链接失效');
    await expect.poll(() => listRow.count()).toBe(0);
    await page.getByTestId('show-archived').check();
    await expect.poll(() => listRow.count()).toBe(1);
    expect(await listRow.locator('td').first().textContent()).toContain('已归档');
    expect((await page.request.get(`${base}/r/card-a`, { maxRedirects: 0 })).status()).toBe(404);

    // The same list in English.
    await page.locator('.page-nav').getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Channels');
    expect(await listRow.locator('[data-col=kind]').textContent()).toBe('Package card');
    expect(await listRow.locator('td').first().textContent()).toContain('Archived');
    await shot(page, '05-list-archived-en');
    await page.context().close();
  });

  it('names a code made through the API without a variant 默认方案 / Default, never "default"', async () => {
    const page = await signIn('admin', 'secret123');
    await mutate(page, 'channels.create', { name: '门店活码', kind: 'storePoster', codes: [{ code: 'api-store-1' }] });
    await openNav(page, 'channels');
    const listRow = page.getByTestId('channel-row').filter({ hasText: '门店活码' });
    await expect
      .poll(() => listRow.locator('[data-col=codes] .tag').allTextContents())
      .toEqual(['默认方案 · api-store-1']);
    await listRow.locator('[data-col=name]').click();
    const codeRow = page.locator('[data-testid=code-row][data-code="api-store-1"]');
    await expect.poll(() => codeRow.locator('[data-col=variant]').textContent()).toBe('默认方案');
    expect(await page.getByTestId('channel-detail').textContent()).not.toContain('default');
    await page.locator('.page-nav').getByRole('button', { name: 'English' }).click();
    await expect.poll(() => codeRow.locator('[data-col=variant]').textContent()).toBe('Default');
    expect(await page.getByTestId('channel-detail').textContent()).not.toContain('default');
    await shot(page, '06-default-variant-en');
    // The printed QR card names it too.
    await page.getByTestId('open-qr-sheet').click();
    await expect
      .poll(() => page.getByTestId('qr-card').locator('figcaption').allInnerTexts())
      .toEqual([`Default\n${base}/r/api-store-1`]);
    await shot(page, '07-default-variant-qr-en');
    // A customer who came in by that code: the customer list and the profile say Default, then 默认方案.
    await mutate(page, 'wecom.simulateContactAdded', { code: 'api-store-1' });
    await page.getByTestId('qr-back').click();
    await openNav(page, 'customers');
    const customerRow = page.getByTestId('customer-row').filter({ hasText: 'api-store-1' });
    await expect.poll(() => customerRow.textContent()).toContain('api-store-1 / Default');
    await customerRow.click();
    const profile = page.getByTestId('customer-profile');
    await expect.poll(() => profile.textContent()).toContain('Default');
    expect(await profile.textContent()).not.toContain('default');
    await shot(page, '08-default-variant-profile-en');
    await page.locator('.page-nav').getByRole('button', { name: '中文' }).click();
    await expect.poll(() => profile.textContent()).toContain('默认方案');
    expect(await profile.textContent()).not.toContain('default');
    await shot(page, '08-default-variant-profile');
    await page.context().close();
  });
});
