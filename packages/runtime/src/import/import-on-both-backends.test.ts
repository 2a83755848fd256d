// A customer file and a shop order export imported through the SQL port: the same customers,
// identities, tags, orders and batch record on SQLite and PostgreSQL.
import { describe, expect, it } from 'vitest';
import type { AppDatabase } from '../db/app-database.ts';
import { bothBackends } from '../db/both-backends.test-helper.ts';
import { cleanupAfterEach } from '../db/scratch-database.test-helper.ts';
import { importCustomers } from './import-customers.ts';

const cleanups = cleanupAfterEach();
const backends = bothBackends('import', cleanups);
const utf8 = (s: string) => new TextEncoder().encode(s);
const AT = Date.parse('2026-11-11T00:00:00.000Z');

const count = async ({ sql }: AppDatabase, table: string) =>
  (await sql.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))?.n;

describe.each(backends)('importing customers on %s', (_name, open) => {
  it('creates, then merges by phone, with tags and attributes; records each batch', async () => {
    const db = await open();
    const csv =
      '手机号,姓名,标签,城市\n138 1234 5678,张三,VIP，复购,上海\n+86 139-0000-0001,李四,,北京\n13812345678,张三,,\n';
    const first = await importCustomers(db, utf8(csv), {
      fileName: 'a.csv',
      mode: 'skipInvalid',
      tags: ['导入'],
      now: () => AT,
    });
    expect(first).toMatchObject({ status: 'committed', created: 2, updated: 0, duplicates: 1, rejected: 0 });
    const second = await importCustomers(db, utf8(csv.replace('上海', '杭州')), {
      fileName: 'b.csv',
      mode: 'skipInvalid',
      now: () => AT,
    });
    expect(second).toMatchObject({ status: 'committed', created: 0, updated: 2 });
    expect(await count(db, 'Customer')).toBe(2);
    const zhang = await db.sql.get<{ displayName: string; attributes: string; createdAt: string }>(
      `SELECT c.displayName, c.attributes, c.createdAt FROM Customer c
       JOIN CustomerIdentity i ON i.customerId = c.id WHERE i.kind = 'phone' AND i.value = '+8613812345678'`,
    );
    expect(zhang?.displayName).toBe('张三');
    expect(JSON.parse(zhang?.attributes ?? '')).toEqual({ 城市: '杭州' });
    expect(Date.parse(zhang?.createdAt ?? '')).toBe(AT);
    const tags = await db.sql.all<{ tag: string; source: string; n: number }>(
      'SELECT tag, source, count(*) AS n FROM CustomerTag GROUP BY tag, source',
    );
    expect(tags.map((t) => `${t.tag} ${t.source} ${t.n}`).sort()).toEqual([
      'VIP import 1',
      '复购 import 1',
      '导入 import 2',
    ]);
    const batches = await db.prisma.importBatch.findMany({ orderBy: { fileName: 'asc' } });
    expect(batches.map((b) => [b.fileName, b.status, b.created, b.updated, b.duplicates])).toEqual([
      ['a.csv', 'committed', 2, 0, 1],
      ['b.csv', 'committed', 0, 2, 1],
    ]);
    expect(batches[0]?.finishedAt?.getTime()).toBe(AT);
  });

  it('writes one order per row of a shop export, and none again when it is imported twice', async () => {
    const db = await open();
    const csv = [
      '订单编号,收货人手机,收货人,实付金额,订单付款时间',
      'T1,13812345678,张三,"¥1,299.00",2026-11-11 00:05:00',
      'T2,13812345678,张三,59.9,2026/11/20 9:30',
      'T3,13900000004,钱七,20.5,2026-11-12 10:00:00',
    ].join('\n');
    expect(await importCustomers(db, utf8(csv), { fileName: 'o.csv', mode: 'strict' })).toMatchObject({
      status: 'committed',
      created: 2,
      orders: 3,
    });
    expect(await importCustomers(db, utf8(csv), { fileName: 'o.csv', mode: 'strict' })).toMatchObject({
      created: 0,
      updated: 2,
      orders: 0,
    });
    const orders = await db.sql.all<{ id: string; amountCents: number; placedAt: string }>(
      'SELECT id, amountCents, placedAt FROM "Order" ORDER BY id',
    );
    expect(orders.map((o) => [o.id, o.amountCents, new Date(o.placedAt).toISOString()])).toEqual([
      ['T1', 129900, '2026-11-10T16:05:00.000Z'],
      ['T2', 5990, '2026-11-20T01:30:00.000Z'],
      ['T3', 2050, '2026-11-12T02:00:00.000Z'],
    ]);
  });

  it('writes nothing from a file that fails part-way', async () => {
    const db = await open();
    // The second row matches a customer whose stored attributes cannot be read: the import stops
    // there, and the first row's new customer is rolled back with it.
    await db.sql.run('INSERT INTO Customer (id, attributes, createdAt, updatedAt) VALUES (?, ?, ?, ?)', [
      'old',
      'not json',
      new Date(AT),
      new Date(AT),
    ]);
    await db.sql.run('INSERT INTO CustomerIdentity (kind, value, customerId, createdAt) VALUES (?, ?, ?, ?)', [
      'phone',
      '+8613900000009',
      'old',
      new Date(AT),
    ]);
    const report = await importCustomers(db, utf8('手机号\n13800000001\n13900000009\n'), {
      fileName: 'f.csv',
      mode: 'strict',
    });
    expect(report).toMatchObject({ status: 'failed', created: 0, updated: 0 });
    expect(await count(db, 'Customer')).toBe(1);
    expect(await count(db, 'CustomerIdentity')).toBe(1);
  });
});
