// A marketer's whole way, through the UI only (no API calls from the test): on a fresh workspace
// with the example templates, make the package-card channel and two coupon batches on their pages,
// create a journey from the 包裹卡引流 template picking them in its walkthrough, see it ready, publish
// it, and watch a simulated scan of the card get the welcome and the coupon in the sandbox inbox.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openNav, pickOption } from './antd-helpers.ts';
import { serverAndBrowserForFile, signInToEditor } from './editor-session.ts';
import { confirmPublish } from './publish-helpers.ts';
import { shots } from './real-server.ts';

const session = serverAndBrowserForFile('marketer', { env: { LOAD_EXAMPLES: 'true' } });
const shot = (page: Page, name: string) => page.screenshot({ path: join(shots, `marketer-${name}.png`) });

async function createCouponBatch(page: Page, name: string, yuan: string): Promise<void> {
  await page.getByTestId('coupon-batch-new').click();
  await page.getByTestId('coupon-batch-name').fill(name);
  await page.getByTestId('coupon-batch-value').fill(yuan);
  await page.getByTestId('coupon-batch-budget').fill('500');
  const range = page.locator('[data-testid=coupon-batch-form] .ant-picker-range input');
  await range.nth(0).click();
  await range.nth(0).fill('2026-01-01');
  await range.nth(0).press('Enter');
  await range.nth(1).fill('2030-12-31');
  await range.nth(1).press('Enter');
  await expect.poll(() => page.locator(`[data-testid=coupon-batch-row][data-batch="${name}"]`).count()).toBe(1);
}

