// SIGTERM while the engine has provider calls in flight, on the real server process: it must exit
// 0 within its timeout, and no step may be lost or run twice. The provider is a local HTTP
// receiver that counts every request by its Idempotency-Key and does NOT de-duplicate, so a
// repeated send shows as a count of 2.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enrollBacklog, PENDING_EFFECTS_SQL } from '../testing/backlog.ts';
import { addCustomers, graphOf, publishJourney } from '../testing/fixtures.ts';
import { type ServerProcess, spawnServer, waitForHealth } from '../testing/server-process.ts';
import { openDatabase } from './db/database.ts';

const CUSTOMERS = 400;
const JOURNEY = 'hook';
let dir: string;
let receiver: Server;
let receiverUrl: string;
/** Requests per Idempotency-Key. */
const received = new Map<string, number>();
let server: ServerProcess | undefined;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'siyu-shutdown-'));
  received.clear();
  // Answers each call after 5–25 ms, so a batch's calls are in flight when the signal lands.
  receiver = createServer((req, res) => {
    const key = String(req.headers['idempotency-key']);
    req.resume();
    req.on('end', () => {
      received.set(key, (received.get(key) ?? 0) + 1);
      setTimeout(
        () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
        5 + Math.random() * 20,
      );
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
  receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Customers enrolled in entry → core.webhook → exit: one pending call each, not yet run. */
async function seed(dbPath: string): Promise<void> {
  const db = await openDatabase(dbPath);
  try {
    publishJourney(
      db.sqlite,
      JOURNEY,
      graphOf(
        [
          ['entry', 'core.apiEntry', {}],
          ['hook', 'core.webhook', { url: receiverUrl, timeoutSeconds: 30 }],
          ['exit', 'core.exit', {}],
        ],
        [
          ['entry', 'next', 'hook'],
          ['hook', 'ok', 'exit'],
        ],
        { quietHours: { enabled: false }, reEntry: { policy: 'once' } },
      ),
    );
    await enrollBacklog(db, addCustomers(db.sqlite, 'h', 0, CUSTOMERS), JOURNEY);
  } finally {
    await db.close();
  }
}

const ENV = { WEBHOOK_SECRET: 'shutdown-test-secret', SHUTDOWN_TIMEOUT_MS: '20000' };

describe('SIGTERM with provider calls in flight', () => {
  it('exits 0, and every step runs exactly once across the shutdown and the next start', async () => {
    const dbPath = join(dir, 'siyu.db');
    await seed(dbPath);
    server = await spawnServer(dbPath, ENV);
    await waitForHealth(server, 45_000);
    const deadline = Date.now() + 30_000;
    while (received.size < 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(received.size).toBeGreaterThanOrEqual(20);

    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      server?.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const signalledAt = Date.now();
    server.child.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalledAt).toBeLessThan(20_000);
    expect([...received.values()].filter((n) => n > 1)).toEqual([]);
    if (process.env.SIYU_SHUTDOWN_REPORT)
      console.info(`sent before exit: ${received.size}/${CUSTOMERS}, exit after ${Date.now() - signalledAt} ms`);

    // Whatever the first process left is run by the next one, once.
    server = await spawnServer(dbPath, ENV);
    await waitForHealth(server, 45_000);
    const reader = new BetterSqlite3(dbPath, { readonly: true });
    try {
      const until = Date.now() + 30_000;
      while ((reader.prepare(PENDING_EFFECTS_SQL).get() as { n: number }).n > 0 && Date.now() < until)
        await new Promise((r) => setTimeout(r, 50));
      expect((reader.prepare(PENDING_EFFECTS_SQL).get() as { n: number }).n).toBe(0);
      const byStatus = reader
        .prepare('SELECT status, count(*) AS n FROM Instance WHERE journeyId = ? GROUP BY status')
        .all(JOURNEY);
      expect(byStatus).toEqual([{ status: 'exited', n: CUSTOMERS }]); // core.exit ends every run
    } finally {
      reader.close();
    }
    expect(received.size).toBe(CUSTOMERS);
    expect([...received.values()].every((n) => n === 1)).toBe(true);
  }, 120_000);
});
