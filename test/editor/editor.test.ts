// Browser test of the built editor in Debian's Chromium (playwright-core, no downloaded browsers).
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoLayout } from './canvas-helpers.ts';
import { buildEditorOnce, chromiumOptions, root, shots } from './real-server.ts';

const dist = join(root, 'packages/editor/dist');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};

let server: Server;
let base = '';
let context: BrowserContext;
let page: Page;
let profile = '';

beforeAll(async () => {
  await buildEditorOnce();
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = path === '/' || !extname(path) ? 'index.html' : path.slice(1);
    try {
      const body = readFileSync(join(dist, file));
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  mkdirSync(shots, { recursive: true });
  profile = mkdtempSync(join(tmpdir(), 'siyu-editor-'));
  context = await chromium.launchPersistentContext(profile, {
    ...chromiumOptions,
    viewport: { width: 1440, height: 900 },
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  page = context.pages()[0] ?? (await context.newPage());
}, 180_000);

afterAll(async () => {
  await context?.close();
  server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** Drags a palette item onto the canvas at (x, y) with real HTML5 drag events. */
async function dragFromPalette(type: string, x: number, y: number) {
  await page.dragAndDrop(`.palette-item[data-node-type="${type}"]`, '.react-flow__pane', { targetPosition: { x, y } });
}

async function connect(fromNode: number, port: string, toNode: number) {
  const nodes = page.locator('[data-testid="journey-node"]');
  const from = await nodes.nth(fromNode).locator(`[data-port="${port}"]`).boundingBox();
  const to = await nodes.nth(toNode).locator('.jn-in').boundingBox();
  if (!from || !to) throw new Error(`cannot find port ${port} or the target input`);
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
  await page.mouse.up();
}

const nodeCount = () => page.locator('[data-testid="journey-node"]').count();
const edgeCount = () => page.locator('.react-flow__edge').count();

describe('journey editor in the browser', () => {
  it('builds a journey by drag and drop, shows and fixes a validation error, undo/redo, copy/paste', {
    timeout: 120_000,
  }, async () => {
    await page.goto(base);
    await expect.poll(() => page.getByTestId('journey-list').isVisible()).toBe(true);
    await page.screenshot({ path: join(shots, 'editor-01-journey-list.png') });
    await page.getByTestId('new-journey').click();
    await page.waitForSelector('.react-flow__pane');
    expect(await nodeCount()).toBe(0);
    const types = await page
      .locator('.palette-item')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-node-type')));
    const [entry, wait, exit] = ['core.eventEntry', 'core.wait', 'core.exit'];
    expect(types).toEqual(expect.arrayContaining([entry, wait, exit]));

    await dragFromPalette(entry, 150, 250);
    await dragFromPalette(wait, 500, 250);
    await dragFromPalette(exit, 850, 250);
    await expect.poll(() => nodeCount()).toBe(3); // the last drop's card renders a moment later
    // Nothing connected yet: validation reports unconnected outputs / unreachable nodes.
    await expect.poll(() => page.getByTestId('publish').isDisabled()).toBe(true);
    const problemsBefore = await page.locator('.problems .problem-list li').count();
    expect(problemsBefore).toBeGreaterThan(0);
    await page.screenshot({ path: join(shots, 'editor-02-validation-errors.png') });

    // Clicking a problem selects its node and opens it in the inspector.
    await page.locator('.problems .problem-list button').first().click();
    await expect.poll(() => page.getByTestId('node-inspector').isVisible()).toBe(true);

    await page.keyboard.press('Shift+!'); // zoom to fit (Shift+1) so every port is on screen
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.getByRole('button', { name: '适应画布' }).click();
    await page.waitForTimeout(400);
    await connect(0, 'next', 1);
    await connect(1, 'next', 2);
    expect(await edgeCount()).toBe(2);
    await expect.poll(() => page.getByTestId('publish').isEnabled()).toBe(true);

    // Break the wait's config in the inspector: an error shows on the node, publish blocks; fix it.
    await page.locator('[data-testid="journey-node"]').nth(1).click();
    const amount = page.locator('.inspector .duration input[type="number"]');
    await amount.fill('');
    await expect.poll(() => page.getByTestId('publish').isDisabled()).toBe(true);
    await expect.poll(() => page.locator('[data-testid="journey-node"]').nth(1).locator('.jn-badge').count()).toBe(1);
    await page.screenshot({ path: join(shots, 'editor-03-inspector-config-error.png') });
    await amount.fill('3');
    await expect.poll(() => page.getByTestId('publish').isEnabled()).toBe(true);
    await expect.poll(() => page.locator('[data-testid="journey-node"]').nth(1).textContent()).toContain('3');

    // Undo / redo the last edge.
    await page.locator('.react-flow__pane').click({ position: { x: 600, y: 600 } });
    await page.keyboard.press('Control+z'); // amount 3 → ''
    await page.keyboard.press('Control+z'); // '' → 1
    await page.keyboard.press('Control+z'); // remove edge wait→exit
    await expect.poll(edgeCount).toBe(1);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(edgeCount).toBe(2);
    await page.getByTestId('undo').click();
    await expect.poll(edgeCount).toBe(1);
    await page.getByTestId('redo').click();
    await expect.poll(edgeCount).toBe(2);

    // Copy the wait + exit pair and paste: two new nodes with the edge between them.
    await page.locator('[data-testid="journey-node"]').nth(1).click();
    await page
      .locator('[data-testid="journey-node"]')
      .nth(2)
      .click({ modifiers: ['Shift'] });
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await expect.poll(nodeCount).toBe(5);
    await expect.poll(edgeCount).toBe(3);
    await page.screenshot({ path: join(shots, 'editor-04-after-paste.png') });
    // Pasted wait has no incoming edge: unreachable → publish blocked again; delete restores.
    await expect.poll(() => page.getByTestId('publish').isDisabled()).toBe(true);
    await page.keyboard.press('Delete');
    await expect.poll(nodeCount).toBe(3);
    await expect.poll(() => page.getByTestId('publish').isEnabled()).toBe(true);

    // Auto-layout and English.
    await autoLayout(page);
    await page.getByTestId('locale').click();
    await expect.poll(() => page.getByTestId('publish').textContent()).toBe('Publish');
    await page.screenshot({ path: join(shots, 'editor-05-layout-english.png') });
    await page.getByTestId('locale').click();

    // Paste into another journey (clipboard JSON).
    await page.getByTestId('back').click();
    await page.getByTestId('new-journey').click();
    await page.waitForSelector('.react-flow__pane');
    await page.locator('.react-flow__pane').click({ position: { x: 400, y: 300 } });
    await page.keyboard.press('Control+v');
    await expect.poll(nodeCount).toBe(2);
  });

  it('counts SMS characters and parts, and states the opt-out rule once for a marketing SMS', {
    timeout: 60_000,
  }, async () => {
    await page.goto(base);
    await page.getByTestId('new-journey').click();
    await page.waitForSelector('.react-flow__pane');
    await dragFromPalette('sms.send', 300, 250);
    await page.locator('[data-testid="journey-node"]').first().click();
    const content = page.locator('.inspector textarea').first();
    await content.fill('亲爱的会员，您的专属优惠已到账，点击链接查看');
    const counter = page.getByTestId('sms-counter');
    await expect.poll(() => counter.textContent()).toContain('1 条');
    // A notice SMS has no opt-out rule: nothing about it.
    expect(await counter.textContent()).not.toContain('退订');
    expect(await page.locator('.inspector').textContent()).not.toContain('拒收请回复R');
    // A marketing SMS without opt-out text: the rule once, under the field, naming what it accepts.
    await page.locator('.inspector [data-field="kind"] select').selectOption('marketing');
    const rule = '营销短信须写明退订方式，如“拒收请回复R”或“回T退订”';
    const ruleCount = async () => ((await page.locator('.inspector').textContent()) ?? '').split(rule).length - 1;
    await expect.poll(ruleCount).toBe(1);
    expect(await page.locator('.inspector [data-field="content"] .field-message').textContent()).toContain(rule);
    await content.fill(`${'优惠'.repeat(40)}，回T退订`);
    await expect.poll(() => counter.textContent()).toContain('2 条');
    await expect.poll(ruleCount).toBe(0);
    expect(await counter.textContent()).toContain('✓ 已写明退订方式');
    await page.screenshot({ path: join(shots, 'editor-07-sms-inspector.png') });
  });

  it('shows the third-party lottery node (examples/custom-node) in the palette, with its ports and form', {
    timeout: 60_000,
  }, async () => {
    await page.goto(base);
    await page.getByTestId('new-journey').click();
    await page.waitForSelector('.react-flow__pane');
    const item = page.locator('.palette-item[data-node-type="lottery.draw"]');
    await expect.poll(() => item.textContent()).toContain('抽奖');
    await dragFromPalette('lottery.draw', 300, 250);
    const node = page.locator('[data-testid="journey-node"]').first();
    const ports = await node.locator('[data-port]').evaluateAll((els) => els.map((e) => e.getAttribute('data-port')));
    expect(ports).toEqual(['grand', 'coupon', 'none', 'failed']);
    await node.click();
    const weight = page.locator('.inspector [data-field="noPrizeWeight"]');
    await expect.poll(() => weight.locator('.field-label').textContent()).toBe('未中奖权重');
    await weight.locator('input').fill('-1');
    await expect.poll(() => weight.locator('.field-message').textContent()).toContain('未中奖权重不能为负数');
    await page.screenshot({ path: join(shots, 'editor-08-custom-node-lottery.png') });
  });

  // A functional check only: how fast it opens and drags is `pnpm bench:editor`'s figure
  // (test/editor/bench), which a machine busy with other work cannot fail by accident.
  it('shows a 300-node journey, pans it and drags a node', { timeout: 120_000 }, async () => {
    await page.goto(`${base}/?demo=300`);
    await page.waitForSelector('[data-testid="journey-node"]');
    // The minimap draws every node; the canvas only those on screen (onlyRenderVisibleElements).
    await expect.poll(() => page.locator('.react-flow__minimap-node').count()).toBe(300);
    await page.screenshot({ path: join(shots, 'editor-06-300-nodes.png') });
    const viewport = () => page.locator('.react-flow__viewport').getAttribute('style');
    const pane = await page.locator('.react-flow__pane').boundingBox();
    if (!pane) throw new Error('no canvas pane');
    // Panning starts on empty canvas: most of a 300-node grid is cards and edges, which would drag.
    const empty = (await page.evaluate(`(() => {
      const pane = document.querySelector('.react-flow__pane').getBoundingClientRect();
      for (let y = pane.top + 200; y < pane.bottom - 200; y += 5)
        for (let x = pane.left + 500; x < pane.right - 50; x += 5)
          if (document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return { x, y };
      return null;
    })()`)) as { x: number; y: number } | null;
    if (!empty) throw new Error('no empty spot on the canvas to pan from');
    const before = await viewport();
    await page.mouse.move(empty.x, empty.y);
    await page.mouse.down();
    for (let i = 1; i <= 60; i++) await page.mouse.move(empty.x - i * 8, empty.y - i * 3);
    await page.mouse.up();
    await expect.poll(viewport).not.toBe(before);

    // A card whose head, and the 300 × 120 px the drag moves it, lie inside the pane.
    const inside = (box: { x: number; y: number } | null) =>
      box &&
      box.x > pane.x &&
      box.y > pane.y &&
      box.x + 400 < pane.x + pane.width &&
      box.y + 200 < pane.y + pane.height;
    let nodeId: string | null = null;
    let head: { x: number; y: number } | null = null;
    for (const card of await page.locator('[data-testid="journey-node"]').all()) {
      const box = await card.locator('.jn-head').boundingBox();
      if (!inside(box)) continue;
      nodeId = await card.getAttribute('data-node-id');
      head = box;
      break;
    }
    if (!nodeId || !head) throw new Error('no node card well inside the canvas');
    await page.mouse.move(head.x + 20, head.y + 10);
    await page.mouse.down();
    for (let i = 1; i <= 60; i++) await page.mouse.move(head.x + 20 + i * 5, head.y + 10 + i * 2);
    await page.mouse.up();
    const moved = await page.locator(`[data-testid="journey-node"][data-node-id="${nodeId}"] .jn-head`).boundingBox();
    // 300 px of mouse travel, less React Flow's drag threshold.
    expect(moved!.x - head.x).toBeGreaterThan(250);
    expect(moved!.y - head.y).toBeGreaterThan(100);
  });
});
