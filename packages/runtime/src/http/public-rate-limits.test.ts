import type { Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness, listenOnLoopback } from '../trpc/harness.test-helper.ts';
import { createApp } from './app.ts';

let h: Harness;
let server: Server;
let base: string;
beforeEach(async () => {
  h = await createHarness();
  const app = createApp({
    db: h.db,
    editorDist: '/nonexistent',
    api: h.deps,
    trustProxy: 'loopback',
    publicRateLimits: { linksPerMinute: 5, webhooksPerMinute: 8 },
  });
  ({ server, base } = await listenOnLoopback(app));
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await h.close();
});

const from = (ip: string) => ({ 'x-forwarded-for': ip });

describe('public endpoint rate limits', () => {
  it('answers 429 with Retry-After past the per-address limit on tracked links', async () => {
    for (let i = 0; i < 5; i++)
      expect((await fetch(`${base}/r/nope`, { headers: from('203.0.113.1') })).status).toBe(404);
    const limited = await fetch(`${base}/r/nope`, { headers: from('203.0.113.1') });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.text()).toContain('请求过于频繁');
    // Another customer's phone is not affected.
    expect((await fetch(`${base}/r/nope`, { headers: from('203.0.113.2') })).status).toBe(404);
  });

  it('answers 429 in JSON past the per-address limit on webhooks, counted apart from links', async () => {
    const post = (ip: string) => fetch(`${base}/webhooks/none/x`, { method: 'POST', headers: from(ip), body: '{}' });
    for (let i = 0; i < 8; i++) expect((await post('198.51.100.9')).status).not.toBe(429);
    const limited = await post('198.51.100.9');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await limited.json()).toMatchObject({ code: 'RATE_LIMITED' });
    expect((await fetch(`${base}/r/nope`, { headers: from('198.51.100.9') })).status).toBe(404);
  });
});
