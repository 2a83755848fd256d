// The built editor against the real server (runtime main on a temp SQLite file) in Chromium.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const shots = join(root, 'test-output/screenshots');
const PORT = 3900 + Math.floor(Math.random() * 90);
let server: ChildProcess;
let dir = '';
let context: BrowserContext;

beforeAll(async () => {
  execFileSync('npx', ['vite', 'build'], { cwd: join(root, 'packages/editor'), stdio: 'pipe' });
  dir = mkdtempSync(join(tmpdir(), 'siyu-editor-server-'));
  server = spawn('npx', ['tsx', 'src/main.ts'], {
    cwd: join(root, 'packages/runtime'),
    env: {
      ...process.env,
      PORT: String(PORT),
      DATABASE_PATH: join(dir, 'siyu.db'),
      ADMIN_PASSWORD: 'secret123',
      LOG_LEVEL: 'warn',
      LOAD_EXAMPLES: 'false',
    },
    stdio: 'pipe',
  });
  for (let i = 0; i < 120; i++) {
    const ok = await fetch(`http://127.0.0.1:${PORT}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  mkdirSync(shots, { recursive: true });
  context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 180_000);

afterAll(async () => {
  await context?.close();
  server?.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('editor with the real server', () => {
  it('signs in, creates a journey, autosaves the draft to the server', { timeout: 120_000 }, async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`http://127.0.0.1:${PORT}/`);
    await page.waitForSelector('[data-testid=login]');
    await page.screenshot({ path: join(shots, 'editor-server-01-login.png') });
    await page.locator('input').nth(0).fill('admin');
    await page.locator('input').nth(1).fill('secret123');
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForSelector('[data-testid=journey-list]');
    await page.getByTestId('new-journey').click();
    await page.waitForSelector('.react-flow__pane');
    const first = await page.locator('.palette-item').first().getAttribute('data-node-type');
    expect(first).toBeTruthy();
    await page.dragAndDrop(`.palette-item[data-node-type="${first}"]`, '.react-flow__pane', {
      targetPosition: { x: 300, y: 300 },
    });
    await page.waitForTimeout(1_000); // the editor saves 250 ms after the last change
    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 10_000 }).toBe('已保存');
    await page.screenshot({ path: join(shots, 'editor-server-02-canvas.png') });
    // The draft is on the server: reopening the journey shows the node.
    await page.getByTestId('back').click();
    await page.locator('tbody tr').first().click();
    await page.waitForSelector('.react-flow__pane');
    await expect.poll(() => page.locator('[data-testid="journey-node"]').count()).toBe(1);
  });
});
