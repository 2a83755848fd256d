// Property-based fuzzing of everything the server accepts from outside: every tRPC procedure
// (discovered from the router, so a new procedure is fuzzed without touching this file) and every
// webhook route of the shipped node packages, each input sent over real HTTP to the real app on
// SQLite. Properties: never a 5xx, no stack trace, a rejected input changes no row, the server stays up, and the
// database passes SQLite's integrity and foreign-key checks at the end.
//
// FUZZ_RUNS scales the runs per procedure (default 30); FUZZ_SEED picks the seed (default fixed,
// so CI is deterministic; set FUZZ_SEED=random to explore).
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import type { Statement } from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { createServerPackages } from '../node-packages/registry.ts';
import { addCustomer, createHarness, type Harness, listenOnLoopback } from '../trpc/harness.test-helper.ts';
import { appRouter } from '../trpc/router.ts';
import { createApp } from './app.ts';
import { hostileJson, inputsFor, toJson } from './zod-arbitrary.test-helper.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 30);
const SEED = process.env.FUZZ_SEED === 'random' ? Date.now() : Number(process.env.FUZZ_SEED ?? 20261206);
/** Would end the fuzzing session itself; logout is covered by app.test.ts. */
const SKIP = new Set(['auth.logout']);
/**
 * Tables a rejected request may still write to: security records of the rejection itself (failed
 * logins, rate limits, audit entries), by name, so such a table added later does not fail this test.
 */
const MAY_CHANGE_ON_REJECT = /audit|attempt|throttl|rate_?limit|login/i;

let h: Harness;
let server: Server;
let base: string;
let cookie: string;
let tried = 0;
const statuses: Record<number, number> = {};
let webhookRoutes: { method: 'GET' | 'POST'; url: string }[] = [];
const ids: string[] = ['c1', 'c2'];

beforeAll(async () => {
  h = await createHarness({ nodes: 'product' });
  const serverPackages = createServerPackages({ db: h.db, clock: h.clock, logger: createLogger('silent') });
  const app = createApp({ db: h.db, editorDist: '/nonexistent', api: h.deps, serverPackages });
  ({ server, base } = await listenOnLoopback(app));
  webhookRoutes = serverPackages.flatMap((p) =>
    (p.webhooks ?? []).map((r) => ({
      method: r.method === 'GET' ? ('GET' as const) : ('POST' as const),
      url: `/webhooks/${p.name}${r.path.startsWith('/') ? r.path : `/${r.path}`}`,
    })),
  );
  const login = await fetch(`${base}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'secret-password' }),
  });
  cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
  // Rows for lookups to find: customers, a journey, a segment, an operator.
  await addCustomer(h, 'c1', { phone: '+8613800138000', tags: ['vip'] });
  await addCustomer(h, 'c2');
  const op = h.as('admin');
  const journey = await op.journeys.create({ name: '模糊测试 fuzz' });
  const segment = await op.audiences.saveSegment({ name: 'vip', filter: { match: 'all', conditions: [] } });
  // Not the admin's own id: disabling the fuzzing session would turn every later input into a 401.
  const viewer = h.principals.viewer as { id: string };
  ids.push(journey.id, segment.id, viewer.id);
}, 60_000);

afterAll(async () => {
  console.log(
    `fuzz: ${tried} inputs tried (seed ${SEED}, ${RUNS} runs per procedure), statuses ${JSON.stringify(statuses)}`,
  );
  await new Promise((resolve) => server?.close(resolve));
  await h?.close();
});

/** The tables a rejected request must not change, each with its SELECT prepared once. */
let readers: { name: string; select: Statement }[] | undefined;
function tableReaders(): { name: string; select: Statement }[] {
  readers ??= (
    h.db.sqlite
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_prisma%'",
      )
      .all() as { name: string }[]
  )
    .filter(({ name }) => !MAY_CHANGE_ON_REJECT.test(name))
    .map(({ name }) => ({ name, select: h.db.sqlite.prepare(`SELECT * FROM "${name}" ORDER BY rowid`) }));
  return readers;
}

/**
 * Every table's rows, as a digest per table: a rejected input must leave them all as they were
 * (not only the counts: a half-applied update changes a row in place).
 */
function tableDigests(): Record<string, string> {
  const digests: Record<string, string> = {};
  for (const { name, select } of tableReaders()) {
    const hash = createHash('sha1');
    for (const row of select.raw().iterate()) {
      hash.update(JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
    }
    digests[name] = hash.digest('hex');
  }
  return digests;
}

/** Sends one input and checks the properties (no 5xx, no stack, a rejected input writes nothing). */
async function check(send: () => Promise<Response>): Promise<void> {
  tried++;
  const before = tableDigests();
  const res = await send();
  statuses[res.status] = (statuses[res.status] ?? 0) + 1;
  const text = await res.text();
  expect(res.status, text.slice(0, 500)).toBeLessThan(500);
  expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
  if (res.status >= 400) expect(tableDigests()).toEqual(before);
}

function callProcedure(path: string, type: string, input: unknown): Promise<Response> {
  const headers: Record<string, string> = { cookie };
  if (type === 'query') {
    const query = input === undefined ? '' : `?input=${encodeURIComponent(toJson(input) ?? '')}`;
    return fetch(`${base}/trpc/${path}${query}`, { headers });
  }
  return fetch(`${base}/trpc/${path}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: input === undefined ? undefined : toJson(input),
  });
}

