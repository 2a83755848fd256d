// Bad input over real HTTP: every answer is a 4xx naming the problem, with a request id and no
// stack trace or file path, and nothing is half-written.
import type { Server } from 'node:http';
import type { ServerNodePackage } from '@siyu/shared';
import { strToU8, zipSync } from 'fflate';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addCustomer, createHarness, type Harness, listenOnLoopback } from '../trpc/harness.test-helper.ts';
import { createApp } from './app.ts';

/** A webhook that always fails, to see what a server error looks like from outside. */
const brokenPackage: ServerNodePackage = {
  name: 'broken',
  executors: [],
  webhooks: [
    {
      method: 'POST',
      path: '/hook',
      async handle() {
        throw new Error(`boom at ${import.meta.filename}`);
      },
    },
  ],
};

let h: Harness;
let server: Server;
let base: string;
let cookie: string;
beforeEach(async () => {
  h = await createHarness();
  const app = createApp({ db: h.db, editorDist: '/nonexistent', api: h.deps, serverPackages: [brokenPackage] });
  ({ server, base } = await listenOnLoopback(app));
  const login = await post('auth.login', { username: 'admin', password: 'secret-password' });
  cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await h.close();
});

function post(path: string, input: unknown, headers: Record<string, string> = {}) {
  return fetch(`${base}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, ...headers },
    body: typeof input === 'string' ? input : JSON.stringify(input),
  });
}

/** No stack frames, no absolute paths of this machine, and the request id in header and body. */
async function expectClean(res: Response): Promise<string> {
  const text = await res.text();
  expect(text).not.toMatch(/\bat .*\(.*:\d+:\d+\)|\.ts:\d+|node_modules|\/work\/|\/tmp\//);
  const id = res.headers.get('x-request-id');
  expect(id).toMatch(/^req_[0-9a-f-]{36}$/);
  expect(text).toContain(id);
  return text;
}

const count = (table: string) => (h.db.sqlite.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;

describe('HTTP: bad input', () => {
  it('answers deeply nested event data with 400 naming the depth, not a stack overflow', async () => {
    await addCustomer(h, 'a');
    const deep = `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`;
    const event = (data: string) =>
      `{"id":"e-deep","type":"order.placed","customerId":"a","occurredAt":"2026-01-01T00:00:00Z","data":${data}}`;
    const res = await post('events.ingest', event(deep));
    expect(res.status).toBe(400);
    expect(await expectClean(res)).toMatch(/nests deeper than/);
    // 40 levels: within the request guard, past the event data limit (webhooks meet this one).
    const forty = `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`;
    const res40 = await post('events.ingest', event(forty));
    expect(res40.status).toBe(400);
    expect(await res40.text()).toMatch(/event data nests deeper than 32 levels/);
    expect(count('Event')).toBe(0);
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });

  it('treats the same event id with another payload as a conflict, the same payload as a duplicate', async () => {
    await addCustomer(h, 'a');
    const event = {
      id: 'shop-o-1',
      type: 'order.placed',
      customerId: 'a',
      occurredAt: '2026-01-01T00:00:00.000Z',
      data: { orderId: 'o-1', amount: 12.5 },
    };
    const first = await post('events.ingest', event);
    expect(((await first.json()) as { result: { data: { status: string } } }).result.data.status).toBe('accepted');
    const again = await post('events.ingest', { ...event, data: { amount: 12.5, orderId: 'o-1' } }); // key order
    expect(((await again.json()) as { result: { data: { status: string } } }).result.data.status).toBe('duplicate');
    const other = await post('events.ingest', { ...event, data: { orderId: 'o-1', amount: 99 } });
    expect(other.status).toBe(409);
    expect(await expectClean(other)).toMatch(/already used for a different event \(data differs\)/);
    const retyped = await post('events.ingest', { ...event, type: 'order.refunded' });
    expect(retyped.status).toBe(409);
    // A channel event is stored with the channel's attribution added to its data: a retry of it
    // is still a duplicate, not a conflict with what the server itself added.
    await h.as('operator').channels.create({ name: '包裹卡', kind: 'packageCard', codes: [{ code: 'pc-1' }] });
    const scan = {
      id: 'scan-1',
      type: 'qr.scanned',
      customerId: 'a',
      occurredAt: event.occurredAt,
      data: { code: 'pc-1' },
    };
    expect(
      ((await (await post('events.ingest', scan)).json()) as { result: { data: { status: string } } }).result.data
        .status,
    ).toBe('accepted');
    expect(
      ((await (await post('events.ingest', scan)).json()) as { result: { data: { status: string } } }).result.data
        .status,
    ).toBe('duplicate');
    const batch = await post('events.ingestBatch', { events: [{ ...event, occurredAt: '2026-02-01T00:00:00Z' }] });
    expect(((await batch.json()) as { result: { data: { conflict: number } } }).result.data.conflict).toBe(1);
    expect(count('Event')).toBe(2);
  });

  it('answers runs.enroll on an unknown journey with NOT_FOUND', async () => {
    await addCustomer(h, 'a');
    const res = await post('runs.enroll', { journeyId: 'no-such-journey', customerId: 'a' });
    expect(res.status).toBe(404);
    expect(await expectClean(res)).toMatch(/no-such-journey/);
    expect((await post('runs.enrollMany', { journeyId: 'nope', customerIds: ['a'] })).status).toBe(404);
    expect((await post('runs.enrollSegment', { journeyId: 'nope', filter: {} })).status).toBe(404);
  });

  it('answers an unreadable import with 400 naming the problem, writing nothing', async () => {
    const fake = Buffer.concat([Buffer.from('504b0304', 'hex'), Buffer.from('not really a zip '.repeat(100))]);
    const res = await post('audiences.import', { fileName: 'a.xlsx', contentBase64: fake.toString('base64') });
    expect(res.status).toBe(400);
    expect(await expectClean(res)).toMatch(/not a valid Excel \.xlsx file/);
    const zip = zipSync({ 'a.csv': strToU8('phone\n13800138000\n') });
    const noWorkbook = await post('audiences.import', {
      fileName: 'a.zip',
      contentBase64: Buffer.from(zip).toString('base64'),
    });
    expect(noWorkbook.status).toBe(400);
    // Not base64 at all: Node would decode it to nothing ("the file is empty"); the field is named.
    const notBase64 = await post('audiences.previewImport', { contentBase64: '手机号,姓名\n!!' });
    expect(notBase64.status).toBe(400);
    expect(await expectClean(notBase64)).toMatch(/contentBase64 must be the file encoded as base64/);
    expect(count('ImportBatch')).toBe(0);
    expect(count('Customer')).toBe(0);
  });

  it("previews an import with the operator's mapping and names a bad mapping, writing nothing", async () => {
    const csv = Buffer.from('Tel (mobile),Member\n13800000011,M-1\n').toString('base64');
    const preview = await post('audiences.previewImport', { contentBase64: csv, mapping: { 'Tel (mobile)': 'phone' } });
    expect(preview.status).toBe(200);
    const body = (await preview.json()) as {
      result: { data: { columns: { field: string }[]; identifiable: boolean } };
    };
    expect(body.result.data.columns.map((c) => c.field)).toEqual(['phone', 'attribute:Member']);
    expect(body.result.data.identifiable).toBe(true);
    const unknown = await post('audiences.import', {
      fileName: 'a.csv',
      contentBase64: csv,
      mapping: { Mobile: 'phone' },
    });
    expect(unknown.status).toBe(400);
    expect(await expectClean(unknown)).toMatch(/no column \\"Mobile\\"/);
    const badField = await post('audiences.import', {
      fileName: 'a.csv',
      contentBase64: csv,
      mapping: { Member: 'vip' },
    });
    expect(badField.status).toBe(400);
    expect(await expectClean(badField)).toMatch(/mapping/);
    expect(count('ImportBatch')).toBe(0);
    expect(count('Customer')).toBe(0);
  });

  it('limits bodies per route: small everywhere, large only for imports', async () => {
    await addCustomer(h, 'a');
    const big = { id: 'e-big', type: 'order.placed', customerId: 'a', occurredAt: new Date().toISOString() };
    const res = await post('events.ingest', { ...big, data: { blob: 'x'.repeat(3 * 1024 * 1024) } });
    expect(res.status).toBe(413);
    expect(await expectClean(res)).toMatch(/PAYLOAD_TOO_LARGE/);
    // A batch that mixes an import with another procedure gets the small limit too.
    const mixed = await fetch(`${base}/trpc/audiences.import,events.ingest?batch=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ 0: { fileName: 'a.csv', contentBase64: 'x'.repeat(3 * 1024 * 1024) }, 1: big }),
    });
    expect(mixed.status).toBe(413);
    // Only a signed-in caller may send a large body: tRPC reads it all before checking the caller.
    const anonymous = await post(
      'audiences.import',
      { fileName: 'a.csv', contentBase64: 'x'.repeat(3 * 1024 * 1024) },
      { cookie: '' },
    );
    expect(anonymous.status).toBe(413);
    const forged = await post(
      'audiences.import',
      { fileName: 'a.csv', contentBase64: 'x'.repeat(3 * 1024 * 1024) },
      { cookie: 'siyu_session=sess_forged' },
    );
    expect(forged.status).toBe(413);
    // The import itself still takes a multi-megabyte file.
    const csv = `手机号\n${Array.from({ length: 250_000 }, (_, i) => `139${String(i).padStart(8, '0')}`).join('\n')}`;
    const contentBase64 = Buffer.from(csv).toString('base64');
    expect(contentBase64.length).toBeGreaterThan(3 * 1024 * 1024);
    const ok = await post('audiences.import', { fileName: 'big.csv', contentBase64, mode: 'skipInvalid' });
    expect(ok.status).toBe(400); // past the 200,000-row cap: read, then refused by name
    expect(await ok.text()).toMatch(/more than 200000 rows/);
    expect(count('Event')).toBe(0);
  }, 60_000);

  it('refuses a body that is not the UTF-8 it claims to be with 400, storing nothing', async () => {
    const channels = count('Channel');
    const body = Buffer.concat([
      Buffer.from('{"name":"'),
      Buffer.from([0xb0, 0xfc, 0xb9, 0xfc]), // 包裹 in GBK, sent as if UTF-8
      Buffer.from('","kind":"smsLink","codes":[]}'),
    ]);
    const res = await fetch(`${base}/trpc/channels.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body,
    });
    expect(res.status).toBe(400);
    expect(await expectClean(res)).toMatch(/BAD_ENCODING.*not valid UTF-8/);
    expect(count('Channel')).toBe(channels);
    // The same name in UTF-8 is taken.
    const ok = await post('channels.create', { name: '包裹', kind: 'smsLink', codes: [] });
    expect(ok.status).toBe(200);
    expect(count('Channel')).toBe(channels + 1);
  });

  it('turns express errors (payload too large, malformed URL) into clean JSON 4xx', async () => {
    const tooLarge = await fetch(`${base}/webhooks/broken/hook`, { method: 'POST', body: 'x'.repeat(6 * 1024 * 1024) });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get('content-type')).toMatch(/json/);
    await expectClean(tooLarge);
    const malformed = await fetch(`${base}/r/%E0%A4%A`);
    expect(malformed.status).toBe(400);
    expect(await expectClean(malformed)).toMatch(/BAD_REQUEST/);
    // Nothing mounted there (an unknown provider, a retired callback path): JSON 404, not HTML.
    const unknown = await fetch(`${base}/webhooks/sms/aliyun/replies?token=x`, { method: 'POST', body: '[]' });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/json/);
    const text = await expectClean(unknown);
    expect(text).toMatch(/NOT_FOUND.*POST \/webhooks\/sms\/aliyun\/replies/);
    expect(text).not.toMatch(/token/); // the path only: a callback's query string is a secret
  });

  it('keeps stacks and paths out of tRPC errors and server errors, quoting a request id', async () => {
    const invalid = await post('journeys.create', { name: 5 });
    expect(invalid.status).toBe(400);
    const body = JSON.parse(await expectClean(invalid)) as { error: { data: { requestId: string; stack?: string } } };
    expect(body.error.data.stack).toBeUndefined();
    expect(body.error.data.requestId).toBe(invalid.headers.get('x-request-id'));
    // A caller's own plain request id is kept (for tracing across systems); a crafted one is not.
    const traced = await post('journeys.create', { name: 5 }, { 'x-request-id': 'shop-42' });
    expect(traced.headers.get('x-request-id')).toBe('shop-42');
    const crafted = await post('journeys.create', { name: 5 }, { 'x-request-id': 'a\tb'.repeat(40) });
    expect(crafted.headers.get('x-request-id')).toMatch(/^req_/);

    const failed = await fetch(`${base}/webhooks/broken/hook`, { method: 'POST', body: '{}' });
    expect(failed.status).toBe(500);
    expect(await expectClean(failed)).not.toMatch(/boom/);
  });

  it('logs the details of a server error under the request id it answered with', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const app = createApp({
      db: h.db,
      editorDist: '/nonexistent',
      api: h.deps,
      serverPackages: [brokenPackage],
      logger,
    });
    const { server: logged, base: loggedBase } = await listenOnLoopback(app);
    try {
      const res = await fetch(`${loggedBase}/webhooks/broken/hook`, { method: 'POST', body: '{}' });
      const id = res.headers.get('x-request-id') as string;
      const entries = lines.map(
        (l) => JSON.parse(l) as { requestId?: string; err?: { message: string; stack: string } },
      );
      const entry = entries.find((e) => e.requestId === id && e.err);
      expect(entry?.err?.message).toMatch(/^boom at /);
      expect(entry?.err?.stack).toMatch(/bad-input\.test\.ts/);
    } finally {
      await new Promise((resolve) => logged.close(resolve));
    }
  });
});
