// What the editor benchmark does in the browser: create the journey through the API, open it from
// the journey list and time it with performance marks, drag a node while recording frames.
import { createNodeRegistryForRuntime } from '@siyu/runtime';
import type { BrowserContext, Page } from 'playwright-core';
import { ADMIN_PASSWORD } from '../real-server.ts';
import { branchingJourney } from './branching-journey.ts';
import { frameTimesDuring } from './frame-times.ts';

/** Set by the editor once an opened journey's fitted view has painted (use-readable-fit.ts). */
const RENDERED_MARK = 'journey-rendered';
/** Set by the bench's init script at the click on a journey's row, with the click's own timestamp. */
const CLICK_MARK = 'bench:open-click';
export const DRAG_MOVES = 60;

/** Resolves when the page next sets the editor's rendered mark. */
export type RenderedSignal = () => Promise<void>;

/**
 * Marks clicks on journey rows and has the page report the editor's rendered mark itself: polling
 * for the mark from here would run the bench's own scripts in the page while it is being timed.
 */
export async function watchOpenMarks(context: BrowserContext): Promise<RenderedSignal> {
  let onRendered = () => {};
  await context.exposeBinding('__benchRendered', () => onRendered());
  await context.addInitScript({
    content: `document.addEventListener('click', (e) => {
      if (e.target instanceof Element && e.target.closest('[data-testid=journey-row]'))
        performance.mark('${CLICK_MARK}', { startTime: e.timeStamp });
    }, true);
    new PerformanceObserver((list) => {
      if (list.getEntriesByName('${RENDERED_MARK}').length > 0) window.__benchRendered();
    }).observe({ type: 'mark' });`,
  });
  return () =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no '${RENDERED_MARK}' mark within 60 s`)), 60_000);
      onRendered = () => {
        clearTimeout(timer);
        resolve();
      };
    });
}

/** Signs in and creates the journey as the editor would: a new journey, then its draft saved. */
export async function createJourney(context: BrowserContext, base: string, nodes: number): Promise<string> {
  const call = async (path: string, data: unknown) => {
    const res = await context.request.post(`${base}/trpc/${path}`, { data });
    if (!res.ok()) throw new Error(`${path}: HTTP ${res.status()} ${await res.text()}`);
    return ((await res.json()) as { result: { data: Record<string, unknown> } }).result.data;
  };
  // The API request context shares the browser's cookies: the page is signed in too.
  await call('auth.login', { username: 'admin', password: ADMIN_PASSWORD });
  const graph = branchingJourney(createNodeRegistryForRuntime(), nodes);
  const created = await call('journeys.create', { name: `性能基准 ${nodes} 节点` });
  await call('journeys.updateDraft', { id: created.id, expectedRevision: created.draftRevision, draft: graph });
  return String(created.id);
}

/**
 * Reloads the journey list and opens the journey: the click-to-rendered time in ms, and how much of
 * it the journey's request took (click to the last byte of `journeys.get`). `around` wraps the click
 * and the wait (a trace, a profile). Checks that the canvas holds all `nodes` (the minimap draws
 * every node; the canvas itself only those on screen).
 */
export async function openJourney(
  page: Page,
  open: { base: string; journeyId: string; nodes: number; rendered: RenderedSignal },
  around: (open: () => Promise<void>) => Promise<unknown> = (action) => action(),
): Promise<{ openMs: number; requestMs: number }> {
  await page.goto(`${open.base}/`);
  const row = page.locator(`[data-testid=journey-row][data-journey-id="${open.journeyId}"]`);
  await row.waitFor();
  await around(async () => {
    const rendered = open.rendered();
    await row.click();
    await rendered;
  });
  const onCanvas = Number(await page.evaluate('document.querySelectorAll(".react-flow__minimap-node").length'));
  if (onCanvas !== open.nodes) throw new Error(`the minimap shows ${onCanvas} nodes, not ${open.nodes}`);
  // Strings, not functions: this package's TypeScript has no DOM types.
  const [openMs, requestMs] = (await page.evaluate(`(() => {
    const click = performance.getEntriesByName('${CLICK_MARK}')[0].startTime;
    const get = performance.getEntriesByType('resource').find((r) => r.name.includes('/trpc/journeys.get'));
    return [performance.measure('open', '${CLICK_MARK}', '${RENDERED_MARK}').duration, get ? get.responseEnd - click : NaN];
  })()`)) as [number, number];
  return { openMs, requestMs };
}

/**
 * Drags the first node card on screen by `DRAG_MOVES` mouse moves: the frame gaps meanwhile. Throws
 * unless the card followed the mouse and the editor saved the draft. `around` wraps the drag.
 */
export async function dragNode(
  page: Page,
  around: (drag: () => Promise<void>) => Promise<unknown> = (action) => action(),
): Promise<number[]> {
  const card = page.locator('[data-testid="journey-node"]').first();
  const nodeId = await card.getAttribute('data-node-id');
  const head = await card.locator('.jn-head').boundingBox();
  if (!nodeId || !head) throw new Error('no node card on screen to drag');
  const start = { x: head.x + 20, y: head.y + 10 };
  const step = { x: 5, y: 2 };
  // The editor saves the moved node a moment after the drag: the next run opens the saved draft,
  // and no save is still on its way when the bench reloads the page.
  const saved = page.waitForResponse((r) => r.url().includes('/trpc/journeys.updateDraft'), { timeout: 30_000 });
  const { gaps } = await frameTimesDuring(page, () =>
    around(async () => {
      await page.mouse.move(start.x, start.y);
      await page.mouse.down();
      for (let i = 1; i <= DRAG_MOVES; i++) await page.mouse.move(start.x + i * step.x, start.y + i * step.y);
      await page.mouse.up();
    }),
  );
  const after = await page.locator(`[data-testid="journey-node"][data-node-id="${nodeId}"] .jn-head`).boundingBox();
  const moved = after ? after.x - head.x : 0;
  if (Math.abs(moved - DRAG_MOVES * step.x) > 10) throw new Error(`the dragged node moved ${moved} px`);
  const save = await saved;
  if (!save.ok()) throw new Error(`saving the dragged node: HTTP ${save.status()}`);
  return gaps;
}