const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { type: string; inputs: unknown[] } }>,
).filter(([path]) => !SKIP.has(path));

describe('fuzz: tRPC procedures over HTTP', () => {
  it('discovers the procedures from the router', () => {
    expect(procedures.length).toBeGreaterThan(50);
    expect(procedures.map(([p]) => p)).toContain('events.ingest');
  });

  it.each(procedures.map(([path, p]) => [path, p._def.type, p._def.inputs] as const))(
    '%s (%s)',
    async (path, type, inputs) => {
      await fc.assert(
        fc.asyncProperty(inputsFor(inputs, { ids }), (input) => check(() => callProcedure(path, type, input))),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    },
    60_000,
  );
});

/** Bodies a provider callback might get: JSON, XML (WeCom), form posts, garbage, and huge ones. */
const bodies = fc.oneof(
  hostileJson.map((v) => ({ type: 'application/json', body: toJson(v) ?? '' })),
  fc
    .string({ maxLength: 200 })
    .map((s) => ({ type: 'text/xml', body: `<xml><ToUserName>${s}</ToUserName><Encrypt>${s}</Encrypt></xml>` })),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 20 })).map((d) => ({
    type: 'application/x-www-form-urlencoded',
    body: new URLSearchParams(d).toString(),
  })),
  fc.string({ maxLength: 300 }).map((s) => ({ type: 'text/plain', body: s })),
  fc
    .uint8Array({ maxLength: 300 })
    .map((b) => ({ type: 'application/octet-stream', body: Buffer.from(b).toString('latin1') })),
);
const queries = fc.dictionary(
  fc.constantFrom('c', 'echostr', 'msg_signature', 'timestamp', 'nonce', 'x'),
  fc.string({ maxLength: 30 }),
);

describe('fuzz: webhooks over HTTP', () => {
  it('finds the shipped webhook routes', () => {
    expect(webhookRoutes.length).toBeGreaterThan(3);
  });

  it('never answers 5xx, for any body, query or header', async () => {
    for (const route of webhookRoutes) {
      await fc.assert(
        fc.asyncProperty(bodies, queries, fc.constantFrom('', 'x', 'sha256=00'), (body, query, signature) =>
          check(() =>
            fetch(`${base}${route.url}?${new URLSearchParams(query)}`, {
              method: route.method,
              headers: { 'content-type': body.type, 'x-signature': signature, 'wechatpay-signature': signature },
              body: route.method === 'GET' ? undefined : body.body,
            }),
          ),
        ),
        { numRuns: RUNS * 3, seed: SEED, endOnFailure: true },
      );
    }
  }, 120_000);
});

describe('fuzz: afterwards', () => {
  it('the server is up and the database intact', async () => {
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect(h.db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(h.db.sqlite.pragma('foreign_key_check')).toEqual([]);
    expect(tried).toBeGreaterThan(procedures.length * RUNS * 0.9);
  });
});
