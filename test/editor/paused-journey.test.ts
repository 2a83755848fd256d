// A journey whose node package is missing, against the real server in Chromium: the engine pauses
// it by itself (a customer's timer comes due), the journey list says why in words, the canvas shows
// a banner, and resuming while the package is still missing pauses it again.
import { join } from 'node:path';
import { openDatabase } from '@siyu/runtime';
import { addCustomers, graphOf, publishJourney } from '@siyu/runtime/testing';
import { describe, expect, it } from 'vitest';
import { serverAndBrowserForFile, signInToEditor } from './editor-session.ts';
import { shots } from './real-server.ts';

const session = serverAndBrowserForFile('paused', {
  seed: async (dbPath) => {
    const db = await openDatabase(dbPath);
    const graph = graphOf(
      [
        ['start', 'core.apiEntry', {}],
        ['wait', 'core.wait', { duration: { amount: 1, unit: 'days' } }],
        ['spin', 'raffle.spin', {}],
      ],
      [
        ['start', 'next', 'wait'],
        ['wait', 'next', 'spin'],
      ],
    );
    const spin = graph.nodes[2];
    if (spin) spin.label = '幸运转盘';
    publishJourney(db.sqlite, 'j_raffle', graph);
    db.sqlite.prepare("UPDATE Journey SET name = '老客抽奖' WHERE id = 'j_raffle'").run();
    addCustomers(db.sqlite, 'c', 0, 1);
    // One customer waits a day at `wait` (published when the raffle package was installed); the day is over.
    const at = new Date().toISOString().replace('Z', '+00:00');
    const instance = db.sqlite
      .prepare(
        `INSERT INTO Instance (journeyId, versionId, customerId, status, holdout, snapshot, nodeId, waitingFor, enteredAt, updatedAt)
         VALUES ('j_raffle', 'j_raffle-v1', 'c0', 'active', 0, ?, 'wait', NULL, ?, ?)`,
      )
      .run(JSON.stringify({ s: { n_wait: 'awaiting' }, c: { v: { start: 1, wait: 1 }, at: 0 } }), at, at);
    db.sqlite
      .prepare('INSERT INTO Timer (instanceId, dueAt, key, createdAt) VALUES (?, ?, ?, ?)')
      .run(instance.lastInsertRowid, Date.now() - 1000, 'wait:1', at);
    await db.close();
  },
});

describe('a journey the engine paused', () => {
  it('shows why in the list and on the canvas, and pauses again if resumed unfixed', { timeout: 120_000 }, async () => {
    const page = await session.page();
    await signInToEditor(page, session.real.base);
    const note = page.getByTestId('paused-note');
    // The engine pauses the journey on its own tick: reload the list until the note is there.
    const noteShowsAfterReloads = () =>
      expect
        .poll(
          async () => {
            await page.reload();
            await page.waitForSelector('[data-testid=journey-list]');
            return note.count();
          },
          { timeout: 15_000 },
        )
        .toBe(1);
    await noteShowsAfterReloads();
    expect(await note.textContent()).toBe(
      '第 1 版中节点「幸运转盘」来自节点包「raffle」，但服务器上没有安装（或没有发现）这个包。',
    );
    expect(await page.locator('tbody tr .pill').first().textContent()).toBe('已暂停');
    await page.screenshot({ path: join(shots, 'editor-paused-01-list.png') });

    // A journey's row (antd's `ant-table-row`), not the empty-table placeholder shown while the list loads.
    await page.locator('tbody tr.ant-table-row').first().click();
    const banner = page.getByTestId('paused-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('旅程「老客抽奖」已自动暂停');
    expect(await banner.textContent()).not.toMatch(/j_raffle|raffle\.spin/);
    await page.screenshot({ path: join(shots, 'editor-paused-02-canvas.png') });
    // In English: only the journey's and node's own names are left in Chinese.
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await expect
      .poll(() => banner.textContent())
      .toContain('Install or fix the package and restart the server, then resume.');
    const bannerEn = (await banner.textContent()) ?? '';
    expect(bannerEn.replace(/老客抽奖|幸运转盘/g, '')).not.toMatch(/[\u4e00-\u9fff]/);
    await page.screenshot({ path: join(shots, 'editor-paused-02-canvas-en.png') });
    await page.getByRole('button', { name: '中文', exact: true }).click();
    await expect.poll(() => banner.textContent()).toContain('已自动暂停');

    // Resumed without installing the package: the engine pauses it again at once.
    await page.getByTestId('resume-journey').click();
    await expect.poll(() => banner.count()).toBe(0);
    await page.getByTestId('back').click();
    await noteShowsAfterReloads();
  });
});
