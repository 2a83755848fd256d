// Browser test: an editor build whose node packages clash (a package reusing the core type
// core.wait) shows a readable error screen naming the type, both packages and their folders,
// instead of a blank page with the reason only in the console.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumOptions, root, shots } from './real-server.ts';

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
let out = '';
let server: Server;
let base = '';
let browser: Browser;

beforeAll(async () => {
  // Its own output folder: the other browser tests share packages/editor/dist.
  out = mkdtempSync(join(tmpdir(), 'siyu-clash-build-'));
  execFileSync('npx', ['vite', 'build', '--mode', 'e2e-clash', '--outDir', out, '--emptyOutDir'], {
    cwd: join(root, 'packages/editor'),
    stdio: 'pipe',
  });
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = path === '/' || !extname(path) ? 'index.html' : path.slice(1);
    let body: Buffer;
    try {
      body = readFileSync(join(out, file));
    } catch {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await chromium.launch(chromiumOptions);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  if (out) rmSync(out, { recursive: true, force: true });
});

describe('editor boot with clashing node packages', () => {
  it('shows which type clashes between which packages, in Chinese and in English', { timeout: 60_000 }, async () => {
    const page = await browser.newPage();
    await page.goto(base);
    const screen = page.getByTestId('boot-error');
    await expect.poll(() => screen.isVisible(), { timeout: 15_000 }).toBe(true);
    const zh = await screen.textContent();
    expect(zh).toContain('编辑器无法启动');
    expect(zh).toContain(
      '节点类型 core.wait 被多个节点包同时定义：「core」（packages/nodes/core）、「brand」（model/clash-fixture.test-helper.ts）',
    );
    await page.screenshot({ path: join(shots, 'boot-error-01-zh.png') });
    await page.getByRole('button', { name: 'EN' }).click();
    expect(await screen.textContent()).toContain('The node type core.wait is defined by more than one package');
    // Nothing left in Chinese but the 中文 switch.
    expect((await screen.textContent())?.replace('中文', '')).not.toMatch(/[\u4e00-\u9fff]/);
    // The page's language follows (styles.css puts Latin fonts first for it).
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.screenshot({ path: join(shots, 'boot-error-02-en.png') });
    await page.close();
  });
});
