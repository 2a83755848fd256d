// biome-ignore-all lint/suspicious/noTemplateCurlyInString: SMS template texts in Aliyun's ${name} syntax
// Resources the journeys use, in Chromium against the real server (issue 17): a coupon batch created
// on the 券批次 page and an SMS template registered on the 短信模板 page; a journey's coupon node picks
// the batch and its SMS node picks the template and maps its variables (unmapped ones are problems
// on the node until then); published, two customers with different names each get the template
// with their own name, coupon code and phone tail (sandbox inbox), and the batch's counts move.
import { join } from 'node:path';
import { openDatabase } from '@siyu/runtime';
import { graphOf } from '@siyu/runtime/testing';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openNav } from './antd-helpers.ts';
import { serverAndBrowserForFile, signInToEditor } from './editor-session.ts';
import { confirmPublish } from './publish-helpers.ts';
import { shots } from './real-server.ts';

const CUSTOMERS = [
  { id: 'wangfang', name: '王芳', phone: '13800138001' },
  { id: 'lilei', name: '李雷', phone: '13900139002' },
];

const session = serverAndBrowserForFile('resources', {
  seed: async (dbPath) => {
    const db = await openDatabase(dbPath);
    try {
      // A draft whose coupon and SMS nodes name nothing yet (what a new node looks like).
      const graph = graphOf(
        [
          ['entry', 'core.apiEntry', {}],
          ['coupon', 'coupons.issue', { stockId: '' }],
          ['sms', 'sms.send', { templateId: '', variables: {} }],
          ['done', 'core.exit', { reason: '完成' }],
        ],
        [
          ['entry', 'next', 'coupon'],
          ['coupon', 'issued', 'sms'],
          ['sms', 'sent', 'done'],
        ],
        // The real clock may be in the night: no quiet hours, so the SMS goes out now.
        { quietHours: { enabled: false } },
      );
      await db.prisma.journey.create({
        data: { id: 'rebuy', name: '复购券短信', draft: JSON.stringify(graph), createdBy: 'test' },
      });
      for (const c of CUSTOMERS) {
        await db.prisma.customer.create({
          data: {
            id: c.id,
            displayName: c.name,
            attributes: '{}',
            identities: { create: [{ kind: 'phone', value: c.phone }] },
          },
        });
      }
    } finally {
      await db.close();
    }
  },
});

const shot = (page: Page, name: string) => page.screenshot({ path: join(shots, `resources-${name}.png`) });
const problems = (page: Page) => page.locator('[data-testid=problems] [data-problem]');

