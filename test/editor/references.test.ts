// "可以发布" must mean it will run: a draft naming a channel and a coupon stock that do not exist
// in the workspace (a template's, or deleted ones) shows both in the editor's problems panel, in
// words, on their nodes; clicking a problem selects its node, where the missing channel can be
// unticked and another stock chosen, and only then does the editor say it is ready. A coupon node
// dragged in new names no stock and says to pick one. Templates are listed apart, and using one
// walks through its channel and coupon stock (pick yours, or create a stock). Against the real
// server on scratch SQLite.
import { join } from 'node:path';
import { openDatabase } from '@siyu/runtime';
import { graphOf } from '@siyu/runtime/testing';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { pickOption } from './antd-helpers.ts';
import { serverAndBrowserForFile, signInToEditor } from './editor-session.ts';
import { shots } from './real-server.ts';

async function seed(dbPath: string): Promise<void> {
  const db = await openDatabase(dbPath);
  try {
    await db.prisma.channel.create({ data: { id: 'ch_card', name: '双十一包裹卡', kind: 'packageCard' } });
    await db.prisma.couponStock.create({
      data: {
        id: 'stock_new',
        name: '新客立减券',
        maxCoupons: 100,
        amountCents: 500,
        validFrom: new Date(),
        validTo: new Date(Date.now() + 30 * 864e5),
      },
    });
    const graph = graphOf(
      [
        ['scan', 'core.channelEntry', { channelIds: ['ch_card', 'default'], variants: [] }],
        ['coupon', 'coupons.issue', { stockId: 'welcome' }],
        ['done', 'core.exit', { reason: 'done' }],
      ],
      [
        ['scan', 'next', 'coupon'],
        ['coupon', 'issued', 'done'],
      ],
    );
    await db.prisma.journey.create({
      data: { id: 'card', name: '包裹卡引流（旧稿）', draft: JSON.stringify(graph), createdBy: 'test' },
    });
    // What the example loader makes of examples/<folder>/journey.json: a template.
    const template = graphOf(
      [
        ['scan', 'core.channelEntry', { channelIds: ['ch_package_card'], variants: [] }],
        ['coupon', 'coupons.issue', { stockId: 'pkg-hook-a' }],
        ['done', 'core.exit', { reason: 'done' }],
      ],
      [
        ['scan', 'next', 'coupon'],
        ['coupon', 'issued', 'done'],
      ],
    );
    (template.nodes[1] as { label?: string }).label = '发5元无门槛券';
    await db.prisma.journey.create({
      data: {
        id: 'tpl',
        name: '包裹卡引流',
        description: '扫码加企微，发券',
        draft: JSON.stringify(template),
        templateKey: 'example:package-card',
        createdBy: 'examples',
      },
    });
  } finally {
    await db.close();
  }
}

const session = serverAndBrowserForFile('references', { seed });

const problems = (page: Page) => page.locator('[data-testid=problems] [data-problem]');

describe('workspace references in the editor', () => {
  it('lists missing channel and stock on their nodes; fixing them in the inspector makes it ready', {
    timeout: 120_000,
  }, async () => {
    const page = await session.page();
    await signInToEditor(page, session.real.base);
    await page.locator('tbody tr', { hasText: '包裹卡引流（旧稿）' }).first().click();
    await page.waitForSelector('.react-flow__pane');

    // Not "ready": both references are reported, by kind, with no raw id in the text.
    await expect.poll(() => page.getByTestId('status').textContent()).toBe('2 个问题');
    expect(await page.getByTestId('publish').isDisabled()).toBe(true);
    const texts = await problems(page).allTextContents();
    expect(texts).toEqual([
      expect.stringContaining('渠道不存在（未创建或已删除），请选择或新建'),
      expect.stringContaining('优惠券批次不存在（未创建或已删除），请选择或新建'),
    ]);
    expect(texts.join(' ')).not.toMatch(/default|welcome/);
    await page.screenshot({ path: join(shots, 'references-01-problems.png') });

    // Clicking the stock problem selects the coupon node; choosing an existing stock clears it.
    await problems(page).nth(1).click();
    const stock = page.locator('.inspector select[data-picker=couponStock]');
    await expect.poll(() => stock.count()).toBe(1);
    expect(await stock.locator('option:checked').textContent()).toBe('（不存在，请重新选择）');
    await stock.selectOption({ label: '新客立减券 · ¥5.00 · 剩余 100' });
    await expect.poll(() => page.getByTestId('status').textContent(), { timeout: 10_000 }).toBe('1 个问题');

    // The channel problem selects the entry, whose missing channel shows and can be unticked.
    await problems(page).first().click();
    const missing = page.locator('.inspector [data-picker=channels] [data-missing-channel] input');
    await expect.poll(() => missing.count()).toBe(1);
    expect(await page.locator('.inspector [data-picker=channels]').textContent()).toContain('双十一包裹卡');
    await missing.click();
    await expect.poll(() => missing.count()).toBe(0);
    await expect.poll(() => page.getByTestId('status').textContent(), { timeout: 10_000 }).toBe('可以发布');
    await page.screenshot({ path: join(shots, 'references-02-ready.png') });

    // A coupon node dragged in new names no stock: it says to pick one (no made-up default).
    await page.dragAndDrop('.palette-item[data-node-type="coupons.issue"]', '.react-flow__pane', {
      targetPosition: { x: 700, y: 500 },
    });
    await expect.poll(async () => (await problems(page).allTextContents()).join(' ')).toContain('请选择券批次');
  });

  it('lists templates apart; using one walks through its channel and stock, creating a stock on the spot', {
    timeout: 120_000,
  }, async () => {
    const page = await session.page();
    await page.goto(`${session.real.base}/`);
    await page.waitForSelector('[data-testid=journey-list]');
    // The template is in the gallery, not among the journeys, and says what it needs.
    const card = page.locator('[data-template="包裹卡引流"]');
    await expect.poll(() => card.count()).toBe(1);
    expect(await page.locator('tbody tr td:first-child').allTextContents()).toEqual(['包裹卡引流（旧稿）']);
    expect(await card.getByTestId('template-needs').textContent()).toBe('需要准备：渠道 ×1、优惠券批次 ×1');

    await card.getByTestId('use-template').click();
    const walk = page.getByTestId('template-walkthrough');
    expect(await walk.locator('[data-need="coupons.stock"]').textContent()).toContain(
      '「发5元无门槛券」需要一个优惠券批次',
    );
    await pickOption(page, walk.locator('[data-need="core.channel"]').getByTestId('need-pick'), '双十一包裹卡');
    await walk.getByTestId('new-stock').click();
    await walk.locator('[data-testid=new-stock-form] input').first().fill('扫码礼券');
    await walk.getByTestId('save-stock').click();
    await expect
      // biome-ignore lint/performance/useDomNodeTextContent: the visible label of the antd Select is what is meant
      .poll(() => walk.locator('[data-need="coupons.stock"]').getByTestId('need-pick').innerText())
      .toBe('扫码礼券');
    await page.screenshot({ path: join(shots, 'references-03-template-walkthrough.png') });
    await walk.getByTestId('template-journey-name').fill('我的包裹卡');
    await walk.getByTestId('create-from-template').click();

    // The new journey names the operator's channel and stock: nothing to fix.
    await page.waitForSelector('.react-flow__pane');
    await expect.poll(() => page.getByTestId('status').textContent(), { timeout: 10_000 }).toBe('可以发布');
    expect(await page.locator('.toolbar-title').textContent()).toContain('我的包裹卡');
  });
});
