// Erasing a customer on SQLite and PostgreSQL: identifying data gone, counts kept, runs ended.
import { describe, expect, it } from 'vitest';
import { bothBackends } from '../db/both-backends.test-helper.ts';
import { cleanupAfterEach } from '../db/scratch-database.test-helper.ts';
import { eraseCustomer } from './erase-customer.ts';

const cleanups = cleanupAfterEach();
const backends = bothBackends('erase', cleanups);
const AT = new Date('2026-12-01T08:00:00.000Z');
const NOW = Date.parse('2026-12-02T00:00:00.000Z');

describe.each(backends)('erasing a customer on %s', (_name, open) => {
  it('removes identities, name, attributes, tags and message contents; ends active runs; keeps opt-outs', async () => {
    const db = await open();
    const { sql } = db;
    await sql.run(
      `INSERT INTO Journey (id, name, status, draft, createdAt, updatedAt) VALUES ('j1', 'j', 'live', '{}', ?, ?)`,
      [AT, AT],
    );
    await sql.run(
      `INSERT INTO JourneyVersion (id, journeyId, version, graph, publishedAt) VALUES ('v1', 'j1', 1, '{}', ?)`,
      [AT],
    );
    await sql.run(
      `INSERT INTO Customer (id, displayName, attributes, createdAt, updatedAt) VALUES ('c1', '王芳', '{"city":"上海"}', ?, ?)`,
      [AT, AT],
    );
    await sql.run(
      `INSERT INTO CustomerIdentity (kind, value, customerId, createdAt) VALUES ('phone', '+8613800000001', 'c1', ?)`,
      [AT],
    );
    await sql.run(`INSERT INTO CustomerTag (customerId, tag, createdAt) VALUES ('c1', 'VIP', ?)`, [AT]);
    await sql.run(
      `INSERT INTO Instance (id, journeyId, versionId, customerId, status, snapshot, nodeId, enteredAt, updatedAt)
       VALUES (1, 'j1', 'v1', 'c1', 'active', '{}', 'wait', ?, ?)`,
      [AT, AT],
    );
    await sql.run(`INSERT INTO Timer (instanceId, dueAt, key) VALUES (1, 99, 'wait:1')`);
    await sql.run(
      `INSERT INTO OutboxEffect (instanceId, nodeId, nodeType, idempotencyKey, payload, status, nextAttemptAt)
       VALUES (1, 'sms', 'sms.send', '1:sms:1', '{}', 'pending', 1)`,
    );
    await sql.run(
      `INSERT INTO Message (idempotencyKey, customerId, channel, provider, recipient, content, sentAt)
       VALUES ('m1', 'c1', 'sms', 'sandbox', '+8613800000001', '您好王芳', 1)`,
    );
    await sql.run(
      `INSERT INTO OptOut (channel, address, customerId, reason, createdAt) VALUES ('sms', '+8613800000001', 'c1', 'stop', ?)`,
      [AT],
    );

    const erased = await eraseCustomer(db, 'c1', NOW);
    expect(erased).toEqual({ id: 'c1', erasedAt: expect.any(String) });
    expect(Date.parse(erased?.erasedAt ?? '')).toBe(NOW);
    const customer = await sql.get<{ displayName: string | null; attributes: string; erasedAt: string }>(
      "SELECT displayName, attributes, erasedAt FROM Customer WHERE id = 'c1'",
    );
    expect(customer).toMatchObject({ displayName: null, attributes: '{}' });
    expect(Date.parse(customer?.erasedAt ?? '')).toBe(NOW);
    const count = async (table: string) => (await sql.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))?.n;
    expect([await count('CustomerIdentity'), await count('CustomerTag'), await count('Timer')]).toEqual([0, 0, 0]);
    expect(await sql.get("SELECT recipient, content FROM Message WHERE idempotencyKey = 'm1'")).toEqual({
      recipient: '',
      content: '',
    });
    expect(await sql.get('SELECT status, exitReason FROM Instance WHERE id = 1')).toEqual({
      status: 'exited',
      exitReason: 'erased',
    });
    expect(await sql.get('SELECT status FROM OutboxEffect')).toEqual({ status: 'skipped' });
    expect(await sql.get('SELECT address, customerId FROM OptOut')).toEqual({
      address: '+8613800000001',
      customerId: null,
    });
    expect(await eraseCustomer(db, 'nobody', NOW)).toBeNull();
  });
});