describe('coupon batches and SMS templates', () => {
  it('creates a batch and a template in the UI; a published journey sends each customer their own values', {
    timeout: 120_000,
  }, async () => {
    const page = await session.page();
    const { base } = session.real;
    await signInToEditor(page, base);

    // 券批次: a new batch, with the validity picked as days.
    await openNav(page, 'coupons');
    await page.waitForSelector('[data-testid=coupons-page]');
    await page.getByTestId('coupon-batch-new').click();
    await page.getByTestId('coupon-batch-name').fill('复购立减10元');
    await page.getByTestId('coupon-batch-value').fill('10');
    await page.getByTestId('coupon-batch-budget').fill('100');
    const range = page.locator('[data-testid=coupon-batch-form] .ant-picker-range input');
    await range.nth(0).click();
    await range.nth(0).fill('2026-01-01');
    await range.nth(0).press('Enter');
    await range.nth(1).fill('2030-12-31');
    // Enter takes the last day and, the form being complete, submits it (as the save button would).
    await range.nth(1).press('Enter');
    const batch = page.locator('[data-testid=coupon-batch-row][data-batch="复购立减10元"]');
    await expect.poll(() => batch.count()).toBe(1);
    const count = (what: string) => batch.locator(`[data-count=${what}]`).textContent();
    expect([await count('issued'), await count('redeemed'), await count('left')]).toEqual(['0', '0', '100']);
    expect(await batch.textContent()).toContain('2026/01/01 – 2030/12/31');

    // 短信模板: the approved template, Aliyun syntax.
    await openNav(page, 'smsTemplates');
    await page.getByTestId('sms-template-new').click();
    await page.getByTestId('sms-template-name').fill('复购券到账');
    await page.getByTestId('sms-template-sign').fill('私域小店');
    await page.getByTestId('sms-template-code').fill('SMS_4711');
    await page.getByTestId('sms-template-text').fill('${name}您好，您的券${code}已到账，尾号${tail}的手机专享。');
    await page.getByTestId('sms-template-save').click();
    await expect.poll(() => page.locator('[data-testid=sms-template-row][data-template="复购券到账"]').count()).toBe(1);
    await shot(page, '01-sms-templates');

    // The journey: the coupon node picks the batch (and offers to create one), the SMS node the template.
    await openNav(page, 'journeys');
    await page.locator('tbody tr', { hasText: '复购券短信' }).first().click();
    await page.waitForSelector('.react-flow__pane');
    await page.locator('[data-testid=journey-node][data-node-id=coupon]').click();
    expect(await page.getByTestId('new-coupon-batch').getAttribute('href')).toBe('#/coupons?new=1');
    const stock = page.locator('.inspector select[data-picker=couponStock]');
    await expect.poll(() => stock.locator('option').allTextContents()).toContain('复购立减10元 · ¥10.00 · 剩余 100');
    await stock.selectOption({ label: '复购立减10元 · ¥10.00 · 剩余 100' });
    await page.locator('[data-testid=journey-node][data-node-id=sms]').click();
    const template = page.locator('.inspector select[data-picker=smsTemplate]');
    await expect.poll(() => template.locator('option').allTextContents()).toContain('复购券到账 ·【私域小店】');
    await template.selectOption({ label: '复购券到账 ·【私域小店】' });
    // Three variables without a source: three problems on the SMS node, each under its variable.
    await expect
      .poll(async () => (await problems(page).allTextContents()).filter((p) => p.includes('模板变量')).length, {
        timeout: 10_000,
      })
      .toBe(3);
    expect(await page.locator('.inspector [data-variable=code] .field-message').textContent()).toContain(
      '模板变量「code」还没有取值来源',
    );
    await page.getByTestId('sms-variable-source-name').selectOption({ label: '客户姓名' });
    await page.getByTestId('sms-variable-source-code').selectOption({ label: '前面发放的券码' });
    await page.getByTestId('sms-variable-source-tail').selectOption({ label: '手机尾号（后 4 位）' });
    await expect.poll(() => page.getByTestId('status').textContent(), { timeout: 10_000 }).toBe('可以发布');
    // Sign name (6), sample name (3), coupon code (36) and tail (4): 67 characters, one billed SMS.
    expect(await page.getByTestId('sms-preview').textContent()).toBe(
      `【私域小店】王小明您好，您的券cpn_${'0'.repeat(32)}已到账，尾号8000的手机专享。`,
    );
    expect(await page.getByTestId('sms-counter').textContent()).toContain(
      '约 67 字（含签名，变量按示例值计）· 1 条计费',
    );
    // The free-text fields of older SMS nodes are not offered on a node with a template.
    expect(await page.locator('.inspector [data-field=content]').count()).toBe(0);
    await shot(page, '02-sms-node');

    await page.getByTestId('publish').click();
    await confirmPublish(page, '已发布第 1 版');
    for (const c of CUSTOMERS) {
      const res = await session.context.request.post(`${base}/trpc/runs.enroll`, {
        data: { journeyId: 'rebuy', customerId: c.id },
      });
      expect(res.ok()).toBe(true);
    }

    // Each customer's SMS: the template with their own name, coupon code and phone tail.
    await page.goto(`${base}/#/sandbox`);
    const items = page.locator('[data-testid=inbox-item][data-channel=sms] .inbox-content');
    await expect.poll(() => items.count(), { timeout: 15_000 }).toBe(2);
    const texts = (await items.allTextContents()).sort();
    expect(texts).toEqual([
      expect.stringMatching(/^【私域小店】李雷您好，您的券cpn_[0-9a-f]{32}已到账，尾号9002的手机专享。$/),
      expect.stringMatching(/^【私域小店】王芳您好，您的券cpn_[0-9a-f]{32}已到账，尾号8001的手机专享。$/),
    ]);
    await shot(page, '03-sandbox-inbox');

    // The batch's counts moved: 2 issued, 98 left. In English once.
    await openNav(page, 'coupons');
    await expect.poll(() => count('issued')).toBe('2');
    expect(await count('left')).toBe('98');
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Coupon batches');
    const english = (await page.getByTestId('coupons-page').textContent()) ?? '';
    expect(english.replaceAll('复购立减10元', '').replace('中文', '')).not.toMatch(/[\u4e00-\u9fff]/);
    await shot(page, '04-coupon-batches-en');
    await page.getByRole('button', { name: '中文', exact: true }).click();
  });
});
