// The report pages in Chromium against the real server, on the reports' fixed data set (the same
// rows the runtime's report tests check by hand), seeded into the server's SQLite file first.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '@siyu/runtime';
import { DAY, seedAbJourney, seedChannels, T0 } from '@siyu/runtime/testing';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerConfirm, pickOption } from './antd-helpers.ts';
import { chromiumOptions, type RealServer, shots, startRealServer, watchCspViolations } from './real-server.ts';

let real: RealServer;
let violations: string[] = [];
let base = '';
let context: BrowserContext;

beforeAll(async () => {
  real = await startRealServer('reports', async (dbPath) => {
    const db = await openDatabase(dbPath);
    await seedChannels(db.sql);
    await seedAbJourney(db.sql);
    await db.close();
  });
  base = real.base;
  context = await chromium.launchPersistentContext(join(real.dir, 'profile'), {
    ...chromiumOptions,
    acceptDownloads: true,
    viewport: { width: 1440, height: 1000 },
  });
  violations = await watchCspViolations(context);
}, 180_000);

afterAll(async () => {
  await context?.close();
  await real?.stop();
  // The server's Content-Security-Policy blocked nothing on these pages.
  expect(violations).toEqual([]);
});

describe('report pages', () => {
  it('shows a journey report: funnel, A/B with CI and p-value, holdout, monitoring; exports CSV; promotes a winner', {
    timeout: 120_000,
  }, async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${base}/`);
    await page.waitForSelector('[data-testid=login]');
    await page.locator('input').nth(0).fill('admin');
    await page.locator('input').nth(1).fill('secret123');
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForSelector('[data-testid=journey-list]');
    await page.getByTestId('journey-report-link').first().click();
    await page.waitForSelector('[data-testid=report-funnel] svg');
    await expect.poll(() => page.getByTestId('report-title').textContent()).toContain('旅程报表');
    // The numbers computed by hand in the runtime's report tests: 9 entered, smsA 5 (55.6 %), goal 4.
    const cells = (testId: string, row: string) =>
      page.getByTestId(testId).locator(row).locator('td').allTextContents();
    expect(await cells('report-funnel', 'tbody tr:nth-child(4)')).toEqual(['发送短信', '5', '55.6%']);
    expect(await cells('report-funnel', 'tbody tr:last-child')).toEqual(['转化（达成任一目标）', '4', '44.4%']);
    // Variant b: 1 of 4, Wilson 4.6–69.9 %, −35 points against a, p = 0.294.
    expect((await cells('report-ab-split', '[data-testid=ab-row-b]')).slice(1, 7)).toEqual([
      '4',
      '1',
      '25.0%',
      '4.6% – 69.9%',
      '-35.0%',
      '0.294 不显著',
    ]);
    await expect.poll(() => page.getByTestId('holdout-uplift').textContent()).toContain('+11.1%');
    await page.waitForSelector('[data-testid=report-monitoring] svg .recharts-line');
    await page.screenshot({ path: join(shots, 'reports-01-journey.png'), fullPage: true });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('report-funnel-csv').click(),
    ]);
    const csv = readFileSync((await download.path()) as string, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain('进入 Entered,,,9,1');

    // Only the variant ahead (a: 3 of 5 against b: 1 of 4) offers "promote".
    expect(await page.getByTestId('promote-b').count()).toBe(0);
    await page.getByTestId('promote-a').click();
    // Variants are named as the operator named them, never by their config key ("a").
    expect(await cells('report-ab-split', '[data-testid=ab-row-a]').then((c) => c[0])).toMatch(/^文案 A(?!.*\(a\))/);
    const question = await answerConfirm(page, true);
    expect(question).toContain('推广方案 文案 A？');
    expect(question).toContain('已在旅程中的客户留在原版本');
    await expect.poll(() => page.getByTestId('report-ab-split').textContent()).toContain('胜出方案 文案 A');
    // The promotion's message follows a language switch (worded when shown).
    const promoted = page.getByTestId('ab-promoted');
    await expect.poll(() => promoted.textContent()).toMatch(/^已推广 文案 A，发布为第 \d+ 版$/);
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await expect.poll(() => promoted.textContent()).toMatch(/^Promoted 文案 A, published as version \d+$/);
    await page.screenshot({ path: join(shots, 'reports-02-promoted-en.png'), fullPage: true });
    await page.getByRole('button', { name: '中文', exact: true }).click();
    await expect.poll(() => promoted.textContent()).toMatch(/^已推广 文案 A/);
    await page.screenshot({ path: join(shots, 'reports-02-promoted.png'), fullPage: true });
  });

  it('shows the channel report with recall and contribution per card, cohorts and RFM', {
    timeout: 60_000,
  }, async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    const day = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
    // The fixture's period is [T0, T0+30d) in China time; the report reads its days in the workspace's
    // zone (Asia/Shanghai) whatever zone the browser runs in.
    await page.goto(`${base}/?from=${day(T0)}&to=${day(T0 + 29 * DAY)}#/reports/channels`);
    await page.waitForSelector('[data-testid=channel-row-card-a]');
    const cells = (code: string) => page.getByTestId(`channel-row-${code}`).locator('td').allTextContents();
    // Delivered, scans, came in, recall, orders, revenue, per card — as in the runtime's channel test.
    expect((await cells('card-a')).slice(3)).toEqual(['100', '1', '2', '2.00%', '4', '¥200.00', '¥2.00']);
    expect((await cells('sms-1')).slice(3)).toEqual(['4 (短信 4)', '1', '1', '25.00%', '1', '¥60.00', '¥15.00']);
    await page.waitForSelector('[data-testid=report-cohorts] svg');
    // The sms-1 code was made without a variant: its row names it, not the stored "default".
    expect((await cells('sms-1'))[1]).toBe('默认方案');
    // Every axis label of both charts reads alone (the six RFM segment names once ran together):
    // upright neighbours must fit their tick spacing; slanted ones must sit a line's height apart.
    const overlapping = async () =>
      page.locator('.recharts-xAxis-tick-labels').evaluateAll((axes) =>
        axes.flatMap((axis) => {
          const labels = [...axis.querySelectorAll('text')].map((text) => {
            const angle = Number(/rotate\((-?[\d.]+)/.exec(text.getAttribute('transform') ?? '')?.[1] ?? 0);
            const width = (text as unknown as { getComputedTextLength(): number }).getComputedTextLength();
            return {
              x: Number(text.getAttribute('x')),
              angle,
              width,
              size: Number(text.getAttribute('font-size') ?? 14),
            };
          });
          return labels.slice(1).flatMap((b, i) => {
            const a = labels[i] as (typeof labels)[number];
            const spacing = b.x - a.x;
            const fits =
              a.angle === 0
                ? (a.width + b.width) / 2 <= spacing
                : spacing * Math.abs(Math.sin((a.angle * Math.PI) / 180)) >= a.size;
            return fits ? [] : [`${axis.textContent?.slice(0, 40)}: ${i}/${i + 1}`];
          });
        }),
      );
    expect(await page.locator('.recharts-xAxis-tick-labels').count()).toBe(2);
    expect(await overlapping()).toEqual([]);
    await page.screenshot({ path: join(shots, 'reports-03-channels.png'), fullPage: true });
    await pickOption(page, 'cohorts-by', '渠道');
    await expect.poll(() => page.getByTestId('report-cohorts').textContent()).toContain('包裹卡 A (card-a)');
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.getByTestId('report-title').textContent()).toBe('Channel report');
    expect(await overlapping()).toEqual([]);
    await page.screenshot({ path: join(shots, 'reports-04-channels-en.png'), fullPage: true });
  });
});
