import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database.ts';
import { cleanupAfterEach, databaseBeforeMigration } from '../db/scratch-database.test-helper.ts';

const cleanups = cleanupAfterEach();

/** A database built by the migrations before this change, as a brand's file would be. */
const oldDatabase = async (): Promise<string> => (await databaseBeforeMigration('customer_merge', cleanups)).file;

const T = (day: number) => `2026-11-${String(day).padStart(2, '0')}T08:00:00.000+00:00`;

/**
 * One person ingested as "13711112222" (c1, oldest), imported as "+8613711112222" (c2) and
 * ingested again as "137 1111 2222" with a WeCom id (c3) — what events.ingest stored before the
 * normaliser — plus a customer whose phone only needs rewriting (c4) and one that is not a number.
 */
function seed(file: string): void {
  const db = new BetterSqlite3(file);
  const run = (sql: string, ...params: unknown[]) => db.prepare(sql).run(...params);
  run(
    `INSERT INTO Journey (id, name, draft, status, updatedAt) VALUES ('j1', 'J1', '{}', 'live', ?), ('j2', 'J2', '{}', 'live', ?)`,
    T(1),
    T(1),
  );
  run(`INSERT INTO JourneyVersion (id, journeyId, version, graph) VALUES ('v1', 'j1', 1, '{}'), ('v2', 'j2', 1, '{}')`);
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
  customer('c1', 1, '王芳', { city: '上海', level: 1 });
  customer('c2', 5, '王女士', { city: '北京', tier: 'gold' });
  customer('c3', 7, null, { source: 'wecom' });
  customer('c4', 8, null, {});
  customer('c5', 9, null, {});
  const identity = (kind: string, value: string, id: string) =>
    run('INSERT INTO CustomerIdentity (kind, value, customerId) VALUES (?, ?, ?)', kind, value, id);
  identity('phone', '13711112222', 'c1');
  identity('phone', '+8613711112222', 'c2');
  identity('phone', '137 1111 2222', 'c3');
  identity('wecomExternalUserId', 'wm3', 'c3');
  identity('phone', '138-0000-0000', 'c4');
  identity('phone', 'ask her', 'c5');
  const tag = (id: string, t: string, source: string) =>
    run('INSERT INTO CustomerTag (customerId, tag, source) VALUES (?, ?, ?)', id, t, source);
  tag('c1', 'vip', 'manual');
  tag('c1', 'a', 'manual');
  tag('c2', 'a', 'import');
  tag('c2', 'b', 'import');
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
  instance(1, 'j1', 'c1', 'active', 2); // entered first: goes on
  instance(2, 'j1', 'c2', 'active', 6); // the same journey twice: ends "merged"
  instance(3, 'j2', 'c2', 'completed', 5);
  instance(4, 'j2', 'c3', 'active', 7);
  run(`INSERT INTO Timer (instanceId, dueAt, key) VALUES (1, 100, 'wait:1'), (2, 100, 'wait:1')`);
  run(
    `INSERT INTO OutboxEffect (instanceId, nodeId, nodeType, idempotencyKey, payload, nextAttemptAt)
     VALUES (2, 'sms', 'sms.send', '2:sms:1', '{}', 0)`,
  );
  const event = (externalId: string, customerId: string) =>
    run(
      `INSERT INTO Event (externalId, type, customerId, occurredAt, receivedAt, data) VALUES (?, 'order.placed', ?, 1, 1, '{}')`,
      externalId,
      customerId,
    );
  event('e1', 'c1');
  event('e2', 'c2');
  event('e3', 'c3');
  run(`INSERT INTO "Order" (id, customerId, amountCents, placedAt) VALUES ('o2', 'c2', 9900, ?)`, T(5));
  run(
    `INSERT INTO Message (idempotencyKey, customerId, channel, provider, recipient, content, sentAt)
     VALUES ('m2', 'c2', 'sms', 'sandbox', '+8613711112222', 'hi', 1)`,
  );
  run(
    `INSERT INTO CouponStock (id, name, maxCoupons, amountCents, validFrom, validTo) VALUES ('s', 'S', 10, 500, ?, ?)`,
    T(1),
    T(30),
  );
  run(`INSERT INTO Coupon (id, stockId, customerId, idempotencyKey) VALUES ('k2', 's', 'c2', 'k2')`);
  run(`INSERT INTO TrackedLink (code, customerId, url) VALUES ('l3', 'c3', 'https://shop.example/a')`);
  run(
    `INSERT INTO StaffTask (id, instanceId, nodeId, customerId, assignee, title, body, dueAt)
     VALUES ('t3', 4, 'task', 'c3', 'zhang', 'call', 'call her', ?)`,
    T(8),
  );
  run(`INSERT INTO OptOut (channel, address, customerId, reason) VALUES ('sms', '139 0000 0000', NULL, 'operator')`);
  db.close();
}

