// A canvas you can read and arrange (issue 14 §4), against the real server on scratch SQLite:
// the package-card template and an auto-laid-out journey open with titles ≥ 12 px on screen (fit
// shows the start and lets the user pan), a drop leaves the view where it is, paste lands at the
// mouse and never on top of an earlier copy, inserting on an edge moves the rest aside, the edge
// "+" is a real target at any zoom, a click on the minimap centres the view there, and the
// inspector folds away for a wider canvas and stays folded. Screenshots in Chinese and English.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '@siyu/runtime';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { autoLayout } from './canvas-helpers.ts';
import { serverAndBrowserForFile, signInToEditor } from './editor-session.ts';
import { root, shots } from './real-server.ts';

/** The package-card example as the example loader stores it: a template. */
async function seed(dbPath: string): Promise<void> {
  const example = JSON.parse(readFileSync(join(root, 'examples/package-card/journey.json'), 'utf8')) as {
    name: string;
    description: string;
    graph: unknown;
  };
  const db = await openDatabase(dbPath);
  try {
    await db.prisma.journey.create({
      data: {
        id: 'tpl',
        name: example.name,
        description: example.description,
        draft: JSON.stringify(example.graph),
        templateKey: 'example:package-card',
        createdBy: 'examples',
      },
    });
  } finally {
    await db.close();
  }
}

const session = serverAndBrowserForFile('canvas', { seed });

const READABLE_PX = 12;
type Box = { x: number; y: number; width: number; height: number };

/** React Flow's camera, read from the viewport element's transform. */
async function viewport(page: Page): Promise<{ x: number; y: number; zoom: number }> {
  const transform = (await page.locator('.react-flow__viewport').getAttribute('style')) ?? '';
  // The browser writes tiny offsets in exponent form ("translate(1.05318e-05px, …)"): a number here
  // may carry one, or the camera of a view centred at 0 reads as missing.
  const num = '(-?[\\d.]+(?:e[-+]?\\d+)?)';
  const m = new RegExp(`translate\\(${num}px,\\s*${num}px\\)\\s*scale\\(${num}\\)`).exec(transform);
  if (!m) throw new Error(`no viewport transform in "${transform}"`);
  return { x: Number(m[1]), y: Number(m[2]), zoom: Number(m[3]) };
}

/** Waits until the camera has not moved for 600 ms (fits animate for 300 ms, after a frame or two). */
async function settled(page: Page): Promise<{ x: number; y: number; zoom: number }> {
  let last = await viewport(page);
  let still = 0;
  for (let i = 0; i < 40 && still < 4; i++) {
    await page.waitForTimeout(150);
    const now = await viewport(page);
    still = now.x === last.x && now.y === last.y && now.zoom === last.zoom ? still + 1 : 0;
    last = now;
  }
  return last;
}

/**
 * On-screen size of every node title inside the canvas: its computed font size times the zoom, and
 * its box's height (the line box, ≥ the font size).
 */
async function titlesOnScreen(page: Page): Promise<Array<{ px: number; boxHeight: number }>> {
  const { zoom } = await viewport(page);
  const pane = await page.locator('.react-flow').boundingBox();
  const titles = await page.locator('.jn-title').evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      const style = (
        globalThis as unknown as { getComputedStyle: (e: unknown) => { fontSize: string } }
      ).getComputedStyle(el);
      return { font: Number.parseFloat(style.fontSize), x: r.x, y: r.y, height: r.height };
    }),
  );
  return titles
    .filter((t) => pane && t.x >= pane.x && t.x < pane.x + pane.width && t.y >= pane.y && t.y < pane.y + pane.height)
    .map((t) => ({ px: t.font * zoom, boxHeight: t.height }));
}

async function expectReadable(page: Page): Promise<void> {
  await settled(page);
  const titles = await titlesOnScreen(page);
  expect(titles.length).toBeGreaterThan(0);
  expect(Math.min(...titles.map((t) => t.px)), 'smallest title on screen, px').toBeGreaterThanOrEqual(READABLE_PX);
  expect(Math.min(...titles.map((t) => t.boxHeight))).toBeGreaterThanOrEqual(READABLE_PX);
}