describe('a marketer, from the template gallery to a running package-card journey', () => {
  it('creates the resources in the UI, uses the template, publishes, and a scan gets welcome and coupon', {
    timeout: 180_000,
  }, async () => {
    const page = await session.page();
    await signInToEditor(page, session.real.base);

    // The card's channel, with one code per card version.
    await openNav(page, 'channels');
    await page.getByTestId('new-channel').click();
    await page.getByTestId('channel-name').fill('春季包裹卡');
    await pickOption(page, 'channel-kind', '包裹卡');
    await page.getByTestId('add-variant').click();
    const variant = (i: number) => page.getByTestId('variant-row').nth(i);
    await variant(0).locator('input').nth(0).fill('A');
    await variant(0).locator('input').nth(1).fill('spring-a');
    await variant(1).locator('input').nth(0).fill('B');
    await variant(1).locator('input').nth(1).fill('spring-b');
    await page.getByTestId('create-channel').click();
    await page.waitForSelector('[data-testid=channel-detail]');

    // The two hooks the template's card versions give.
    await openNav(page, 'coupons');
    await page.waitForSelector('[data-testid=coupons-page]');
    await createCouponBatch(page, '春季5元无门槛券', '5');
    await createCouponBatch(page, '春季满59减20券', '20');

    // The gallery: the template says what it needs; the walkthrough picks ours.
    await openNav(page, 'journeys');
    const card = page.locator('[data-template="包裹卡引流"]');
    await expect.poll(() => card.count()).toBe(1);
    expect(await card.getByTestId('template-needs').textContent()).toContain('渠道 ×1');
    await card.getByTestId('use-template').click();
    const walk = page.getByTestId('template-walkthrough');
    await pickOption(page, walk.locator('[data-need="core.channel"]').getByTestId('need-pick'), '春季包裹卡');
    const stockPicks = walk.locator('[data-need="coupons.stock"]').getByTestId('need-pick');
    expect(await stockPicks.count()).toBe(2);
    await pickOption(page, stockPicks.nth(0), '春季5元无门槛券');
    await pickOption(page, stockPicks.nth(1), '春季满59减20券');
    await walk.getByTestId('template-journey-name').fill('春季包裹卡承接');
    await shot(page, '01-walkthrough');
    await walk.getByTestId('create-from-template').click();

    // Nothing left to fix: it is ready, and publishing makes it live.
    await page.waitForSelector('.react-flow__pane');
    await expect.poll(() => page.getByTestId('status').textContent(), { timeout: 15_000 }).toBe('可以发布');
    await shot(page, '02-ready');
    await page.getByTestId('publish').click();
    await confirmPublish(page, '已发布第 1 版');
    // The notice follows a language switch (it is worded when shown, not when the publish answered).
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await expect.poll(() => page.getByTestId('notice').textContent()).toBe('Published version 1');
    await page.getByRole('button', { name: '中文', exact: true }).click();
    await expect.poll(() => page.getByTestId('notice').textContent()).toBe('已发布第 1 版');

    // A customer scans card A and adds the store's WeCom (the sandbox's simulated scan).
    await page.goto(`${session.real.base}/#/sandbox`);
    await pickOption(page, 'simulate-code', '春季包裹卡 · A (spring-a)');
    await page.getByTestId('simulate-name').fill('陈女士');
    await page.getByTestId('simulate-add').click();
    await expect.poll(() => page.getByTestId('simulate-result').textContent()).toBeTruthy();
    const inbox = (channel: string) => page.locator(`[data-testid=inbox-item][data-channel=${channel}]`);
    await expect.poll(() => inbox('wecom').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => inbox('coupon').count(), { timeout: 20_000 }).toBe(1);
    expect(await inbox('coupon').textContent()).toContain('春季5元无门槛券');
    // Where each came from in words: the journey, the node by its card's name, the status; no ids
    // (the WeCom external userid and the coupon's customer id are recipients, not addresses).
    await expect
      .poll(() => inbox('coupon').getByTestId('inbox-origin').textContent())
      .toMatch(/^春季包裹卡承接 · .+ · 已发放$/);
    const welcome = inbox('wecom').last();
    expect(await welcome.getByTestId('inbox-origin').textContent()).toMatch(/^.+ · .+ · 已发送$/);
    expect(await welcome.getByTestId('inbox-origin').textContent()).not.toMatch(/[a-z]+[A-Z_]|\bsent\b/);
    expect(await page.getByTestId('inbox-list').textContent()).not.toMatch(/wm_|→ [0-9a-f]{8}-/);
    await shot(page, '03-sandbox');
    // The customer's own messages: the filter names her.
    await welcome.locator('a').first().click();
    await page.getByTestId('customer-inbox-link').click();
    await expect.poll(() => page.getByTestId('inbox-customer').textContent()).toContain('陈女士');
  });

  it('shows the template gallery in English, and a journey made from it is named and described in English', {
    timeout: 60_000,
  }, async () => {
    const page = await session.page();
    await openNav(page, 'journeys');
    const card = page.locator('[data-template="新客承接"]');
    await expect.poll(() => card.locator('.ant-card-head-title').textContent()).toBe('新客承接');
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await expect.poll(() => card.locator('.ant-card-head-title').textContent()).toBe('New contact reception');
    // No Chinese left in any card's title or description (the operator's own resources are not in them).
    const gallery = page.getByTestId('template-gallery');
    const words = [
      ...(await gallery.locator('.ant-card-head-title').allTextContents()),
      ...(await gallery.locator('.ant-typography-secondary').allTextContents()),
    ];
    expect(words.length).toBeGreaterThanOrEqual(10);
    expect(words.filter((w) => /[\u4e00-\u9fff]/.test(w))).toEqual([]);
    // In the order of the names shown.
    const titles = await gallery.locator('.ant-card-head-title').allTextContents();
    expect(titles).toEqual([...titles].sort((a, b) => a.localeCompare(b, 'en')));
    await shot(page, '04-gallery-en');
    // The walkthrough offers the English name; the new journey is named and described in English.
    await card.getByTestId('use-template').click();
    const walk = page.getByTestId('template-walkthrough');
    await expect.poll(() => walk.getByTestId('template-journey-name').inputValue()).toBe('New contact reception');
    await walk.getByTestId('create-from-template').click();
    await page.waitForSelector('.react-flow__pane');
    await page.getByTestId('back').click();
    const row = page.locator('tbody tr', { hasText: 'New contact reception' });
    await expect.poll(() => row.textContent()).toContain('Anyone who adds the staff account through a live code');
    await page.getByRole('button', { name: '中文', exact: true }).click();
    await expect.poll(() => card.locator('.ant-card-head-title').textContent()).toBe('新客承接');
  });
});
