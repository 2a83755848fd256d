import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerNodePackage } from '@siyu/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../auth/api-keys.ts';
import { addCustomer, createHarness, type Harness, listenOnLoopback } from '../trpc/harness.test-helper.ts';
import { createApp } from './app.ts';

/**
 * A provider-style webhook: HMAC-SHA256 over the exact raw body in `x-signature`, answering in the
 * provider's format. Stands in for the node packages' real webhooks to test the mounting.
 */
const SECRET = 'webhook-secret';
const shopPackage: ServerNodePackage = {
  name: 'shop',
  executors: [],
  webhooks: [
    {
      method: 'POST',
      path: '/orders',
      async handle(req) {
        const expected = createHmac('sha256', SECRET).update(req.body).digest();
        const given = Buffer.from(req.headers['x-signature'] ?? '', 'hex');
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
          return {
            response: { status: 401, contentType: 'application/json', body: '{"code":"bad signature"}' },
            events: [],
          };
        }
        const order = JSON.parse(req.body) as { orderId: string; customerId: string };
        return {
          response: { status: 200, contentType: 'application/json', body: '{"code":"SUCCESS"}' },
          events: [
            {
              id: `shop-${order.orderId}`,
              type: 'order.placed',
              customerId: order.customerId,
              occurredAt: new Date(),
              data: order,
            },
          ],
        };
      },
    },
    {
      method: 'GET',
      path: '/verify',
      async handle(req) {
        return { response: { status: 200, contentType: 'text/plain', body: req.query.echostr ?? '' }, events: [] };
      },
    },
  ],
};

let h: Harness;
let server: Server;
let base: string;
beforeEach(async () => {
  h = await createHarness();
  const app = createApp({ db: h.db, editorDist: '/nonexistent', api: h.deps, serverPackages: [shopPackage] });
  ({ server, base } = await listenOnLoopback(app));
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await h.close();
});

const trpcGet = (path: string, input: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers });
const trpcPost = (path: string, input: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(input),
  });

describe('HTTP: auth', () => {
  it('answers 401 without credentials, logs in with a cookie, and enforces roles', async () => {
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await trpcGet('journeys.list', {})).status).toBe(401);
    expect((await trpcPost('auth.login', { username: 'viewer', password: 'wrong-password' })).status).toBe(401);

    const login = await trpcPost('auth.login', { username: 'viewer', password: 'secret-password' });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    expect(cookie).toMatch(/^siyu_session=sess_/);
    expect(login.headers.get('set-cookie')).toMatch(/HttpOnly/i);

    expect((await trpcGet('journeys.list', {}, { cookie })).status).toBe(200);
    const me = (await (await trpcGet('auth.me', undefined, { cookie })).json()) as {
      result: { data: { role: string } };
    };
    expect(me.result.data.role).toBe('viewer');
    expect((await trpcPost('journeys.create', { name: 'x' }, { cookie })).status).toBe(403);

    const bad = await trpcPost('journeys.create', { name: 5 }, { cookie: await loginCookie('operator') });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { data: { issues: { path: string }[] } } };
    expect(body.error.data.issues[0]?.path).toBe('name');

    await trpcPost('auth.logout', {}, { cookie });
    expect((await trpcGet('journeys.list', {}, { cookie })).status).toBe(401);
  });

  it('accepts API keys for ingestion only, and not once revoked', async () => {
    await addCustomer(h, 'a');
    const { id, key } = await createApiKey(h.db, { name: 'shop', scopes: ['events:write'] });
    const event = { id: 'e1', type: 'order.placed', customerId: 'a', occurredAt: new Date().toISOString() };
    const ok = await trpcPost('events.ingest', event, { authorization: `Bearer ${key}` });
    expect(ok.status).toBe(200);
    expect((await trpcPost('events.ingest', event, { 'x-api-key': key })).status).toBe(200);
    expect((await trpcGet('customers.search', {}, { authorization: `Bearer ${key}` })).status).toBe(403);
    expect((await trpcGet('customers.get', { id: 'a' }, { 'x-api-key': key })).status).toBe(403);
    await h.as('admin').apiKeys.revoke({ id });
    expect((await trpcPost('events.ingest', event, { authorization: `Bearer ${key}` })).status).toBe(401);
    expect((await trpcPost('events.ingest', event, { authorization: 'Bearer sk_made_up' })).status).toBe(401);
  });
});