async function screenshotBothLanguages(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(shots, `${name}-zh.png`) });
  await page.getByTestId('locale').click();
  await expect.poll(() => page.getByTestId('locale').textContent()).not.toBe('');
  await expect.poll(() => page.getByTestId('layout').textContent()).toContain('Auto-layout');
  await page.screenshot({ path: join(shots, `${name}-en.png`) });
  await page.getByTestId('locale').click();
  await expect.poll(() => page.getByTestId('layout').textContent()).toContain('自动布局');
}

async function openBlankJourney(page: Page): Promise<Box> {
  await page.goto(`${session.real.base}/`);
  await page.waitForSelector('[data-testid=journey-list]');
  await page.getByTestId('new-journey').click();
  await page.waitForSelector('.react-flow__pane');
  const pane = await page.locator('.react-flow__pane').boundingBox();
  if (!pane) throw new Error('no canvas');
  return pane;
}

/** Drags a palette item onto the canvas at (x, y) inside the pane, with real HTML5 drag events. */
async function drop(page: Page, type: string, x: number, y: number): Promise<void> {
  await page.dragAndDrop(`.palette-item[data-node-type="${type}"]`, '.react-flow__pane', { targetPosition: { x, y } });
}

async function connect(page: Page, fromNode: number, port: string, toNode: number): Promise<void> {
  const nodes = page.locator('[data-testid="journey-node"]');
  const from = await nodes.nth(fromNode).locator(`[data-port="${port}"]`).boundingBox();
  const to = await nodes.nth(toNode).locator('.jn-in').boundingBox();
  if (!from || !to) throw new Error(`cannot find port ${port} or the target input`);
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
  await page.mouse.up();
}

const nodeBoxes = async (page: Page): Promise<Box[]> =>
  (await page.locator('[data-testid="journey-node"]').evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    }),
  )) as Box[];

