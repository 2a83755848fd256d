// /ready and /health on SQLite and PostgreSQL: the database answers, every migration of this
// build for its provider is recorded, and the engine's lag is read from the same indexes.
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { AppDatabase } from '../db/app-database.ts';
import { bothBackends } from '../db/both-backends.test-helper.ts';
import { cleanupAfterEach } from '../db/scratch-database.test-helper.ts';
import { createMetrics } from '../metrics/registry.ts';
import { HEALTH_COUNT_CAP } from './health.ts';
import { createOpsApp } from './ops-app.ts';

const cleanups = cleanupAfterEach();
const backends = bothBackends('ops', cleanups);

async function get(db: AppDatabase, path: string, runsEngine = true) {
  const app = createOpsApp({
    sql: db.sql,
    ops: { metrics: createMetrics({ defaults: false }), runsEngine, readyMaxLagMs: 1000 },
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  } finally {
    server.close();
  }
}

describe.each(backends)('ops routes on %s', (_name, open) => {
  it('is ready on a migrated database, and says why not when the engine is behind', async () => {
    const db = await open();
    expect(await get(db, '/ready')).toMatchObject({ status: 200, body: { ready: true, engine: { lagMs: 0 } } });
    await db.sql.run(
      `INSERT INTO OutboxEffect (instanceId, nodeId, nodeType, idempotencyKey, payload, status, nextAttemptAt)
       VALUES (1, 'sms', 'sms.send', '1:sms:1', '{}', 'pending', ?)`,
      [Date.now() - 5_000],
    );
    await db.sql.run('INSERT INTO Timer (instanceId, dueAt, key) VALUES (1, ?, ?)', [Date.now() - 3_000, 'wait:1']);
    const behind = await get(db, '/ready');
    expect(behind.status).toBe(503);
    expect(behind.body.reason).toMatch(/^engine lag \d+ ms is over 1000 ms$/);
    expect(behind.body.engine).toMatchObject({ effectsDue: 1, timersDue: 1, countCap: HEALTH_COUNT_CAP });
    expect((await get(db, '/ready', false)).status).toBe(200);
    const health = await get(db, '/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ ok: true, engine: { effectsDue: 1, timersDue: 1 } });
    expect(health.body.migrations).toBeGreaterThan(0);
  });

  it('is not ready when a migration of this build is not recorded', async () => {
    const db = await open();
    const last = await db.sql.get<{ name: string }>(
      'SELECT migration_name AS name FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1',
    );
    await db.sql.run('DELETE FROM _prisma_migrations WHERE migration_name = ?', [last?.name ?? '']);
    expect(await get(db, '/ready')).toEqual({ status: 503, body: { ready: false, reason: 'migrations not applied' } });
  });
});
