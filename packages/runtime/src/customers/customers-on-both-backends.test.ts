import { describe, expect, it } from 'vitest';
import type { AppDatabase } from '../db/app-database.ts';
import { freshBackends } from '../db/both-backends.test-helper.ts';
import { cleanupAfterEach } from '../db/scratch-database.test-helper.ts';
import type { SqlValue } from '../db/sql-client.ts';
import { eraseCustomer } from './erase-customer.ts';
import { mergePhoneDuplicates, mergePhoneDuplicatesVia } from './phone-duplicates.ts';

const cleanups = cleanupAfterEach();

const T = (day: number) => `2026-11-${String(day).padStart(2, '0')}T08:00:00.000+00:00`;

/** One person as three customers (see phone-duplicates.test.ts), written through the port. */
async function seed(db: AppDatabase): Promise<void> {
  const run = (sql: string, ...params: SqlValue[]) => db.sql.run(sql, params);
  await run(
    `INSERT INTO Journey (id, name, draft, status, updatedAt) VALUES ('j1', 'J1', '{}', 'live', ?), ('j2', 'J2', '{}', 'live', ?)`,
    T(1),
    T(1),
  );
  await run(
    `INSERT INTO JourneyVersion (id, journeyId, version, graph) VALUES ('v1', 'j1', 1, '{}'), ('v2', 'j2', 1, '{}')`,
  );
  const customer = (id: string, day: number, name: string | null, attributes: object) =>
    run(
      'INSERT INTO Customer (id, displayName, attributes, channelCode, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?)',
      id,
      name,
      JSON.stringify(attributes),
      id === 'c2' ? 'card-a' : null,
      T(day),
      T(day),
    );
  await customer('c1', 1, '王芳', { city: '上海', level: 1 });
  await customer('c2', 5, '王女士', { city: '北京', tier: 'gold' });
  await customer('c3', 7, null, { source: 'wecom' });
  await customer('c4', 8, null, {});
  const identity = (kind: string, value: string, id: string) =>
    run('INSERT INTO CustomerIdentity (kind, value, customerId) VALUES (?, ?, ?)', kind, value, id);
  await identity('phone', '13711112222', 'c1');
  await identity('phone', '+8613711112222', 'c2');
  await identity('phone', '137 1111 2222', 'c3');
  await identity('wecomExternalUserId', 'wm3', 'c3');
  await identity('phone', '138-0000-0000', 'c4');
  const tag = (id: string, t: string, source: string) =>
    run('INSERT INTO CustomerTag (customerId, tag, source) VALUES (?, ?, ?)', id, t, source);
  await tag('c1', 'vip', 'manual');
  await tag('c1', 'a', 'manual');
  await tag('c2', 'a', 'import');
  await tag('c2', 'b', 'import');
  const instance = (id: number, journey: string, customerId: string, status: string, day: number) =>
    run(
      `INSERT INTO Instance (id, journeyId, versionId, customerId, status, snapshot, nodeId, enteredAt, updatedAt)
       VALUES (?, ?, ?, ?, ?, '{}', 'wait', ?, ?)`,
      id,
      journey,
      journey === 'j1' ? 'v1' : 'v2',
      customerId,
      status,
      T(day),
      T(day),
    );
  await instance(1, 'j1', 'c1', 'active', 2); // entered first: goes on
  await instance(2, 'j1', 'c2', 'active', 6); // the same journey twice: ends "merged"
  await instance(3, 'j2', 'c2', 'completed', 5);
  await instance(4, 'j2', 'c3', 'active', 7);
  await run(
    `INSERT INTO Timer (instanceId, dueAt, key) VALUES (1, 100, 'wait:1'), (2, 100, 'wait:1'), (4, 100, 'w:1')`,
  );
  await run(
    `INSERT INTO OutboxEffect (instanceId, nodeId, nodeType, idempotencyKey, payload, nextAttemptAt)
     VALUES (2, 'sms', 'sms.send', '2:sms:1', '{}', 0), (4, 'sms', 'sms.send', '4:sms:1', '{}', 0)`,
  );
  for (const [externalId, customerId] of [
    ['e1', 'c1'],
    ['e2', 'c2'],
    ['e3', 'c3'],
  ] as const) {
    await run(
      `INSERT INTO Event (externalId, type, customerId, occurredAt, receivedAt, data) VALUES (?, 'order.placed', ?, 1, 1, '{"amount":1}')`,
      externalId,
      customerId,
    );
  }
  await run(`INSERT INTO "Order" (id, customerId, amountCents, placedAt) VALUES ('o2', 'c2', 9900, ?)`, T(5));
  await run(
    `INSERT INTO Message (idempotencyKey, customerId, channel, provider, recipient, content, sentAt)
     VALUES ('m2', 'c2', 'sms', 'sandbox', '+8613711112222', 'hi', 1)`,
  );
  await run(
    `INSERT INTO OptOut (channel, address, customerId, reason) VALUES ('sms', '139 0000 0000', NULL, 'operator')`,
  );
}

const all = (db: AppDatabase, sql: string) => db.sql.all(sql);

