import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createEffectCalls,
  type EffectCalls,
  memoryExtensionStorage,
  PermanentError,
  RetryableError,
} from '@siyu/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhook } from '../webhook.ts';
import type { CoreServerDeps } from './deps.ts';
import { signWebhook, webhookExecutor } from './webhook-executor.ts';

/** A receiver written the way a brand's developer would: checks the signature, dedupes by key. */
interface Received {
  path: string;
  idempotencyKey: string;
  body: Record<string, unknown>;
}
let server: Server;
let base = '';
const received: Received[] = [];
const seenKeys = new Set<string>();
/** Every request that reached the receiver, duplicates included. */
const requests: string[] = [];
const SECRET = 's3cret-for-tests';

function handle(req: IncomingMessage, res: ServerResponse, body: string) {
  requests.push(`${req.url} ${String(req.headers['idempotency-key'])}`);
  const timestamp = String(req.headers['x-siyu-timestamp']);
  if (req.headers['x-siyu-signature'] !== signWebhook(SECRET, timestamp, body)) {
    res.writeHead(401).end('bad signature');
    return;
  }
  const key = String(req.headers['idempotency-key']);
  if (req.url === '/ok') {
    if (!seenKeys.has(key)) received.push({ path: req.url, idempotencyKey: key, body: JSON.parse(body) });
    seenKeys.add(key);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  } else if (req.url === '/busy') res.writeHead(503, { 'retry-after': '30' }).end('busy');
  else if (req.url === '/slow') setTimeout(() => res.writeHead(200).end(), 3000);
  else res.writeHead(422).end('unknown member');
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => handle(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

/** Each run gets its own effect records unless a test shares them (a re-run of the same step). */
const freshEffects = () => createEffectCalls(memoryExtensionStorage(), () => Date.now());

const deps = (secret: string | undefined, effects: EffectCalls = freshEffects()): CoreServerDeps => ({
  customers: { updateTags: async () => {}, updateAttributesOnce: async () => ({}) },
  staffTasks: { create: async () => ({ created: true }) },
  effects,
  webhooks: { secret: (name) => (name === 'default' ? secret : undefined) },
  // These tests sign with the environment's secret; stored credentials: runtime/src/credentials.
  credentials: {
    get: () => Promise.reject(new Error('no stored credentials in these tests')),
  },
});

const run = (
  path: string,
  options: { secret?: string; timeoutSeconds?: number; attempt?: number; effects?: EffectCalls } = {},
) =>
  webhookExecutor(deps('secret' in options ? options.secret : SECRET, options.effects)).run({
    config: webhook.config.parse({
      url: `${base}${path}`,
      payload: { campaign: '双11' },
      timeoutSeconds: options.timeoutSeconds ?? 5,
    }),
    customer: { id: 'c1', tags: ['VIP'], attributes: { city: '上海' }, identities: { phone: '+8613800138000' } },
    idempotencyKey: '7:hook:1',
    attempt: options.attempt ?? 1,
    journey: { id: 'j1', versionId: 'j1-v1' },
    instanceId: '7',
    nodeId: 'hook',
    now: new Date('2026-11-11T00:00:00Z'),
    signal: new AbortController().signal,
  });

describe('core.webhook executor over real HTTP', () => {
  it('sends a signed request the receiver verifies, with the customer and payload, once per key', async () => {
    expect(await run('/ok')).toMatchObject({ port: 'ok', data: { status: 200 } });
    // A retry of the same step carries the same idempotency key; the receiver dedupes it.
    expect(await run('/ok', { attempt: 2 })).toMatchObject({ port: 'ok' });
    expect(received).toHaveLength(1);
    expect(received[0]?.idempotencyKey).toBe('7:hook:1');
    expect(received[0]?.body).toMatchObject({
      journey: { id: 'j1' },
      customer: { id: 'c1', tags: ['VIP'], attributes: { city: '上海' } },
      data: { campaign: '双11' },
    });
  });

  it('a re-run of a step whose call was answered returns that answer and does not call again', async () => {
    // The step's effect records survive the process (the runtime keeps them in SQLite): a crash
    // after the receiver answered, before the engine stored the outcome, re-runs the step.
    const effects = freshEffects();
    const before = requests.length;
    const first = await run('/ok', { effects });
    expect(first).toMatchObject({ port: 'ok', data: { status: 200 } });
    const again = await run('/ok', { effects, attempt: 2 });
    expect(again).toEqual({ port: 'ok', data: { ...first.data, replayed: true } });
    expect(requests.slice(before)).toEqual(['/ok 7:hook:1']);
    // A refused call is not recorded as done: the next attempt calls again.
    const busy = freshEffects();
    await expect(run('/busy', { effects: busy })).rejects.toThrow(RetryableError);
    await expect(run('/busy', { effects: busy, attempt: 2 })).rejects.toThrow(RetryableError);
    expect(requests.slice(before)).toEqual(['/ok 7:hook:1', '/busy 7:hook:1', '/busy 7:hook:1']);
  });

  it('a wrong secret is refused by the receiver and is a permanent failure (4xx)', async () => {
    await expect(run('/ok', { secret: 'wrong' })).rejects.toThrow(PermanentError);
  });

  it('5xx is retryable and honours Retry-After; 4xx is permanent; a timeout is retryable', async () => {
    const busy = await run('/busy').catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(RetryableError);
    expect((busy as RetryableError).retryAfterMs).toBe(30_000);
    const rejected = await run('/nope').catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(PermanentError);
    expect((rejected as PermanentError).code).toBe('http422');
    expect((rejected as Error).message).toContain('unknown member');
    const slow = await run('/slow', { timeoutSeconds: 1 }).catch((e: unknown) => e);
    expect(slow).toBeInstanceOf(RetryableError);
    expect((slow as Error).message).toContain('timed out after 1s');
  });

  it('a call that got no answer keeps its claim, so the retry is a resend with the same key', async () => {
    const storage = memoryExtensionStorage();
    const effects = createEffectCalls(storage, () => Date.now());
    const slow = await run('/slow', { timeoutSeconds: 1, effects }).catch((e: unknown) => e);
    expect(slow).toBeInstanceOf(RetryableError);
    // The receiver may have acted on it: the claim is not dropped as for a refused call (5xx).
    expect(storage.keys()).toEqual(['7:hook:1']);
    const busy = memoryExtensionStorage();
    await run('/busy', { effects: createEffectCalls(busy, () => Date.now()) }).catch(() => undefined);
    expect(busy.keys()).toEqual([]);
  });

  it('without a configured secret it fails permanently and names the variable to set', async () => {
    await expect(run('/ok', { secret: undefined })).rejects.toThrow(/WEBHOOK_SECRET/);
  });
});
