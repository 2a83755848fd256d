// Numbers on screen must be true, failures included. Failed sends in the editor: a customer without a phone
// number reaches a real sms.send node (the sandbox provider; the node refuses before any provider call).
// The canvas counts it as a failure (✕ 1, ✓ 0), the node's drawer and the customer's profile say why in
// words, the simulation says the same for a test customer without a phone, and once a phone is added the
// drawer's retry sends it and the customer goes on. A/B weights are percentages with a live hint on their
// total.

import { join } from 'node:path';
import { createEngine, createLogger, createNodeRegistryForRuntime, ManualClock, openDatabase } from '@siyu/runtime';
import {
  createSendSmsExecutor,
  createSmsServices,
  graphOf,
  publishJourney,
  sandboxProvider,
} from '@siyu/runtime/testing';
import { describe, expect, it } from 'vitest';
import { answerConfirm } from './antd-helpers.ts';
import { serverAndBrowserForFile, signInToEditor, welcomeSmsGraph } from './editor-session.ts';
import { shots } from './real-server.ts';

async function seedFailedSend(dbPath: string): Promise<void> {
  const db = await openDatabase(dbPath);
  try {
    const graph = welcomeSmsGraph();
    publishJourney(db.sqlite, 'fx', graph);
    // The draft is what the simulation runs.
    db.sqlite.prepare('UPDATE Journey SET draft = ? WHERE id = ?').run(JSON.stringify(graph), 'fx');
    publishJourney(
      db.sqlite,
      'abw',
      graphOf(
        [
          ['entry', 'core.apiEntry', {}],
          [
            'split',
            'core.abSplit',
            {
              variants: [
                { id: 'a', label: '文案 A', weight: 50 },
                { id: 'b', label: '文案 B', weight: 50 },
              ],
            },
          ],
          ['endA', 'core.exit', { reason: 'a' }],
          ['endB', 'core.exit', { reason: 'b' }],
        ],
        [
          ['entry', 'next', 'split'],
          ['split', 'a', 'endA'],
          ['split', 'b', 'endB'],
        ],
      ),
    );
    const now = new Date().toISOString().replace('Z', '+00:00');
    db.sqlite
      .prepare("INSERT INTO Customer (id, attributes, createdAt, updatedAt) VALUES ('nophone', '{}', ?, ?)")
      .run(now, now);
    const clock = new ManualClock(Date.now());
    const logger = createLogger('silent');
    const engine = createEngine({
      db,
      registry: createNodeRegistryForRuntime(),
      executors: [createSendSmsExecutor(createSmsServices({ db, clock, logger, provider: sandboxProvider() }))],
      clock,
      logger,
    });
    await engine.enroll('fx', 'nophone');
    await engine.tick();
    await engine.tick();
    await engine.stop();
    const ended = db.sqlite.prepare("SELECT exitReason FROM Instance WHERE customerId = 'nophone'").get() as {
      exitReason: string;
    };
    if (ended.exitReason !== 'effectFailed:welcome')
      throw new Error(`seed: the send did not fail (${ended.exitReason})`);
  } finally {
    await db.close();
  }
}

const session = serverAndBrowserForFile('numbers', { seed: seedFailedSend });