function dump(file: string) {
  const db = new BetterSqlite3(file, { readonly: true });
  const all = (sql: string) => db.prepare(sql).all();
  const out = {
    customers: all('SELECT id, displayName, attributes, channelCode, createdAt FROM Customer ORDER BY id'),
    identities: all('SELECT kind, value, customerId FROM CustomerIdentity ORDER BY kind, value'),
    tags: all('SELECT customerId, tag, source FROM CustomerTag ORDER BY customerId, tag'),
    instances: all('SELECT id, customerId, status, exitReason FROM Instance ORDER BY id'),
    timers: all('SELECT instanceId FROM Timer ORDER BY instanceId'),
    effects: all('SELECT instanceId, status FROM OutboxEffect'),
    exits: all("SELECT instanceId, kind, detail FROM StepLog WHERE kind = 'exit'"),
    events: all('SELECT externalId, customerId FROM Event ORDER BY externalId'),
    owned: all(
      `SELECT 'Order' AS t, customerId FROM "Order" UNION ALL SELECT 'Message', customerId FROM Message
       UNION ALL SELECT 'Coupon', customerId FROM Coupon UNION ALL SELECT 'TrackedLink', customerId FROM TrackedLink
       UNION ALL SELECT 'StaffTask', customerId FROM StaffTask ORDER BY 1`,
    ),
    optOuts: all('SELECT address FROM OptOut'),
    merges: all('SELECT mergedId, customerId, reason FROM CustomerMerge ORDER BY mergedId'),
    steps: all('SELECT name, result FROM DataStep'),
  };
  db.close();
  return out;
}

describe('phone duplicates at start-up', () => {
  it('merges the customers one phone became on an old database, losing nothing, once', async () => {
    const file = await oldDatabase();
    seed(file);
    const logs: unknown[] = [];
    const logger = { info: (...a: unknown[]) => logs.push(a), warn: (...a: unknown[]) => logs.push(a) };
    const db = await openDatabase(file, { logger: logger as never });
    await db.close();

    const after = dump(file);
    expect(after.customers).toEqual([
      {
        id: 'c1',
        displayName: '王芳',
        // Survivor (the oldest) wins on conflicting keys; the others' keys are added.
        attributes: JSON.stringify({ source: 'wecom', city: '上海', tier: 'gold', level: 1 }),
        channelCode: 'card-a',
        createdAt: T(1),
      },
      { id: 'c4', displayName: null, attributes: '{}', channelCode: null, createdAt: T(8) },
      { id: 'c5', displayName: null, attributes: '{}', channelCode: null, createdAt: T(9) },
    ]);
    expect(after.identities).toEqual([
      { kind: 'phone', value: '+8613711112222', customerId: 'c1' },
      { kind: 'phone', value: '+8613800000000', customerId: 'c4' },
      { kind: 'phone', value: 'ask her', customerId: 'c5' },
      { kind: 'wecomExternalUserId', value: 'wm3', customerId: 'c1' },
    ]);
    expect(after.tags).toEqual([
      { customerId: 'c1', tag: 'a', source: 'manual' },
      { customerId: 'c1', tag: 'b', source: 'import' },
      { customerId: 'c1', tag: 'vip', source: 'manual' },
    ]);
    expect(after.instances).toEqual([
      { id: 1, customerId: 'c1', status: 'active', exitReason: null },
      { id: 2, customerId: 'c1', status: 'exited', exitReason: 'merged' },
      { id: 3, customerId: 'c1', status: 'completed', exitReason: null },
      { id: 4, customerId: 'c1', status: 'active', exitReason: null },
    ]);
    expect(after.timers).toEqual([{ instanceId: 1 }]);
    expect(after.effects).toEqual([{ instanceId: 2, status: 'skipped' }]);
    expect(after.exits).toEqual([{ instanceId: 2, kind: 'exit', detail: '{"reason":"merged"}' }]);
    expect(after.events).toEqual([
      { externalId: 'e1', customerId: 'c1' },
      { externalId: 'e2', customerId: 'c1' },
      { externalId: 'e3', customerId: 'c1' },
    ]);
    expect(after.owned).toEqual(
      ['Coupon', 'Message', 'Order', 'StaffTask', 'TrackedLink'].map((t) => ({ t, customerId: 'c1' })),
    );
    expect(after.optOuts).toEqual([{ address: '+8613900000000' }]);
    expect(after.merges).toEqual([
      { mergedId: 'c2', customerId: 'c1', reason: 'phone' },
      { mergedId: 'c3', customerId: 'c1', reason: 'phone' },
    ]);
    expect(after.steps).toEqual([
      { name: 'phones-e164', result: JSON.stringify({ normalized: 1, merged: 2, invalid: 1, optOuts: 1 }) },
    ]);
    expect(JSON.stringify(logs)).toContain('merged 2 customers');
    expect(JSON.stringify(logs)).toContain('1 stored phones are not valid numbers');

    // Idempotent: a second start-up changes nothing.
    await (await openDatabase(file)).close();
    expect(dump(file)).toEqual(after);
  });
});
