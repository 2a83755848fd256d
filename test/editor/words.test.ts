// Plain language in the language chosen (issue 14 §3), in Chromium against the real server: the
// problems panel words a bad setting plainly ("请输入大于 0 的数字" / "Enter a number greater than 0",
// not zod's "数值过小：期望 number >0"), names the node by its title and the output by its label; a
// refusal from the server (a stale journey list) reads in the chosen language, not as a joined
// "中文 / English" sentence; the channel form's errors too. The canvas cards show words, never keys
// (an event by its name, a switched-on flag by its label, not "true"), the journey settings choose
// a frequency cap's channel and a time zone by name. Screenshots in both languages.
import { join } from 'node:path';
import { openDatabase } from '@siyu/runtime';
import { graphOf } from '@siyu/runtime/testing';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { serverAndBrowserForFile, signInToEditor } from './editor-session.ts';
import { shots } from './real-server.ts';

const CJK = /[\u4e00-\u9fff]/;

const session = serverAndBrowserForFile('words', {
  seed: async (dbPath) => {
    const db = await openDatabase(dbPath);
    try {
      // A draft with a wait of 0 days whose output leads nowhere.
      const broken = graphOf(
        [
          ['entry', 'core.apiEntry', {}],
          ['n3', 'core.wait', { duration: { amount: 0, unit: 'days' } }],
          ['n4', 'core.wait', { duration: { amount: 1, unit: 'days' } }],
        ],
        [
          ['entry', 'next', 'n3'],
          ['n3', 'next', 'n4'],
        ],
        { quietHours: { enabled: false } },
      );
      broken.nodes = broken.nodes.map((n) => (n.id === 'n3' ? { ...n, label: '等三天' } : n));
      await db.prisma.journey.create({
        data: { id: 'j_words', name: '措辞检查', draft: JSON.stringify(broken), createdBy: 'test' },
      });
      const fine = graphOf(
        [
          ['entry', 'core.apiEntry', {}],
          ['done', 'core.exit', { reason: '完成' }],
        ],
        [['entry', 'next', 'done']],
        { quietHours: { enabled: false } },
      );
      await db.prisma.journey.create({
        data: { id: 'j_live', name: '已上线旅程', draft: JSON.stringify(fine), createdBy: 'test' },
      });
      const cards = graphOf(
        [
          ['entry', 'core.eventEntry', { event: 'channel.entered', filter: { match: 'all', conditions: [] } }],
          ['custom', 'core.eventEntry', { event: 'vip.upgraded', filter: { match: 'all', conditions: [] } }],
          ['tag', 'core.updateTags', { add: [], remove: [], tagChannel: true }],
          ['done', 'core.exit', { reason: '完成' }],
          ['attrs', 'core.updateAttributes', { changes: [{ op: 'set', name: 'layer', value: 'core' }] }],
          [
            'window',
            'core.waitUntil',
            { mode: 'window', window: { timeZone: 'Asia/Shanghai', start: '10:00', end: '12:00', weekdays: [1, 5] } },
          ],
        ],
        [
          ['entry', 'next', 'tag'],
          ['custom', 'next', 'tag'],
          ['tag', 'next', 'attrs'],
          ['attrs', 'next', 'window'],
          ['window', 'next', 'done'],
        ],
        {
          quietHours: { enabled: false },
          frequencyCaps: [{ channel: 'wecom', max: 1, per: { amount: 1, unit: 'days' } }],
        },
      );
      // Side by side, apart (the fixture's default positions overlap cards this wide).
      // The two form nodes on a row of their own below, clear of the inspector on the right.
      cards.nodes = cards.nodes.map((n, i) => ({
        ...n,
        position: i < 4 ? { x: i * 280, y: i === 1 ? 160 : 0 } : { x: (i - 4) * 280, y: 320 },
      }));
      await db.prisma.journey.create({
        data: { id: 'j_cards', name: '卡片措辞', draft: JSON.stringify(cards), createdBy: 'test' },
      });
      // Customers with a Chinese attribute name, as an import with the brand's own headers leaves them.
      await db.prisma.customer.create({
        data: { id: 'c_gold', displayName: '张丽', attributes: JSON.stringify({ 等级: '金卡', city: '上海' }) },
      });
    } finally {
      await db.close();
    }
  },
});

