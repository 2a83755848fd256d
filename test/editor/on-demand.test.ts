// Code the first screen does not show loads when it is needed, in Chromium against the real server
// and its CSP: the journey list and canvas come up without ELK, reports or channels code; auto
// layout fetches ELK and runs it in a worker served from our origin (the CSP forbids blob: workers);
// the channel report and the channels page load their chunks on the way in. No CSP violations.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openNav } from './antd-helpers.ts';
import { serverAndBrowserForFile, signInToEditor } from './editor-session.ts';
import { shots, watchCspViolations } from './real-server.ts';

const session = serverAndBrowserForFile('on-demand');

/** The JavaScript files the page has requested so far, by file name. */
function recordScripts(page: Page): string[] {
  const scripts: string[] = [];
  page.on('request', (request) => {
    const name = new URL(request.url()).pathname.split('/').pop() ?? '';
    if (name.endsWith('.js')) scripts.push(name);
  });
  return scripts;
}

/** Each node's position as React Flow draws it (its transform), in node order. */
const nodePositions = (page: Page) =>
  page
    .locator('.react-flow__node')
    .evaluateAll((nodes) => nodes.map((n) => (n as { style: { transform: string } }).style.transform));

describe('code loaded on demand', () => {
  it('loads ELK on auto-layout and the report and channel pages when opened, within the CSP', {
    timeout: 120_000,
  }, async () => {
    const violations = await watchCspViolations(session.context);
    const page = await session.page();
    const scripts = recordScripts(page);
    await signInToEditor(page, session.real.base);
    await page.getByTestId('new-journey').click();
    await page.waitForSelector('.react-flow__pane');
    const onDemand = /^(elk-|ReportsPage-|ChannelsPage-)/;
    expect(scripts.filter((s) => onDemand.test(s))).toEqual([]);

    // Two nodes dropped on one spot: ELK moves them apart, off the main thread.
    const types = await page
      .locator('.palette-item')
      .evaluateAll((items) => items.slice(0, 2).map((i) => i.getAttribute('data-node-type')));
    for (const [i, type] of types.entries()) {
      await page.dragAndDrop(`.palette-item[data-node-type="${type}"]`, '.react-flow__pane', {
        targetPosition: { x: 300 + i * 10, y: 300 },
      });
    }
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(2);
    const dropped = await nodePositions(page);
    await page.getByTestId('layout').click();
    await expect.poll(() => nodePositions(page), { timeout: 20_000 }).not.toEqual(dropped);
    expect(scripts.some((s) => s.startsWith('elk-worker'))).toBe(true);
    await page.screenshot({ path: join(shots, 'on-demand-01-layout.png') });

    // The channel report (recharts) and the channels page arrive with their own chunks.
    await page.goto(`${session.real.base}/#/reports/channels`);
    await page.waitForSelector('[data-testid=report-title]');
    expect(scripts.some((s) => s.startsWith('ReportsPage-'))).toBe(true);
    await page.getByTestId('report-back').click();
    await page.waitForSelector('[data-testid=journey-list]');
    await openNav(page, 'channels');
    await page.waitForSelector('[data-testid=channels-page]');
    expect(scripts.some((s) => s.startsWith('ChannelsPage-'))).toBe(true);
    expect(violations).toEqual([]);
  });
});
