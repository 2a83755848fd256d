// Each core node's ports through the real compiler, engine and dispatcher on SQLite: the wait
// nodes' timers, wait-for-event matched/timeout, splits, and the webhook's retry / failure port
// against a real HTTP receiver.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corePackage } from '@siyu/nodes-core';
import { createCoreServerPackage } from '@siyu/nodes-core/server';
import { createNodeRegistry } from '@siyu/shared';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { executorContext } from '../../testing/executor-context.ts';
import { addCustomers, graphOf, publishJourney } from '../../testing/fixtures.ts';
import { type Database, openDatabase } from '../db/database.ts';
import { ManualClock } from '../engine/api.ts';
import { createEngine, type DurableEngine } from '../engine/engine.ts';
import { createLogger } from '../logger.ts';
import { createCoreServices } from './core-services.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let dir: string;
let db: Database;
let clock: ManualClock;
let engine: DurableEngine;

// A receiver that fails the first call of each key with 503, then accepts; /reject always 400s.
let receiver: Server;
let receiverUrl = '';
const attemptsByKey = new Map<string, number>();
beforeAll(async () => {
  receiver = createServer((req, res) => {
    const key = String(req.headers['idempotency-key']);
    const n = (attemptsByKey.get(key) ?? 0) + 1;
    attemptsByKey.set(key, n);
    req.resume();
    if (req.url === '/reject') res.writeHead(400).end('no such member');
    else if (n === 1) res.writeHead(503).end('busy');
    else res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(() => {
  receiver.closeAllConnections();
  receiver.close();
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'core-journeys-'));
  db = await openDatabase(join(dir, 'test.db'));
  // Monday 2026-03-02 10:00 Shanghai.
  clock = new ManualClock(Date.UTC(2026, 2, 2, 2, 0, 0));
  const services = createCoreServices({ db, clock, logger: createLogger('silent'), env: { WEBHOOK_SECRET: 'k' } });
  engine = createEngine({
    db,
    registry: createNodeRegistry([corePackage]),
    executors: [...createCoreServerPackage(services).executors],
    clock,
    logger: createLogger('silent'),
    retry: { maxAttempts: 3, baseDelayMs: 60_000, maxDelayMs: 60_000 },
  });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const where = () =>
  Object.fromEntries(
    (
      db.sqlite.prepare('SELECT customerId, status, nodeId, exitReason FROM Instance').all() as {
        customerId: string;
        status: string;
        nodeId: string;
        exitReason: string | null;
      }[]
    ).map((r) => [r.customerId, `${r.status}@${r.nodeId}${r.exitReason ? `(${r.exitReason})` : ''}`]),
  );
const exit = (id: string) => [id, 'core.exit', { reason: id }] as [string, string, Record<string, unknown>];

describe('core nodes through the engine', () => {
  it('wait for event: matched before the timeout, timeout after it; an order for someone else does not count', async () => {
    addCustomers(db.sqlite, 'c', 0, 2);
    publishJourney(
      db.sqlite,
      'j',
      graphOf(
        [
          ['entry', 'core.apiEntry', {}],
          [
            'w',
            'core.waitForEvent',
            {
              event: 'order.placed',
              filter: { conditions: [{ field: 'data.amountCents', op: 'gte', value: 5000 }] },
              timeout: { amount: 3, unit: 'days' },
            },
          ],
          exit('bought'),
          exit('late'),
        ],
        [
          ['entry', 'next', 'w'],
          ['w', 'matched', 'bought'],
          ['w', 'timeout', 'late'],
        ],
      ),
    );
    await engine.enrollMany('j', ['c0', 'c1']);
    await engine.tick();
    clock.advance(DAY);
    const order = (id: string, customerId: string, amountCents: number) =>
      engine.ingestEvent({
        id,
        type: 'order.placed',
        customerId,
        occurredAt: new Date(clock.now()),
        data: { amountCents },
      });
    expect((await order('small', 'c0', 100)).delivered).toBe(0); // below the filter: keeps waiting
    expect((await order('big', 'c0', 9900)).delivered).toBe(1);
    clock.advance(2 * DAY - 1000);
    await engine.tick();
    expect(where()).toEqual({ c0: 'exited@bought(bought)', c1: 'active@w' });
    clock.advance(1000);
    await engine.tick();
    expect(where().c1).toBe('exited@late(late)');
  });

  it('wait until a weekday window and a birthday attribute; "missing" when there is no date', async () => {
    addCustomers(db.sqlite, 'c', 0, 2);
    db.sqlite.prepare(`UPDATE Customer SET attributes = '{"birthday":"1992-03-10"}' WHERE id = 'c0'`).run();
    publishJourney(
      db.sqlite,
      'j',
      graphOf(
        [
          ['entry', 'core.apiEntry', {}],
          [
            'bday',
            'core.waitUntil',
            { mode: 'dateAttribute', attribute: 'birthday', offsetDays: -1, atTime: '10:00', yearly: true },
          ],
          ['weekend', 'core.waitUntil', { mode: 'window', window: { start: '10:00', end: '11:00', weekdays: [6] } }],
          exit('done'),
          exit('nodate'),
        ],
        [
          ['entry', 'next', 'bday'],
          ['bday', 'next', 'weekend'],
          ['bday', 'missing', 'nodate'],
          ['weekend', 'next', 'done'],
        ],
      ),
    );
    await engine.enrollMany('j', ['c0', 'c1']);
    await engine.tick();
    expect(where()).toEqual({ c0: 'active@bday', c1: 'exited@nodate(nodate)' });
    // Birthday eve: 2026-03-09 10:00 Shanghai (Monday) → then the next Saturday 10:00 (03-14).
    clock.set(Date.UTC(2026, 2, 9, 1, 59, 0));
    await engine.tick();
    expect(where().c0).toBe('active@bday');
    clock.set(Date.UTC(2026, 2, 9, 2, 0, 0));
    await engine.tick();
    expect(where().c0).toBe('active@weekend');
    clock.set(Date.UTC(2026, 2, 14, 2, 0, 0));
    await engine.tick();
    expect(where().c0).toBe('exited@done(done)');
  });

  it('A/B split: weights over 2,000 customers, and the same customer the same way in another journey version', async () => {
    const ids = addCustomers(db.sqlite, 'c', 0, 2000);
    const graph = graphOf(
      [
        ['entry', 'core.apiEntry', {}],
        [
          'ab',
          'core.abSplit',
          {
            variants: [
              { id: 'a', label: '文案A', weight: 30 },
              { id: 'b', label: '文案B', weight: 70 },
            ],
          },
        ],
        exit('a'),
        exit('b'),
      ],
      [
        ['entry', 'next', 'ab'],
        ['ab', 'a', 'a'],
        ['ab', 'b', 'b'],
      ],
      { reEntry: { policy: 'always' } },
    );
    publishJourney(db.sqlite, 'j', graph);
    await engine.enrollMany('j', ids);
    await engine.tick();
    const first = where();
    const a = Object.values(first).filter((v) => v.endsWith('(a)')).length;
    // 2,000 draws at p = 0.3: σ ≈ 20.5, allow 3σ.
    expect(Math.abs(a - 600)).toBeLessThan(62);
    publishJourney(db.sqlite, 'j', graph, 2);
    await engine.enrollMany('j', ids.slice(0, 50));
    await engine.tick();
    const rows = db.sqlite.prepare("SELECT customerId, exitReason FROM Instance WHERE versionId = 'j-v2'").all() as {
      customerId: string;
      exitReason: string;
    }[];
    for (const row of rows) expect(first[row.customerId]).toContain(`(${row.exitReason})`);
    expect(rows).toHaveLength(50);
  });

  it('webhook: a 503 is retried with backoff then succeeds; a 400 follows "failed"; no failed edge exits with the reason', async () => {
    addCustomers(db.sqlite, 'c', 0, 1);
    const hookJourney = (id: string, path: string, withFailedEdge: boolean) =>
      publishJourney(
        db.sqlite,
        id,
        graphOf(
          [
            ['entry', 'core.apiEntry', {}],
            ['hook', 'core.webhook', { url: `${receiverUrl}${path}` }],
            exit('synced'),
            exit('broken'),
          ],
          [
            ['entry', 'next', 'hook'],
            ['hook', 'ok', 'synced'],
            ...(withFailedEdge ? [['hook', 'failed', 'broken'] as [string, string, string]] : []),
          ],
        ),
      );
    hookJourney('ok', '/crm', true);
    hookJourney('bad', '/reject', true);
    hookJourney('bare', '/reject', false);
    for (const j of ['ok', 'bad', 'bare']) await engine.enroll(j, 'c0');
    await engine.tick();
    const byJourney = () =>
      Object.fromEntries(
        (
          db.sqlite.prepare('SELECT journeyId, status, nodeId FROM Instance').all() as {
            journeyId: string;
            status: string;
            nodeId: string;
          }[]
        ).map((r) => [r.journeyId, `${r.status}@${r.nodeId}`]),
      );
    expect(byJourney()).toMatchObject({ ok: 'active@hook', bad: 'exited@broken' });
    expect(byJourney().bare).toMatch(/^(exited|failed)@hook$/);
    clock.advance(2 * 60_000);
    await engine.tick();
    expect(byJourney().ok).toBe('exited@synced');
    // The retry carried the same idempotency key.
    const okKeys = [...attemptsByKey].filter(([, n]) => n === 2);
    expect(okKeys).toHaveLength(1);
    const bare = db.sqlite.prepare("SELECT id, exitReason FROM Instance WHERE journeyId = 'bare'").get() as {
      id: number;
      exitReason: string;
    };
    expect(bare.exitReason).toBe('effectFailed:hook');
    // The timeline keeps the provider's answer.
    const errors = (await engine.timeline(bare.id)).filter((e) => e.kind === 'error');
    expect(JSON.stringify(errors)).toContain('400');
  });

  it('a loop of tag and attribute nodes with no wait (publishing refuses one): a step applies at most 20, the next waits in the outbox', async () => {
    addCustomers(db.sqlite, 'c', 0, 1);
    publishJourney(
      db.sqlite,
      'j',
      graphOf(
        [
          ['entry', 'core.apiEntry', {}],
          ['a', 'core.updateTags', { add: ['looping'] }],
          ['b', 'core.updateAttributes', { changes: [{ op: 'increment', name: 'rounds', by: 1 }] }],
        ],
        [
          ['entry', 'next', 'a'],
          ['a', 'next', 'b'],
          ['b', 'next', 'a'],
        ],
      ),
    );
    const rounds = () =>
      JSON.parse(
        (db.sqlite.prepare(`SELECT attributes FROM Customer WHERE id = 'c0'`).get() as { attributes: string })
          .attributes,
      ).rounds;
    const outbox = () => db.sqlite.prepare('SELECT nodeId, idempotencyKey, status FROM OutboxEffect ORDER BY id').all();
    const [out] = await engine.enrollMany('j', ['c0']);
    if (out?.status !== 'enrolled') throw new Error('not enrolled');
    // The enrolment's step applied 20 updates (a, b ten times each); the 21st waits in the outbox.
    expect(rounds()).toBe(10);
    expect(outbox()).toEqual([{ nodeId: 'a', idempotencyKey: `${out.instanceId}:a:11`, status: 'pending' }]);
    expect(where()).toEqual({ c0: 'active@a' });
  });

  it('the outbox path of tag and attribute nodes makes the change the step would, an increment once per key', async () => {
    addCustomers(db.sqlite, 'c', 0, 1);
    db.sqlite.prepare(`UPDATE Customer SET attributes = '{"points":5,"gone":1}' WHERE id = 'c0'`).run();
    const services = createCoreServices({ db, clock, logger: createLogger('silent') });
    const executors = createCoreServerPackage(services).executors;
    const run = (type: string, config: unknown, key: string) =>
      executors
        .find((e) => e.definition.type === type)
        ?.run(
          executorContext(config, {
            customer: { id: 'c0', tags: [], attributes: {}, identities: {}, channel: { code: 'store-01' } },
            idempotencyKey: key,
            now: new Date(clock.now()),
          }),
        );
    const tags = { add: ['vip'], remove: [], tagChannel: true };
    expect(await run('core.updateTags', tags, '1:tag:1')).toEqual({
      port: 'next',
      data: { added: ['vip', '渠道:store-01'], removed: [] },
    });
    const changes = [
      { op: 'increment', name: 'points', by: 10 },
      { op: 'unset', name: 'gone' },
    ];
    const first = await run('core.updateAttributes', { changes }, '1:attrs:1');
    // A retry of the same step (same key) finds the receipt: the points are not counted twice.
    expect(await run('core.updateAttributes', { changes }, '1:attrs:1')).toEqual(first);
    expect(first).toEqual({ port: 'next', data: { attributes: { points: 15, gone: null } } });
    expect(db.sqlite.prepare(`SELECT tag, source FROM CustomerTag WHERE customerId = 'c0' ORDER BY tag`).all()).toEqual(
      [
        { tag: 'vip', source: 'journey:j' },
        { tag: '渠道:store-01', source: 'journey:j' },
      ],
    );
    expect(
      JSON.parse(
        (db.sqlite.prepare(`SELECT attributes FROM Customer WHERE id = 'c0'`).get() as { attributes: string })
          .attributes,
      ),
    ).toEqual({ points: 15 });
  });
});