const shot = (page: Page, name: string) => page.screenshot({ path: join(shots, `words-${name}.png`) });

async function openJourney(page: Page, name: string) {
  await page.goto(`${session.real.base}/`);
  await page.locator('tbody tr', { hasText: name }).first().click();
  await page.waitForSelector('.react-flow__pane');
}

describe('plain language in the chosen language', () => {
  it('words problems plainly and names nodes and outputs as the canvas does', { timeout: 120_000 }, async () => {
    const page = await session.page();
    await signInToEditor(page, session.real.base);
    await openJourney(page, '措辞检查');
    const problems = page.getByTestId('problems');
    await expect.poll(() => problems.textContent()).toContain('请输入大于 0 的数字');
    const zh = (await problems.textContent()) ?? '';
    expect(zh).not.toMatch(/数值过小|期望|number|>0/);
    // The node by its title (等三天), the output by its label, never the node id or the port key.
    expect(zh).toContain('等三天');
    expect(zh).toContain('未连接');
    expect(zh).not.toMatch(/\bn[34]\b|「next」/);
    await shot(page, '01-problems-zh');

    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await expect.poll(() => problems.textContent()).toContain('Enter a number greater than 0');
    const en = (await problems.textContent()) ?? '';
    expect(en).not.toMatch(/无效输入|期望|数值过小|"next"/);
    expect(en).toContain('Output "Next" is not connected · Wait');
    expect(en).not.toMatch(/\bn[34]\b/);
    await shot(page, '01-problems-en');
    await page.getByRole('button', { name: '中文', exact: true }).click();
  });

  it("shows the server's refusal in the chosen language", { timeout: 120_000 }, async () => {
    const page = await session.page();
    const { base } = session.real;
    const post = (path: string, data: unknown) => page.request.post(`${base}/trpc/${path}`, { data });
    expect((await post('journeys.publish', { id: 'j_live' })).ok()).toBe(true);
    await page.goto(`${base}/`);
    const row = page.locator('tbody tr', { hasText: '已上线旅程' });
    await expect.poll(() => row.locator('.pill.live').count()).toBe(1);
    // Someone else stops the journey; this list still offers to pause it.
    expect((await post('journeys.stop', { id: 'j_live', reason: '活动结束' })).ok()).toBe(true);
    const dialog = page.getByTestId('confirm-dialog');
    await row.getByTestId('journey-pause').click();
    await dialog.getByTestId('confirm-ok').click();
    const error = dialog.locator('.field-message');
    await expect.poll(() => error.textContent()).toBe('旅程当前为「已停止」，不能改为「已暂停」');
    await shot(page, '02-refusal-zh');
    await dialog.getByRole('button', { name: '取消' }).click();

    await page.getByRole('button', { name: 'English', exact: true }).click();
    await row.getByTestId('journey-pause').click();
    await dialog.getByTestId('confirm-ok').click();
    await expect.poll(() => error.textContent()).toBe('The journey is stopped; it cannot become paused');
    expect(await error.textContent()).not.toMatch(CJK);
    await shot(page, '02-refusal-en');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: '中文', exact: true }).click();
  });

  it("shows the channel form's errors in the chosen language", { timeout: 120_000 }, async () => {
    const page = await session.page();
    await page.goto(`${session.real.base}/#/channels`);
    await page.getByTestId('new-channel').click();
    await page.getByTestId('create-channel').click();
    const nameError = page.locator('[data-field=name] .field-message');
    await expect.poll(() => nameError.textContent()).toBe('请填写此项');
    await shot(page, '03-channel-form-zh');
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await page.getByTestId('create-channel').click();
    await expect.poll(() => nameError.textContent()).toBe('This field is required');
    await shot(page, '03-channel-form-en');
    await page.getByRole('button', { name: '中文', exact: true }).click();
  });

  it("shows the audit log's details as labelled lines, not JSON", { timeout: 120_000 }, async () => {
    const page = await session.page();
    await page.goto(`${session.real.base}/#/audit`);
    const stop = page.locator('[data-testid=audit-row][data-action="journey.stop"]').first();
    const details = stop.getByTestId('audit-details');
    await expect.poll(() => details.textContent()).toContain('原因');
    // The journey by its name, not its id.
    expect(await stop.getByTestId('audit-target').textContent()).toBe('已上线旅程');
    expect(await details.textContent()).toContain('活动结束');
    expect(await details.textContent()).not.toMatch(/[{}"]/);
    await shot(page, '04-audit-zh');
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await expect.poll(() => details.textContent()).toContain('Reason');
    await shot(page, '04-audit-en');
    await page.getByRole('button', { name: '中文', exact: true }).click();
  });

  it('shows words on the canvas and in the settings, never keys', { timeout: 120_000 }, async () => {
    const page = await session.page();
    await openJourney(page, '卡片措辞');
    const summary = (id: string) => page.locator(`[data-node-id="${id}"] .jn-summary`);
    await expect.poll(() => summary('entry').textContent()).toBe('通过渠道进入');
    expect(await summary('custom').textContent()).toBe('自定义事件 vip.upgraded');
    expect(await summary('tag').textContent()).toBe('按来源渠道和版本打标签');
    expect(await summary('attrs').textContent()).toBe('layer = core');
    const canvas = (await page.locator('.react-flow__nodes').textContent()) ?? '';
    expect(canvas).not.toMatch(/channel\.entered|true|false|事件：/);
    // The journey settings (nothing selected): the cap's channel by name, the cap by its place.
    const cap = page.locator('[data-field="frequencyCaps[0]"]');
    const channel = cap.locator('select[data-picker=messageChannel]');
    expect(await channel.inputValue()).toBe('wecom');
    const channelText = () => channel.locator('option:checked').textContent();
    expect(await channelText()).toBe('企业微信');
    expect(await channel.locator('option').allTextContents()).toContain('短信');
    expect(await cap.locator('legend').first().textContent()).toBe('上限 1');
    const zone = page.locator('[data-field="quietHours.timeZone"] select[data-picker=timeZone]');
    const zoneText = () => zone.locator('option:checked').textContent();
    expect(await zoneText()).toBe('中国标准时间（Asia/Shanghai）');
    await shot(page, '05-canvas-zh');

    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await expect.poll(() => summary('entry').textContent()).toBe('Came in through a channel');
    expect(await summary('custom').textContent()).toBe('custom event vip.upgraded');
    expect(await summary('tag').textContent()).toBe('Tag with source channel and variant');
    expect(await channelText()).toBe('WeCom');
    expect(await cap.locator('legend').first().textContent()).toBe('Cap 1');
    expect(await zoneText()).toBe('China Standard Time (Asia/Shanghai)');
    expect(await page.getByTestId('inspector').textContent()).not.toMatch(CJK);
    await shot(page, '05-canvas-en');
    // Choosing SMS keeps the value the server counts by.
    await channel.selectOption({ label: 'SMS' });
    expect(await channel.inputValue()).toBe('sms');
    await page.getByRole('button', { name: '中文', exact: true }).click();
  });

  it('forms name every field and choice in words: attribute changes as rows, weekdays as days', {
    timeout: 120_000,
  }, async () => {
    const page = await session.page();
    await openJourney(page, '卡片措辞');
    const inspector = page.getByTestId('inspector');
    await page.locator('.react-flow__node [data-node-id="attrs"]').click();
    const change = page.locator('[data-testid=attribute-changes] [data-change="0"]');
    await expect.poll(() => change.getByTestId('change-name').inputValue()).toBe('layer');
    expect(await change.getByTestId('change-value').inputValue()).toBe('core');
    expect(await change.getByTestId('change-op').locator('option:checked').textContent()).toBe('设置');
    // Another operation: its own input, the attribute kept.
    await change.getByTestId('change-op').selectOption({ label: '增加（负数为减少）' });
    await change.getByTestId('change-by').fill('10');
    expect(await change.getByTestId('change-name').inputValue()).toBe('layer');
    expect(await inspector.textContent()).not.toMatch(/"op"|changes|increment/);

    await page.locator('.react-flow__node [data-node-id="window"]').click();
    const days = inspector.locator('[data-field="window.weekdays"] input[type=checkbox]');
    await expect.poll(() => days.count(), { timeout: 15_000 }).toBe(7);
    const checked = () =>
      inspector.locator('[data-field="window.weekdays"] label:has(input:checked)').allTextContents();
    expect(await checked()).toEqual(['周一', '周五']);
    expect(await inspector.locator('select option:checked').first().textContent()).toBe('时间窗口');
    expect(await inspector.textContent()).not.toMatch(/weekdays|dateAttribute|window/);
    await shot(page, '06-forms-zh');
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await expect.poll(checked).toEqual(['Mon', 'Fri']);
    expect(await inspector.locator('select option:checked').first().textContent()).toBe('A time window');
    await page.locator('.react-flow__node [data-node-id="attrs"]').click();
    await expect
      .poll(() => page.locator('[data-testid=attribute-changes]').textContent())
      .toContain('Add (negative: subtract)');
    expect(await inspector.textContent()).not.toMatch(CJK);
    // A random split's paths by their names and shares; their port keys are never a field, and a
    // new path gets an unused one (its output shows on the card by its name).
    await page.dragAndDrop('.palette-item[data-node-type="core.randomSplit"]', '.react-flow__pane', {
      targetPosition: { x: 300, y: 500 },
    });
    const paths = inspector.locator('[data-field="paths"] > .array-item');
    await expect.poll(() => paths.count()).toBe(2);
    expect(await inspector.locator('[data-field$=".id"]').count()).toBe(0);
    await inspector.locator('[data-field="paths"] > button', { hasText: 'Add' }).click();
    await expect.poll(() => paths.count()).toBe(3);
    await inspector.locator('[data-field="paths[2].label"] input').fill('Later');
    const split = page.locator('.react-flow__node.selected');
    await expect.poll(() => split.textContent()).toContain('Later');
    await shot(page, '06-forms-en');
    await page.getByRole('button', { name: '中文', exact: true }).click();
  });

  it('names the variables a message text uses, and warns of one nothing fills or one sent as typed', {
    timeout: 120_000,
  }, async () => {
    const page = await session.page();
    await openJourney(page, '卡片措辞');
    await page.dragAndDrop('.palette-item[data-node-type="core.staffTask"]', '.react-flow__pane', {
      targetPosition: { x: 600, y: 500 },
    });
    const body = page.locator('[data-testid=inspector] [data-field="body"]');
    await body
      .locator('textarea')
      .fill('给{{displayName}}打电话，确认{{ attributes.等级 }}权益（{{city}}）{{dispalyName}}{{客户 名}}');
    await expect
      .poll(() => body.getByTestId('message-variables-used').textContent())
      .toBe('用到的变量：客户名称、属性「等级」、属性「city」');
    // A typo nothing fills is a warning; braces the customer would read as typed are the node's
    // problem: under the field, and the journey is not ready to publish.
    expect(await body.getByTestId('message-variable-problem').allTextContents()).toEqual([
      '{{dispalyName}} 不是客户信息，也没有客户有此属性：发送时为空',
    ]);
    const typed = '{{客户 名}} 不是变量，会按原样发出（变量名不能为空，也不能有空格）';
    await expect.poll(() => body.textContent()).toContain(typed);
    expect(await body.textContent()).not.toContain('is not a variable');
    await expect.poll(() => page.getByTestId('problems').textContent()).toContain(typed);
    expect(await body.getByTestId('message-variables-available').textContent()).toBe(
      '可用变量：{{displayName}}、{{attributes.属性名}}',
    );
    await shot(page, '07-message-variables-zh');
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await expect.poll(() => body.getByTestId('message-variables-used').textContent()).toContain('Uses: customer name');
    expect(await body.getByTestId('message-variables-available').textContent()).toBe(
      'Available variables: {{displayName}}, {{attributes.name}}',
    );
    expect(await body.getByTestId('message-variable-problem').first().textContent()).toContain('it is sent as nothing');
    await expect
      .poll(() => body.textContent())
      .toContain('Not a variable, it would be sent as typed: {{客户 名}}');
    await shot(page, '07-message-variables-en');
    await page.getByRole('button', { name: '中文', exact: true }).click();
  });
});