const overlapping = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('a canvas you can read and arrange', () => {
  it('opens the package-card template readable at its start; fit, Shift+1 and auto-layout stay readable', {
    timeout: 120_000,
  }, async () => {
    const page = await session.page();
    await signInToEditor(page, session.real.base);
    await page.locator('[data-template="包裹卡引流"]').getByTestId('use-template').click();
    await page.getByTestId('create-from-template').click();
    await page.waitForSelector('[data-testid="journey-node"]');
    await expectReadable(page);
    // Larger than the window at a readable zoom: the view starts at the entry node, top-left.
    const entry = await page.locator('[data-testid="journey-node"][data-node-id="card"]').boundingBox();
    const canvas = await page.locator('.react-flow').boundingBox();
    expect(entry && canvas).toBeTruthy();
    expect(entry!.x).toBeGreaterThanOrEqual(canvas!.x);
    expect(entry!.x).toBeLessThan(canvas!.x + canvas!.width / 3);
    expect(entry!.y).toBeGreaterThanOrEqual(canvas!.y);
    expect(entry!.y + entry!.height).toBeLessThanOrEqual(canvas!.y + canvas!.height);
    const zoom = (await viewport(page)).zoom;
    console.log(`package-card template opens at ${(zoom * 100).toFixed(0)} % zoom`);
    await screenshotBothLanguages(page, 'canvas-01-template-opened');

    // Pan away, then each way of fitting comes back to a readable view.
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.mouse.wheel(0, 600);
    await page.getByTestId('fit-view').click();
    await expectReadable(page);
    await page.keyboard.press('Shift+Digit1');
    await expectReadable(page);
    await page.getByTestId('controls-fit-view').click();
    await expectReadable(page);
    await autoLayout(page);
    await expectReadable(page);
    console.log(`package-card template after auto-layout: ${((await viewport(page)).zoom * 100).toFixed(0)} % zoom`);
    await screenshotBothLanguages(page, 'canvas-02-template-auto-layout');
  });

  it('drops leave the view where it is; eight chained nodes stay readable after auto-layout', {
    timeout: 120_000,
  }, async () => {
    const page = await session.page();
    const pane = await openBlankJourney(page);
    const before = await viewport(page);
    // Three columns, rows 170 px apart from the top (the problems panel below grows with each drop).
    const spots = [0.18, 0.5, 0.82].flatMap((fx) => [90, 260, 430].map((y) => [fx, y] as const)).slice(0, 8);
    // An entry, six waits and an exit, chained: auto-layout lays them out in one long row.
    const types = ['core.eventEntry', ...Array.from({ length: 6 }, () => 'core.wait'), 'core.exit'];
    for (const [i, [fx, y]] of spots.entries()) {
      const x = Math.round(pane.width * fx);
      await drop(page, types[i] ?? 'core.wait', x, y);
      await expect.poll(() => page.locator('[data-testid="journey-node"]').count()).toBe(i + 1);
      // The view did not move, and the card sits where it was dropped (its top centre under the mouse).
      expect(await settled(page)).toEqual(before);
      const card = (await nodeBoxes(page))[i]!;
      expect(Math.abs(card.x + card.width / 2 - (pane.x + x))).toBeLessThan(4);
    }
    const boxes = await nodeBoxes(page);
    for (const [i, a] of boxes.entries()) for (const b of boxes.slice(i + 1)) expect(overlapping(a, b)).toBe(false);
    for (let i = 0; i < 7; i++) {
      await connect(page, i, 'next', i + 1);
      await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(i + 1);
    }
    await autoLayout(page);
    await expectReadable(page);
    const zoom = (await viewport(page)).zoom;
    console.log(`8 chained nodes after auto-layout: ${(zoom * 100).toFixed(0)} % zoom`);
    // Too long for the window at a readable zoom: the view shows the start, the entry on the left.
    expect(zoom).toBeCloseTo(0.75, 2);
    const entry = (await nodeBoxes(page))[0]!;
    expect(entry.x).toBeGreaterThanOrEqual(pane.x);
    expect(entry.x).toBeLessThan(pane.x + pane.width / 3);
    await screenshotBothLanguages(page, 'canvas-03-eight-nodes-auto-layout');
  });

  it('pastes at the mouse, and a second paste there does not stack on the first', { timeout: 120_000 }, async () => {
    const page = await session.page();
    await session.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: session.real.base });
    const pane = await openBlankJourney(page);
    await drop(page, 'core.wait', 200, 120);
    const nodes = page.locator('[data-testid="journey-node"]');
    await nodes.first().click();
    await page.keyboard.press('Control+c');
    await page.mouse.move(pane.x + 420, pane.y + 260);
    await page.keyboard.press('Control+v');
    await expect.poll(() => nodes.count()).toBe(2);
    const first = (await nodeBoxes(page))[1]!;
    expect(Math.abs(first.x - (pane.x + 420))).toBeLessThan(4);
    expect(Math.abs(first.y - (pane.y + 260))).toBeLessThan(4);
    await page.keyboard.press('Control+v');
    await expect.poll(() => nodes.count()).toBe(3);
    const second = (await nodeBoxes(page))[2]!;
    expect(Math.abs(second.x - first.x) + Math.abs(second.y - first.y)).toBeGreaterThan(20);
    await screenshotBothLanguages(page, 'canvas-04-paste-at-mouse');
  });

  it('a palette double-click adds at the view centre, and a second one does not stack on the first', {
    timeout: 60_000,
  }, async () => {
    const page = await session.page();
    await openBlankJourney(page);
    const nodes = page.locator('[data-testid="journey-node"]');
    await page.locator('.palette-item[data-node-type="core.wait"]').dblclick();
    await expect.poll(() => nodes.count()).toBe(1);
    await page.locator('.palette-item[data-node-type="core.wait"]').dblclick();
    await expect.poll(() => nodes.count()).toBe(2);
    const [first, second] = await nodeBoxes(page);
    expect(Math.abs(second!.x - first!.x) + Math.abs(second!.y - first!.y)).toBeGreaterThan(20);
  });

  it('inserts on an edge without overlapping; the "+" is ≥ 20 px at any zoom, shown on hover', {
    timeout: 120_000,
  }, async () => {
    const page = await session.page();
    await openBlankJourney(page);
    await drop(page, 'core.eventEntry', 160, 150);
    await drop(page, 'core.wait', 480, 150);
    await drop(page, 'core.exit', 800, 150);
    await connect(page, 0, 'next', 1);
    await connect(page, 1, 'next', 2);
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(2);
    await autoLayout(page);
    await settled(page);

    const plus = page.getByTestId('edge-plus').first();
    await page.mouse.move(5, 5);
    expect(await plus.getAttribute('class')).not.toContain('edge-plus-shown');
    /** Hovers the edge at its "+": the "+" shows, and points 9 px from its centre still hit it. */
    const hoverPlus = async () => {
      const box = (await plus.locator('button').boundingBox())!;
      const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
      await page.mouse.move(cx, cy);
      await expect.poll(() => plus.getAttribute('class')).toContain('edge-plus-shown');
      const hits = await page.evaluate(
        ([x, y]) =>
          [
            [-9, 0],
            [9, 0],
            [0, -9],
            [0, 9],
          ].map(([dx, dy]) => {
            const { document } = globalThis as unknown as {
              document: { elementFromPoint(x: number, y: number): { closest(s: string): unknown } | null };
            };
            return document.elementFromPoint(x + (dx ?? 0), y + (dy ?? 0))?.closest('[data-testid=edge-plus]') != null;
          }),
        [cx, cy] as const,
      );
      expect(hits).toEqual([true, true, true, true]);
      return (await plus.locator('button').boundingBox())!;
    };
    // Zoomed out to ~58 %, the "+" keeps its size on screen.
    for (let i = 0; i < 3; i++) await page.locator('.react-flow__controls-zoomout').click();
    expect((await settled(page)).zoom).toBeLessThan(0.75);
    const small = await hoverPlus();
    expect(small.width).toBeGreaterThanOrEqual(20);
    expect(small.height).toBeGreaterThanOrEqual(20);
    await page.mouse.move(5, 5);
    await page.getByTestId('fit-view').click();
    await settled(page);
    expect((await hoverPlus()).width).toBeGreaterThanOrEqual(20);
    await plus.locator('button').click();
    await page.locator('.edge-menu [data-node-type="core.wait"]').click();
    await expect.poll(() => page.locator('[data-testid="journey-node"]').count()).toBe(4);
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(3);
    await page.getByTestId('fit-view').click();
    await settled(page);
    const boxes = await nodeBoxes(page);
    for (const [i, a] of boxes.entries()) for (const b of boxes.slice(i + 1)) expect(overlapping(a, b)).toBe(false);
    await screenshotBothLanguages(page, 'canvas-05-inserted-on-edge');
  });

  it('centres the view where the minimap is clicked', { timeout: 60_000 }, async () => {
    const page = await session.page();
    const before = await settled(page);
    const minimap = await page.locator('.react-flow__minimap svg').boundingBox();
    await page.mouse.click(minimap!.x + minimap!.width * 0.9, minimap!.y + minimap!.height * 0.9);
    const after = await settled(page);
    expect(after.zoom).toBeCloseTo(before.zoom);
    expect(Math.abs(after.x - before.x) + Math.abs(after.y - before.y)).toBeGreaterThan(50);
  });

  it('folds the inspector away for a wider canvas, and remembers it', { timeout: 60_000 }, async () => {
    const page = await session.page();
    await openBlankJourney(page);
    const wide = async () => (await page.locator('.react-flow').boundingBox())!.width;
    const withInspector = await wide();
    await expect.poll(() => page.getByTestId('inspector').count()).toBe(1);
    await page.getByTestId('inspector-toggle').click();
    await expect.poll(() => page.getByTestId('inspector').count()).toBe(0);
    await expect.poll(wide).toBeGreaterThan(withInspector + 250);
    await screenshotBothLanguages(page, 'canvas-06-inspector-folded');
    // Another journey, after a reload: still folded.
    await openBlankJourney(page);
    await page.reload();
    await page.waitForSelector('[data-testid=journey-list], .react-flow__pane');
    await openBlankJourney(page);
    expect(await page.getByTestId('inspector').count()).toBe(0);
    // A problem is fixed in the inspector: clicking one unfolds it, on its node.
    await drop(page, 'core.wait', 300, 200);
    await page.locator('[data-testid=problems] [data-problem]').first().click();
    await expect.poll(() => page.getByTestId('node-inspector').count()).toBe(1);
    await page.getByTestId('inspector-toggle').click();
    await expect.poll(() => page.getByTestId('inspector').count()).toBe(0);
    await page.getByTestId('inspector-toggle').click();
    await expect.poll(() => page.getByTestId('inspector').count()).toBe(1);
  });
});
