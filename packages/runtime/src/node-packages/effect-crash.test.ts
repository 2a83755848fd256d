// deps.effects.call across a real crash, because only a real SIGKILL proves exactly-once: the runtime is
// SIGKILLed while four calls are in flight at a local provider that takes each request and never answers.
// After the restart the open claims are settled: asked (the provider has it → no second call; it never got
// it → called again), called again with the same Idempotency-Key (the shipped core.webhook: the receiver
// de-duplicates), or parked for an operator when the provider cannot be asked.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database.ts';
import { type CrashChild, spawnCrashChild } from '../engine/crash-child.test-helper.ts';
import { resolveUnknownOutcome } from '../runs/unknown-outcomes.ts';

const child = fileURLToPath(new URL('./effect-crash-child.test-helper.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'siyu-effect-crash-'));
const dbPath = join(dir, 'effect.db');

/** The provider: every request it gets, what it accepted (by key), and whether it answers yet. */
const requests: string[] = [];
const accepted: string[] = [];
const hooks = new Set<string>();
let answering = false;
const held: ServerResponse[] = [];
let server: Server;
let base = '';

function handle(req: IncomingMessage, res: ServerResponse) {
  const key = String(req.headers['idempotency-key'] ?? '');
  const [, where, what, id] = (req.url ?? '').split('/');
  const path = id ? `/${where}/${what}/…` : req.url;
  requests.push(`${req.method} ${path} ${key || decodeURIComponent(id ?? '')}`);
  const reply = (status: number, body: unknown) => {
    const send = () => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    // The bulk run's provider answers after a few ms, so kills land with calls in flight.
    if (where === 'bulk') setTimeout(send, Math.random() * 15);
    // Before the crash the provider takes the request and never answers.
    else if (!answering) held.push(res);
    else send();
  };
  if (req.method === 'GET' && what === 'deliveries' && id) {
    const found = accepted.includes(`${where}:${decodeURIComponent(id)}`);
    return reply(found ? 200 : 404, found ? { deliveryId: `d-${decodeURIComponent(id)}` } : { error: 'unknown' });
  }
  if (req.method === 'POST' && what === 'deliveries') {
    // "/lost" stands for a request that died on the way: the provider never got it.
    if (answering || where !== 'lost') accepted.push(`${where}:${key}`);
    return reply(200, { deliveryId: `d-${key}` });
  }
  if (req.method === 'POST' && where === 'hook') {
    hooks.add(key);
    return reply(200, { ok: true });
  }
  res.writeHead(404).end();
}

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => handle(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const run = (mode: 'kill' | 'finish', db = dbPath, bulk?: number): CrashChild =>
  spawnCrashChild(child, [db, base, mode, ...(bulk ? [String(bulk)] : [])], { WEBHOOK_SECRET: 'crash-hook-secret' });

const posts = (prefix: string) => requests.filter((r) => r.startsWith(`POST /${prefix}`));

describe('deps.effects.call across a SIGKILL mid-call', () => {
  it('asks the provider, resends with the same key, or parks — never a blind second call', async () => {
    const first = run('kill');
    const give = Date.now() + 20_000;
    while (requests.length < 4 && Date.now() < give) await new Promise((r) => setTimeout(r, 10));
    // Four calls reached the provider and none was answered: kill the runtime now.
    expect(requests).toHaveLength(4);
    first.proc.kill('SIGKILL');
    await first.exited;
    expect(first.proc.signalCode).toBe('SIGKILL');
    for (const res of held.splice(0)) res.destroy();
    const before = [...requests];

    answering = true;
    const second = run('finish');
    expect(await second.exited).toBe(0);

    const database = await openDatabase(dbPath);
    try {
      const rows = database.sqlite
        .prepare(
          `SELECT j.id AS journey, i.status, i.nodeId, e.status AS effect, e.result, e.lastError, e.idempotencyKey AS key
           FROM Instance i JOIN Journey j ON j.id = i.journeyId JOIN OutboxEffect e ON e.instanceId = i.id ORDER BY j.id`,
        )
        .all() as {
        journey: string;
        status: string;
        nodeId: string;
        effect: string;
        result: string | null;
        lastError: string | null;
        key: string;
      }[];
      const by = Object.fromEntries(rows.map((r) => [r.journey, r]));
      const keyOf = (journey: string) => by[journey]?.key as string;
      const data = (journey: string) => JSON.parse(by[journey]?.result ?? '{}').data;
      console.info(
        `[effect crash] requests before the kill: ${before.join(' | ')}; after: ${requests.slice(4).join(' | ')}`,
      );

      // The provider had it and says so: recorded from its answer, not called again.
      expect(by.lookupKept).toMatchObject({ status: 'exited', nodeId: 'done', effect: 'done' });
      expect(data('lookupKept')).toEqual({ deliveryId: `d-${keyOf('lookupKept')}`, via: 'lookup' });
      expect(posts('kept/deliveries').filter((r) => r.endsWith(keyOf('lookupKept')))).toHaveLength(1);

      // It never got it: asked, then called again with the same key — one delivery in all.
      expect(by.lookupLost).toMatchObject({ status: 'exited', nodeId: 'done', effect: 'done' });
      expect(data('lookupLost')).toEqual({ deliveryId: `d-${keyOf('lookupLost')}`, via: 'sent' });
      expect(posts('lost/deliveries')).toEqual([
        `POST /lost/deliveries ${keyOf('lookupLost')}`,
        `POST /lost/deliveries ${keyOf('lookupLost')}`,
      ]);
      expect(accepted.filter((a) => a === `lost:${keyOf('lookupLost')}`)).toHaveLength(1);

      // core.webhook: called again with the same Idempotency-Key; the receiver counts one effect.
      expect(by.hook).toMatchObject({ status: 'exited', nodeId: 'done', effect: 'done' });
      expect(posts('hook')).toEqual([`POST /hook ${keyOf('hook')}`, `POST /hook ${keyOf('hook')}`]);
      expect([...hooks]).toEqual([keyOf('hook')]);

      // No way to ask: the customer waits at the node for an operator, and nothing was sent twice.
      expect(by.park).toMatchObject({ status: 'active', nodeId: 'call', effect: 'unknown' });
      expect(by.park?.lastError).toContain('cannot be checked');
      expect(posts('kept/deliveries').filter((r) => r.endsWith(keyOf('park')))).toHaveLength(1);

      // The operator decides "resend": the next run calls again, with the same key, and finishes.
      const parkedId = (
        database.sqlite.prepare("SELECT id FROM OutboxEffect WHERE status = 'unknown'").get() as { id: number }
      ).id;
      await resolveUnknownOutcome(database, {
        effectId: parkedId,
        action: 'resend',
        decidedBy: 'ops',
        now: Date.now(),
      });
    } finally {
      await database.close();
    }
    const third = run('finish');
    expect(await third.exited).toBe(0);
    const after = await openDatabase(dbPath);
    try {
      const park = after.sqlite
        .prepare(
          `SELECT i.status, i.nodeId, e.status AS effect, e.idempotencyKey AS key, e.result FROM Instance i
           JOIN OutboxEffect e ON e.instanceId = i.id WHERE i.journeyId = 'park'`,
        )
        .get() as { status: string; nodeId: string; effect: string; key: string; result: string };
      expect(park).toMatchObject({ status: 'exited', nodeId: 'done', effect: 'done' });
      expect(JSON.parse(park.result).data).toEqual({ deliveryId: `d-${park.key}`, via: 'sent' });
      expect(posts('kept/deliveries').filter((r) => r.endsWith(park.key))).toHaveLength(2);
    } finally {
      await after.close();
    }
  }, 60_000);

  it('killed again and again with calls in flight: every customer through, no delivery twice', async () => {
    const CUSTOMERS = 600;
    const KILLS = 5;
    const bulkDb = join(dir, 'bulk.db');
    const delivered = () => accepted.filter((a) => a.startsWith('bulk:')).length;
    let killedMidCall = 0;
    for (let k = 0; k < KILLS; k++) {
      const { proc, exited } = run('kill', bulkDb, CUSTOMERS);
      const target = delivered() + 20 + Math.floor(Math.random() * (CUSTOMERS / KILLS - 20));
      const give = Date.now() + 20_000;
      while (delivered() < target && Date.now() < give) await new Promise((r) => setTimeout(r, 2));
      if (delivered() >= target && delivered() < CUSTOMERS) killedMidCall++;
      proc.kill('SIGKILL');
      await exited;
    }
    expect(killedMidCall).toBe(KILLS);
    const final = run('finish', bulkDb, CUSTOMERS);
    expect(await final.exited).toBe(0);

    const perKey = new Map<string, number>();
    for (const a of accepted.filter((x) => x.startsWith('bulk:'))) perKey.set(a, (perKey.get(a) ?? 0) + 1);
    const posts = requests.filter((r) => r.startsWith('POST /bulk')).length;
    const lookups = requests.filter((r) => r.startsWith('GET /bulk')).length;
    const database = await openDatabase(bulkDb);
    try {
      const via = Object.fromEntries(
        (
          database.sqlite
            .prepare("SELECT json_extract(result, '$.data.via') AS via, count(*) AS n FROM OutboxEffect GROUP BY via")
            .all() as { via: string; n: number }[]
        ).map((r) => [r.via, r.n]),
      );
      const left = database.sqlite
        .prepare("SELECT count(*) AS n FROM Instance WHERE NOT (status = 'exited' AND nodeId = 'done')")
        .get() as { n: number };
      console.info(
        `[effect crash bulk] customers ${CUSTOMERS}, kills ${KILLS} (${killedMidCall} mid-call); provider POSTs ${posts}, ` +
          `lookups ${lookups}; deliveries ${perKey.size}; duplicates ${[...perKey.values()].filter((n) => n > 1).length}; ` +
          `results by way ${JSON.stringify(via)}; customers not through ${left.n}`,
      );
      expect(perKey.size).toBe(CUSTOMERS);
      expect([...perKey.values()].every((n) => n === 1)).toBe(true);
      expect(left.n).toBe(0);
      expect(database.sqlite.prepare("SELECT count(*) AS n FROM OutboxEffect WHERE status != 'done'").get()).toEqual({
        n: 0,
      });
      // Calls in flight at a kill were settled by asking the provider, not by a blind resend.
      expect(via.lookup ?? 0).toBeGreaterThan(0);
    } finally {
      await database.close();
    }
  }, 180_000);
});
