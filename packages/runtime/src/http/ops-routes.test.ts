import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import type express from 'express';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import { cleanupAfterEach, scratchDatabase } from '../db/scratch-database.test-helper.ts';
import { createMetrics } from '../metrics/registry.ts';
import { createApp } from './app.ts';
import { createOpsApp } from './ops-app.ts';
import type { OpsOptions } from './ops-routes.ts';

const cleanups = cleanupAfterEach();
let db: Database;
beforeEach(async () => {
  db = await scratchDatabase('ops', cleanups);
});

const TOKEN = 'metrics-token-0123456789';

function addOverdueEffect(ageMs: number): void {
  db.sqlite
    .prepare(
      `INSERT INTO OutboxEffect (instanceId, nodeId, nodeType, idempotencyKey, payload, status, nextAttemptAt)
       VALUES (1, 'sms', 'sms.send', '1:sms:1', '{}', 'pending', ?)`,
    )
    .run(Date.now() - ageMs);
}

async function get(app: express.Express, path: string, headers: Record<string, string> = {}) {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`, { headers });
    return { status: res.status, text: await res.text() };
  } finally {
    server.close();
  }
}

const webApp = (ops: Partial<OpsOptions> = {}) =>
  createApp({
    db,
    editorDist: join(dirname(db.path), 'none'),
    ops: { metrics: createMetrics({ defaults: false }), runsEngine: false, readyMaxLagMs: 1000, ...ops },
  });
const workerApp = (ops: Partial<OpsOptions> = {}) =>
  createOpsApp({
    sql: db.sql,
    ops: { metrics: createMetrics({ defaults: false }), runsEngine: true, readyMaxLagMs: 1000, ...ops },
  });

describe('GET /ready', () => {
  it('is ready on a migrated database with nothing overdue', async () => {
    for (const app of [webApp(), workerApp()]) {
      const res = await get(app, '/ready');
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toMatchObject({ ready: true });
    }
  });

  it('answers 503 with the reason when the engine is behind, but only where the engine runs', async () => {
    addOverdueEffect(5_000);
    const worker = await get(workerApp(), '/ready');
    expect(worker.status).toBe(503);
    expect(JSON.parse(worker.text)).toMatchObject({
      ready: false,
      reason: expect.stringMatching(/^engine lag \d+ ms is over 1000 ms$/),
    });
    // A web process taken out of the load balancer would not make the workers catch up.
    expect((await get(webApp(), '/ready')).status).toBe(200);
    expect((await get(workerApp({ readyMaxLagMs: 60_000 }), '/ready')).status).toBe(200);
  });

  it('answers 503 while shutting down and when migrations are missing', async () => {
    expect(JSON.parse((await get(webApp({ stopping: () => true }), '/ready')).text)).toEqual({
      ready: false,
      reason: 'shutting down',
    });
    db.sqlite.prepare('DELETE FROM _prisma_migrations WHERE rowid = (SELECT max(rowid) FROM _prisma_migrations)').run();
    const res = await get(webApp(), '/ready');
    expect(res.status).toBe(503);
    expect(JSON.parse(res.text).reason).toBe('migrations not applied');
  });

  it('leaves /health alive whatever the lag', async () => {
    addOverdueEffect(5_000);
    expect((await get(workerApp(), '/health')).status).toBe(200);
  });
});

describe('GET /metrics', () => {
  it('serves the engine gauges, steps and request latency to the machine itself', async () => {
    addOverdueEffect(5_000);
    const res = await get(workerApp({ steps: () => 42 }), '/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/^siyu_outbox_backlog 1$/m);
    expect(res.text).toMatch(/^siyu_timers_due 0$/m);
    expect(res.text).toMatch(/^siyu_engine_lag_seconds (4\.\d+|5(\.\d+)?)$/m);
    expect(res.text).toMatch(/^siyu_engine_steps_total 42$/m);
    expect(res.text).toContain('# TYPE siyu_provider_calls_total counter');
  });

  it('refuses a request a proxy forwarded when no token is set: behind a local nginx everyone is 127.0.0.1', async () => {
    const res = await get(workerApp(), '/metrics', { 'x-forwarded-for': '203.0.113.9' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('METRICS_TOKEN');
  });

  it('requires the bearer token when METRICS_TOKEN is set', async () => {
    const app = webApp({ metricsToken: TOKEN });
    expect((await get(app, '/metrics')).status).toBe(401);
    expect((await get(app, '/metrics', { authorization: 'Bearer wrong' })).status).toBe(401);
    const res = await get(app, '/metrics', { authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(200);
    // The earlier requests were timed under their route pattern.
    expect(res.text).toMatch(
      /siyu_http_request_duration_seconds_count\{method="GET",route="\/metrics",status="401"\} 2/,
    );
  });
});

describe('a worker port', () => {
  it('serves nothing but /health, /ready and /metrics', async () => {
    const app = workerApp();
    expect((await get(app, '/')).status).toBe(404);
    expect((await get(app, '/trpc/auth.me')).status).toBe(404);
    expect((await get(app, '/r/abc')).status).toBe(404);
  });
});