describe('HTTP: editor', () => {
  it('serves the built editor with a history fallback, leaving the API alone', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'siyu-dist-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>编辑器</title>');
    const app = createApp({ db: h.db, editorDist: dist, api: h.deps });
    const { server: editor, base: url } = await listenOnLoopback(app);
    try {
      expect(await (await fetch(`${url}/journeys/j_123`)).text()).toContain('编辑器');
      expect((await fetch(`${url}/trpc/journeys.list`)).status).toBe(401);
    } finally {
      await new Promise((resolve) => editor.close(resolve));
      rmSync(dist, { recursive: true, force: true });
    }
  });
});

describe('HTTP: customer import', () => {
  it('accepts a multi-megabyte file from an import key and reports exact counts', async () => {
    const { key } = await createApiKey(h.db, { name: 'crm', scopes: ['customers:import'] });
    const lines = ['手机号,姓名,备注'];
    for (let i = 0; i < 50_000; i++) lines.push(`139${String(i).padStart(8, '0')},客户${i},${'备注'.repeat(10)}`);
    lines.push('not-a-phone,坏,');
    const contentBase64 = Buffer.from(lines.join('\n')).toString('base64');
    expect(contentBase64.length).toBeGreaterThan(3_000_000);
    const res = await trpcPost(
      'audiences.import',
      { fileName: 'crm.csv', contentBase64, mode: 'skipInvalid' },
      { 'x-api-key': key },
    );
    expect(res.status).toBe(200);
    const report = ((await res.json()) as { result: { data: Record<string, unknown> } }).result.data;
    expect(report).toMatchObject({ status: 'committed', created: 50_000, rejected: 1, totalRows: 50_001 });
    expect(report.problems).toEqual([
      {
        row: 50_002,
        code: 'phoneInvalid',
        column: '手机号',
        value: 'not-a-phone',
        reason: expect.stringContaining('not-a-phone'),
      },
    ]);
  }, 60_000);
});

async function loginCookie(username: string): Promise<string> {
  const res = await trpcPost('auth.login', { username, password: 'secret-password' });
  return (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
}

describe('HTTP: webhooks', () => {
  it('mounts package webhooks with the raw body, checks signatures and ingests events once', async () => {
    await addCustomer(h, 'a');
    // Exact bytes matter: spacing and key order would change a re-serialised body's signature.
    const body = '{"orderId":"o-1",  "customerId":"a","amount":12.5}';
    const sign = (b: string) => createHmac('sha256', SECRET).update(b).digest('hex');
    const post = (signature: string) =>
      fetch(`${base}/webhooks/shop/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-signature': signature },
        body,
      });
    const bad = await post(sign(`${body} `));
    expect(bad.status).toBe(401);
    const ok = await post(sign(body));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ code: 'SUCCESS' });
    expect((await post(sign(body))).status).toBe(200); // provider retry
    const events = await h.db.prisma.event.findMany();
    expect(events.map((e) => [e.externalId, e.source])).toEqual([['shop-o-1', 'webhook:shop']]);

    const verify = await fetch(`${base}/webhooks/shop/verify?echostr=abc123`);
    expect(await verify.text()).toBe('abc123');
  });
});

describe('HTTP: tracked redirect', () => {
  it('records the scan or click with channel and variant and redirects', async () => {
    await addCustomer(h, 'a');
    const op = h.as('operator');
    const card = await op.channels.create({
      name: '包裹卡',
      kind: 'packageCard',
      codes: [{ code: 'card-b', variant: 'B', targetUrl: 'https://shop.example.com/welcome' }],
    });
    await op.channels.create({
      name: '短信',
      kind: 'smsLink',
      codes: [{ code: 'sms-1', targetUrl: 'https://shop.example.com/sale' }],
    });
    const scan = await fetch(`${base}/r/card-b`, { redirect: 'manual' });
    expect(scan.status).toBe(302);
    expect(scan.headers.get('location')).toBe('https://shop.example.com/welcome');
    const click = await fetch(`${base}/r/sms-1?c=a`, { redirect: 'manual' });
    expect(click.headers.get('location')).toBe('https://shop.example.com/sale');
    const events = await h.db.prisma.event.findMany({ orderBy: { id: 'asc' } });
    // Anonymous scans are stored by the redirect itself, known customers' clicks by the engine:
    // both fill the entryCode column the channel reports group on.
    expect(
      events.map((e) => [e.type, e.customerId, JSON.parse(e.data).variant, JSON.parse(e.data).channelId, e.entryCode]),
    ).toEqual([
      ['qr.scanned', null, 'B', card.id, 'card-b'],
      ['link.clicked', 'a', 'default', expect.any(String), 'sms-1'],
    ]);
    expect((await fetch(`${base}/r/unknown`, { redirect: 'manual' })).status).toBe(404);
  });
});
