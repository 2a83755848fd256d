// events.ingest over real HTTP: the fast path answers what tRPC would, and hands tRPC everything
// else (credentials, malformed events, reused ids), which then answers as it always has.
import type { Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../auth/api-keys.ts';
import { createHarness, type Harness, listenOnLoopback } from '../trpc/harness.test-helper.ts';
import { createApp } from './app.ts';

let h: Harness;
let server: Server;
let base: string;
const cookies: Record<string, string> = {};

beforeEach(async () => {
  h = await createHarness();
  ({ server, base } = await listenOnLoopback(createApp({ db: h.db, editorDist: '/nonexistent', api: h.deps })));
  for (const role of ['operator', 'viewer']) {
    const login = await fetch(`${base}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: role, password: 'secret-password' }),
    });
    cookies[role] = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
  }
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await h.close();
});

/** A tRPC answer as JSON: read field by field in the expectations. */
// biome-ignore lint/suspicious/noExplicitAny: the expectations walk the JSON answer.
type Answer = Record<string, any>;

const event = (id: string, phone = '+8613800138000') => ({
  id,
  type: 'page.viewed',
  identities: { phone },
  occurredAt: '2026-12-06T10:00:00.000Z',
});

async function ingest(body: unknown, headers: Record<string, string> = { cookie: cookies.operator as string }) {
  const res = await fetch(`${base}/trpc/events.ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Answer };
}

/** The same call through tRPC itself (a batch call is never answered by the fast path). */
async function ingestThroughTrpc(body: unknown) {
  const res = await fetch(`${base}/trpc/events.ingest?batch=1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: cookies.operator as string },
    body: JSON.stringify({ 0: body }),
  });
  return { status: res.status, body: ((await res.json()) as Answer[])[0] };
}

const events = () => (h.db.sqlite.prepare('SELECT count(*) AS n FROM Event').get() as { n: number }).n;

describe('POST /trpc/events.ingest', () => {
  it('answers accepted and duplicate events exactly as tRPC does, storing each event once', async () => {
    const accepted = await ingest(event('fast-1'));
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({
      result: { data: { status: 'accepted', customerId: expect.any(String), delivered: 0, enrolled: 0 } },
    });
    const viaTrpc = await ingestThroughTrpc(event('fast-2', '+8613800138000'));
    expect(Object.keys(viaTrpc.body as object)).toEqual(['result']);
    expect(viaTrpc.body?.result.data).toEqual({ ...accepted.body.result.data });
    const again = await ingest(event('fast-1'));
    expect(again.body).toEqual((await ingestThroughTrpc(event('fast-1'))).body);
    expect(again.body.result.data.status).toBe('duplicate');
    expect(events()).toBe(2);
  });

  it('an id reused for another event: 409 from tRPC, nothing more stored', async () => {
    await ingest(event('fast-3'));
    const conflict = await ingest(event('fast-3', '+8613800138001'));
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.data).toMatchObject({ code: 'CONFLICT', path: 'events.ingest' });
    expect(conflict.body.error.message).toMatch(/already used for a different event/);
    expect(events()).toBe(1);
  });

  it('no credentials, a viewer, a key without the scope, a malformed event or body: tRPC answers as before', async () => {
    expect((await ingest(event('x1'), {})).status).toBe(401);
    expect((await ingest(event('x2'), { cookie: cookies.viewer as string })).status).toBe(403);
    const key = await createApiKey(h.db, { name: 'reports only', scopes: ['reports:read' as never] });
    expect((await ingest(event('x3'), { authorization: `Bearer ${key.key}` })).status).toBe(403);
    const malformed = await ingest({ ...event('x4'), occurredAt: 'yesterday' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.data.issues).toEqual([
      expect.objectContaining({ path: 'occurredAt', message: expect.stringContaining('ISO 8601') }),
    ]);
    expect((await ingest('{"id": "x5",')).status).toBe(400);
    expect(events()).toBe(0);
    // A key with the scope goes the fast way.
    const writer = await createApiKey(h.db, { name: '有赞', scopes: ['events:write'] });
    const byKey = await ingest(event('x6'), { authorization: `Bearer ${writer.key}` });
    expect(byKey.body.result.data.status).toBe('accepted');
    expect(h.db.sqlite.prepare("SELECT source FROM Event WHERE externalId = 'x6'").get()).toEqual({
      source: 'key:有赞',
    });
  });

  it('the same new id sent five times at once is stored once: one accepted, four duplicates, one customer', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => ingest(event('together-1', '+8613800138077'))));
    expect(answers.map((a) => a.body.result.data.status).sort()).toEqual([
      'accepted',
      'duplicate',
      'duplicate',
      'duplicate',
      'duplicate',
    ]);
    expect(new Set(answers.map((a) => a.body.result.data.customerId)).size).toBe(1);
    expect(events()).toBe(1);
    expect(
      h.db.sqlite.prepare("SELECT count(*) AS n FROM CustomerIdentity WHERE value = '+8613800138077'").get(),
    ).toEqual({
      n: 1,
    });
  });

  it('event data nested past the limit is refused by tRPC with a 400 naming the limit', async () => {
    let data: unknown = 'leaf';
    for (let i = 0; i < 200; i++) data = [data];
    const deep = await ingest({ ...event('deep-1'), data: { x: data } });
    expect(deep.status).toBe(400);
    expect(deep.body.error.data.error).toEqual({ key: 'common.inputTooDeep', params: { max: 64 } });
    expect(events()).toBe(0);
  });
});