describe('numbers on screen, in the editor', () => {
  it('counts the failure on the node, says why in the drawer, profile and simulation, and retries once fixed', {
    timeout: 150_000,
  }, async () => {
    const page = await session.page();
    const real = session.real;
    await signInToEditor(page, real.base, undefined, undefined, { alreadySignedIn: 'ok' });
    const openJourney = async () => {
      await page.goto(`${real.base}/`);
      await page.waitForSelector('[data-testid=journey-list]');
      await page.locator('tbody tr', { hasText: 'fx' }).first().click();
      await page.waitForSelector('.react-flow__pane');
    };
    await openJourney();

    const welcome = page.locator('[data-testid=journey-node][data-node-id=welcome]');
    await expect.poll(() => welcome.getByTestId('node-stats').textContent(), { timeout: 15_000 }).toContain('✕ 1');
    expect(await welcome.getByTestId('node-stats').textContent()).toContain('✓ 0');
    // The card sums up its config by the fields' names, not their keys.
    expect(await welcome.locator('.jn-summary').textContent()).toContain('模板编号：2001');
    expect(await welcome.textContent()).not.toContain('templateCode');

    await welcome.getByTestId('node-customers-open').click();
    const failure = page.getByTestId('node-failure');
    await expect.poll(() => failure.count(), { timeout: 15_000 }).toBe(1);
    const text = (await failure.textContent()) ?? '';
    expect(text).toContain('客户没有手机号');
    expect(text).toContain('为客户补充手机号（导入客户或接口更新）后重试');
    expect(text).not.toContain('noPhone');
    // The drawer names the node as the canvas does (its type's name here), never by its id.
    const heading = (await page.getByTestId('node-customers').locator('h3').textContent()) ?? '';
    expect(heading).toContain('发送短信');
    expect(heading).not.toContain('welcome');
    // Nobody waits at the node (the one failed run has ended): the drawer says so, not "共 0 位" under "在此失败 1 位".
    await expect.poll(() => page.getByTestId('node-customers-total').textContent()).toBe('正在此节点 0 位');
    await page.screenshot({ path: join(shots, 'numbers-01-node-drawer.png') });
    // The same drawer in English: nothing left in Chinese, no reason code, no customer-facing key.
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await expect.poll(() => failure.textContent()).toContain('The customer has no phone number');
    const drawerEn = (await page.getByTestId('node-customers').textContent()) ?? '';
    expect(drawerEn).toContain('Send SMS');
    expect(drawerEn).toContain('At this node now: 0');
    expect(drawerEn).not.toMatch(/[\u4e00-\u9fff]/);
    // The English bar is the longest: every button keeps its words on one line (中文 was squeezed to
    // one character a line), the draft note gives way instead.
    for (const box of await page
      .locator('header.toolbar button')
      .evaluateAll((buttons) =>
        buttons.map((b) => ({ text: b.textContent, height: b.getBoundingClientRect().height })),
      ))
      expect(box.height, `toolbar button ${box.text}`).toBeLessThan(36);
    await page.screenshot({ path: join(shots, 'numbers-01-node-drawer-en.png') });
    await page.getByRole('button', { name: '中文', exact: true }).click();
    await expect.poll(() => failure.textContent()).toContain('客户没有手机号');

    // The profile's timeline says the same, in words.
    await failure.getByTestId('node-failure-fix').click();
    await page.waitForSelector('[data-testid=customer-profile]');
    await expect.poll(() => page.getByTestId('failure-reason').first().textContent()).toContain('客户没有手机号');
    expect(await page.getByTestId('profile-retry').count()).toBe(1);
    await page.screenshot({ path: join(shots, 'numbers-02-profile.png') });

    // The simulation with a test customer without a phone says why the send failed.
    await openJourney();
    await page.getByTestId('simulate').click();
    const sim = page.getByTestId('simulation-panel');
    await sim.locator('label', { hasText: '手机号' }).locator('input').fill('');
    await sim.getByTestId('sim-start').click();
    await expect.poll(() => sim.getByTestId('sim-status').textContent(), { timeout: 15_000 }).toBe('已退出');
    expect(await sim.getByTestId('sim-steps').getByTestId('failure-reason').textContent()).toContain('客户没有手机号');
    // Steps name the node as the canvas does, not by its id.
    expect(await sim.getByTestId('sim-steps').textContent()).toContain('发送短信');
    expect(await sim.getByTestId('sim-steps').textContent()).not.toContain('welcome');
    await page.screenshot({ path: join(shots, 'numbers-03-simulation.png') });

    // Fixed (a phone number added), the drawer's retry sends it and the customer reaches the end.
    const db = await openDatabase(join(real.dir, 'siyu.db'));
    try {
      db.sqlite
        .prepare(
          "INSERT INTO CustomerIdentity (kind, value, customerId, createdAt) VALUES ('phone', '+8613900001234', 'nophone', ?)",
        )
        .run(new Date().toISOString().replace('Z', '+00:00'));
    } finally {
      await db.close();
    }
    await openJourney();
    await welcome.getByTestId('node-customers-open').click();
    // Retry asks first: dismissed, nothing runs; accepted, the step runs again.
    await page.getByTestId('node-failure-retry').click();
    await answerConfirm(page, false);
    await page.waitForTimeout(500);
    expect(await page.getByTestId('node-failure-retry').count()).toBe(1);
    await page.getByTestId('node-failure-retry').click();
    expect(await answerConfirm(page, true)).toContain('消息会真实发给客户');
    await expect
      .poll(
        () => page.locator('[data-testid=journey-node][data-node-id=done]').getByTestId('node-stats').textContent(),
        { timeout: 20_000 },
      )
      .toContain('↘ 1');
    await expect.poll(() => page.getByTestId('node-failure-retry').count(), { timeout: 15_000 }).toBe(0);
    // Retried and sent: the node counts the run done, no longer failed.
    await expect.poll(() => welcome.getByTestId('node-stats').textContent(), { timeout: 15_000 }).toContain('✓ 1');
    expect(await welcome.getByTestId('node-stats').textContent()).toContain('✕ 0');
    await page.screenshot({ path: join(shots, 'numbers-04-retried.png') });
  });

  it('A/B weights are percentages: the inspector says the total while they do not add up to 100', {
    timeout: 90_000,
  }, async () => {
    const page = await session.page();
    const real = session.real;
    await signInToEditor(page, real.base, undefined, undefined, { alreadySignedIn: 'ok' });
    await page.locator('tbody tr', { hasText: 'abw' }).first().click();
    await page.waitForSelector('.react-flow__pane');
    await page.locator('[data-testid=journey-node][data-node-id=split]').click();
    const first = page.locator('.inspector [data-field="variants[0].weight"]');
    await expect.poll(() => first.locator('.field-label').textContent()).toBe('占比（%）');
    const hint = page.locator('.inspector [data-field="variants"] > .field-message, .inspector .field-message', {
      hasText: '合计',
    });
    expect(await hint.count()).toBe(0);
    await first.locator('input').fill('60');
    await expect.poll(() => hint.first().textContent()).toContain('现为 110%');
    await page.screenshot({ path: join(shots, 'numbers-05-ab-weights-hint.png') });
    await page.locator('.inspector [data-field="variants[1].weight"] input').fill('40');
    await expect.poll(() => hint.count()).toBe(0);

    // Archiving a journey asks first, naming it and saying what happens to its customers.
    await page.goto(`${real.base}/`);
    const row = page.locator('tbody tr', { hasText: 'abw' });
    await expect.poll(() => row.count()).toBe(1);
    const dialog = page.getByTestId('confirm-dialog');
    await row.getByTestId('journey-archive').click();
    await dialog.getByRole('button', { name: '取消' }).click();
    expect(await row.count()).toBe(1);
    await row.getByTestId('journey-archive').click();
    await dialog.getByText('归档旅程「abw」？', { exact: true }).waitFor();
    expect(await dialog.getByTestId('confirm-body').textContent()).toContain('位客户不受影响');
    await dialog.getByTestId('confirm-ok').click();
    await expect.poll(() => row.count()).toBe(0);
  });
});
