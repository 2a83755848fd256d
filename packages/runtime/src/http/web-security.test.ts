// Over real HTTP, because headers and redirects are the transport's job: security headers on every
// response, http(s)-only URLs in and out (channels, SMS tracked links), and the SMS callbacks'
// per-deployment token.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { createServerPackages } from '../node-packages/registry.ts';
import { addCustomer, createHarness, type Harness, listenOnLoopback } from '../trpc/harness.test-helper.ts';
import { createApp } from './app.ts';

let h: Harness;
let server: Server;
let base: string;
let editorDist: string;
beforeEach(async () => {
  h = await createHarness();
  editorDist = mkdtempSync(join(tmpdir(), 'siyu-dist-'));
  mkdirSync(join(editorDist, 'assets'));
  writeFileSync(join(editorDist, 'index.html'), '<!doctype html><script type="module" src="/assets/a.js"></script>');
  writeFileSync(join(editorDist, 'assets/a.js'), 'console.log(1)');
  const serverPackages = createServerPackages({
    db: h.db,
    clock: h.clock,
    logger: createLogger('silent'),
    sandbox: true,
  });
  const app = createApp({ db: h.db, editorDist, api: h.deps, serverPackages });
  ({ server, base } = await listenOnLoopback(app));
  h.deps.publicUrl = base;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await h.close();
  rmSync(editorDist, { recursive: true, force: true });
});

const get = (path: string) => fetch(`${base}${path}`, { redirect: 'manual' });
const insertLink = (code: string, url: string) =>
  h.db.sqlite
    .prepare(
      "INSERT INTO TrackedLink (code, messageKey, customerId, url, createdAt) VALUES (?, ?, 'a', ?, '2026-01-01')",
    )
    .run(code, `m-${code}`, url);

describe('security headers', () => {
  it('every kind of response carries a script-tight Content-Security-Policy and the usual headers', async () => {
    await addCustomer(h, 'a');
    insertLink('goodLink00000001', 'https://shop.example.cn/p');
    for (const path of [
      '/',
      '/journeys/123',
      '/assets/a.js',
      '/health',
      '/trpc/auth.me',
      '/webhooks/sms/link?c=goodLink00000001',
      '/webhooks/sms/link?c=nothing0',
      '/r/unknown',
    ]) {
      const res = await get(path);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).toContain("script-src-attr 'none'");
      expect(csp, path).toContain("object-src 'none'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(res.headers.get('x-powered-by'), path).toBeNull();
    }
  });
});

describe('URLs are http(s) only, on the way in and on the way out', () => {
  it('channel target URLs refuse javascript: and data:, naming the field', async () => {
    const op = h.as('operator');
    for (const targetUrl of ['javascript:alert(document.cookie)', 'data:text/html,<script>alert(1)</script>']) {
      const error = await op.channels
        .create({ name: '包裹卡', kind: 'packageCard', codes: [{ code: 'card-x', targetUrl }] })
        .then(
          () => undefined,
          (e: unknown) => e as { code?: string; cause?: { issues?: Array<{ path: unknown[] }> } },
        );
      expect(error?.code, targetUrl).toBe('BAD_REQUEST');
      expect(error?.cause?.issues?.[0]?.path).toEqual(['codes', 0, 'targetUrl']);
    }
    expect(await h.db.prisma.entryCode.count()).toBe(0);
  });

  it('/r/<code> never follows a stored javascript: target (written before the check existed)', async () => {
    const channel = await h
      .as('operator')
      .channels.create({ name: '海报', kind: 'storePoster', codes: [{ code: 'poster-1' }] });
    h.db.sqlite.prepare("UPDATE EntryCode SET targetUrl = 'javascript:alert(1)' WHERE channelId = ?").run(channel.id);
    const res = await get('/r/poster-1');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('http://localhost:3000/'); // the public URL's home page
  });

  it('SMS link: a 302, never a page with the URL in a script; a stored javascript: URL is refused', async () => {
    await addCustomer(h, 'a');
    const injected = 'https://shop.example.cn/p?q=</script><script>alert(document.cookie)</script>';
    insertLink('injected00000001', injected);
    insertLink('jsLink0000000001', 'javascript:alert(document.cookie)');
    const hit = await get('/webhooks/sms/link?c=injected00000001');
    expect(hit.status).toBe(302);
    expect(hit.headers.get('location')).toBe(new URL(injected).href);
    expect(await hit.text()).not.toMatch(/<script/i);
    const js = await get('/webhooks/sms/link?c=jsLink0000000001');
    expect(js.status).toBe(404);
    expect(js.headers.get('location')).toBeNull();
    expect(await js.text()).not.toContain('javascript:');
    const clicks = await h.db.prisma.event.findMany({ where: { type: 'link.clicked' } });
    expect(clicks.map((e) => JSON.parse(e.data).code)).toEqual(['injected00000001']);
  });
});

describe('SMS callback token', () => {
  it('admins read the callback URLs (with the token); operators and viewers may not', async () => {
    const { urls } = await h.as('admin').callbacks.urls();
    const aliyunReplies = urls.find((u) => u.provider === 'aliyun' && u.kind === 'replies');
    expect(aliyunReplies?.url).toMatch(new RegExp(`^${base}/webhooks/sms/aliyun/replies\\?token=[A-Za-z0-9_-]{43}$`));
    expect(urls.filter((u) => u.tokenized)).toHaveLength(4);
    for (const role of ['operator', 'viewer'] as const) {
      await expect(h.as(role).callbacks.urls()).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(h.as(role).callbacks.rotateToken()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    await expect(h.as(null).callbacks.urls()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('a forged opt-out is refused; rotating the token retires the old URL at once', async () => {
    await addCustomer(h, 'a', { phone: '+8613800138000' });
    const reply = (url: string, seq: number) =>
      fetch(url, {
        method: 'POST',
        body: JSON.stringify([
          { phone_number: '13800138000', content: 'R', send_time: '2026-11-23 10:00:00', sequence_id: seq },
        ]),
      });
    const urlOf = (urls: Array<{ provider: string; kind: string; url: string }>) =>
      urls.find((u) => u.provider === 'aliyun' && u.kind === 'replies')?.url ?? '';
    const forged = await reply(`${base}/webhooks/sms/aliyun/replies`, 1);
    expect(forged.status).toBe(401);
    expect(await h.db.prisma.optOut.count()).toBe(0);

    const before = urlOf((await h.as('admin').callbacks.urls()).urls);
    const after = urlOf((await h.as('admin').callbacks.rotateToken()).urls);
    expect(after).not.toBe(before);
    expect(urlOf((await h.as('admin').callbacks.urls()).urls)).toBe(after);
    expect((await reply(before, 2)).status).toBe(401);
    expect(await h.db.prisma.optOut.count()).toBe(0);
    expect((await reply(after, 3)).status).toBe(200);
    expect(await h.db.prisma.optOut.count()).toBe(1);
  });
});