describe.each(freshBackends('customers', cleanups))('customers on %s', (_name, openDb) => {
  it('merges the customers one phone became, losing nothing, once', async () => {
    const db = await openDb();
    await seed(db);
    const now = Date.UTC(2026, 10, 20);
    const cleanup = () =>
      db.dialect === 'sqlite' ? mergePhoneDuplicates(db.sqlite, now) : mergePhoneDuplicatesVia(db.sql, now);
    expect(await cleanup()).toEqual({ normalized: 1, merged: 2, invalid: 0, optOuts: 1 });

    const customers = await all(
      db,
      'SELECT id, displayName, attributes, channelCode, createdAt FROM Customer ORDER BY id',
    );
    expect(customers.map((c) => ({ ...c, createdAt: Date.parse(String(c.createdAt)) }))).toEqual([
      {
        id: 'c1',
        displayName: '王芳',
        attributes: JSON.stringify({ source: 'wecom', city: '上海', tier: 'gold', level: 1 }),
        channelCode: 'card-a',
        createdAt: Date.parse(T(1)),
      },
      { id: 'c4', displayName: null, attributes: '{}', channelCode: null, createdAt: Date.parse(T(8)) },
    ]);
    expect(await all(db, 'SELECT kind, value, customerId FROM CustomerIdentity ORDER BY kind, value')).toEqual([
      { kind: 'phone', value: '+8613711112222', customerId: 'c1' },
      { kind: 'phone', value: '+8613800000000', customerId: 'c4' },
      { kind: 'wecomExternalUserId', value: 'wm3', customerId: 'c1' },
    ]);
    expect(await all(db, 'SELECT customerId, tag, source FROM CustomerTag ORDER BY customerId, tag')).toEqual([
      { customerId: 'c1', tag: 'a', source: 'manual' },
      { customerId: 'c1', tag: 'b', source: 'import' },
      { customerId: 'c1', tag: 'vip', source: 'manual' },
    ]);
    expect(await all(db, 'SELECT id, customerId, status, exitReason FROM Instance ORDER BY id')).toEqual([
      { id: 1, customerId: 'c1', status: 'active', exitReason: null },
      { id: 2, customerId: 'c1', status: 'exited', exitReason: 'merged' },
      { id: 3, customerId: 'c1', status: 'completed', exitReason: null },
      { id: 4, customerId: 'c1', status: 'active', exitReason: null },
    ]);
    expect(await all(db, 'SELECT instanceId FROM Timer ORDER BY instanceId')).toEqual([
      { instanceId: 1 },
      { instanceId: 4 },
    ]);
    expect(await all(db, 'SELECT instanceId, status FROM OutboxEffect ORDER BY instanceId')).toEqual([
      { instanceId: 2, status: 'skipped' },
      { instanceId: 4, status: 'pending' },
    ]);
    expect(await all(db, "SELECT instanceId, detail FROM StepLog WHERE kind = 'exit'")).toEqual([
      { instanceId: 2, detail: '{"reason":"merged"}' },
    ]);
    expect(await all(db, 'SELECT DISTINCT customerId FROM Event')).toEqual([{ customerId: 'c1' }]);
    expect(await all(db, 'SELECT customerId FROM "Order"')).toEqual([{ customerId: 'c1' }]);
    expect(await all(db, 'SELECT address FROM OptOut')).toEqual([{ address: '+8613900000000' }]);
    expect(await all(db, 'SELECT mergedId, customerId, reason FROM CustomerMerge ORDER BY mergedId')).toEqual([
      { mergedId: 'c2', customerId: 'c1', reason: 'phone' },
      { mergedId: 'c3', customerId: 'c1', reason: 'phone' },
    ]);
    // Idempotent: a second run finds nothing to do.
    expect(await cleanup()).toEqual({ normalized: 0, merged: 0, invalid: 0, optOuts: 0 });
  });

  it('erases what identifies a customer and ends their runs, keeping the row', async () => {
    const db = await openDb();
    await seed(db);
    const now = Date.UTC(2026, 10, 21);
    expect(await eraseCustomer(db, 'nobody', now)).toBeNull();
    expect(await eraseCustomer(db, 'c3', now)).toEqual({ id: 'c3', erasedAt: '2026-11-21T00:00:00.000+00:00' });
    const [c3] = await all(db, "SELECT displayName, attributes, erasedAt FROM Customer WHERE id = 'c3'");
    expect({ ...c3, erasedAt: Date.parse(String(c3?.erasedAt)) }).toEqual({
      displayName: null,
      attributes: '{}',
      erasedAt: now,
    });
    expect(await all(db, "SELECT kind FROM CustomerIdentity WHERE customerId = 'c3'")).toEqual([]);
    expect(await all(db, "SELECT data FROM Event WHERE customerId = 'c3'")).toEqual([{ data: '{}' }]);
    expect(await all(db, "SELECT status, exitReason FROM Instance WHERE customerId = 'c3'")).toEqual([
      { status: 'exited', exitReason: 'erased' },
    ]);
    expect(await all(db, 'SELECT instanceId FROM Timer WHERE instanceId = 4')).toEqual([]);
    expect(await all(db, 'SELECT status, lastError FROM OutboxEffect WHERE instanceId = 4')).toEqual([
      { status: 'skipped', lastError: 'customer erased' },
    ]);
    // Nobody else was touched.
    expect(await all(db, "SELECT count(*) AS n FROM CustomerIdentity WHERE customerId <> 'c3'")).toEqual([{ n: 3 }]);
  });
});
