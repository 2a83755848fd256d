// Segment membership (tags, attributes, channel, RFM quintiles) read through the SQL port: the
// same customers on SQLite and PostgreSQL, also when PostgreSQL reads them page by page.
import type { Filter } from '@siyu/shared';
import { describe, expect, it } from 'vitest';
import type { AppDatabase } from '../db/app-database.ts';
import { bothBackends } from '../db/both-backends.test-helper.ts';
import { cleanupAfterEach } from '../db/scratch-database.test-helper.ts';
import { previewSegment, visitSegmentMembers } from './segments.ts';

const cleanups = cleanupAfterEach();
const backends = bothBackends('segments', cleanups);
const NOW = Date.parse('2026-12-01T00:00:00.000Z');
const DAY = 86_400_000;

async function addCustomer(
  { sql }: AppDatabase,
  id: string,
  {
    tags = [],
    attributes = {},
    channelCode = null,
    erased = false,
  }: {
    tags?: string[];
    attributes?: Record<string, string>;
    channelCode?: string | null;
    erased?: boolean;
  },
) {
  await sql.run(
    'INSERT INTO Customer (id, attributes, channelCode, createdAt, updatedAt, erasedAt) VALUES (?, ?, ?, ?, ?, ?)',
    [id, JSON.stringify(attributes), channelCode, new Date(NOW), new Date(NOW), erased ? new Date(NOW) : null],
  );
  for (const tag of tags) {
    await sql.run('INSERT INTO CustomerTag (customerId, tag, createdAt) VALUES (?, ?, ?)', [id, tag, new Date(NOW)]);
  }
}

async function addOrder({ sql }: AppDatabase, id: string, customerId: string, amountCents: number, daysAgo: number) {
  await sql.run('INSERT INTO "Order" (id, customerId, amountCents, placedAt) VALUES (?, ?, ?, ?)', [
    id,
    customerId,
    amountCents,
    new Date(NOW - daysAgo * DAY),
  ]);
}

/** a: VIP in 上海 with 5 recent orders; b: VIP in 北京, one order long ago; c: 上海, none; e: erased. */
async function seed(db: AppDatabase) {
  await addCustomer(db, 'a', { tags: ['VIP', '复购'], attributes: { city: '上海' }, channelCode: 'store' });
  await addCustomer(db, 'b', { tags: ['VIP'], attributes: { city: '北京' } });
  await addCustomer(db, 'c', { attributes: { city: '上海' } });
  await addCustomer(db, 'e', { tags: ['VIP'], attributes: { city: '上海' }, erased: true });
  for (let i = 0; i < 5; i++) await addOrder(db, `a${i}`, 'a', 10_000, i);
  await addOrder(db, 'b0', 'b', 500, 200);
}

const filter = (...conditions: Filter['conditions']): Filter => ({ match: 'all', conditions }) as Filter;

describe.each(backends)('segments on %s', (_name, open) => {
  it('finds customers by tags, attributes, channel and RFM, never erased ones', async () => {
    const db = await open();
    await seed(db);
    const members = async (f: Filter) => (await previewSegment(db, f, NOW)).sample.sort();
    expect(
      await members(
        filter({ field: 'tags', op: 'hasTag', value: 'VIP' }, { field: 'attributes.city', op: 'eq', value: '上海' }),
      ),
    ).toEqual(['a']);
    expect(await members(filter({ field: 'tags', op: 'hasTag', value: 'VIP' }))).toEqual(['a', 'b']);
    expect(await members(filter({ field: 'tags', op: 'hasTag', value: '复购' }))).toEqual(['a']);
    expect(await members(filter({ field: 'channel.code', op: 'eq', value: 'store' }))).toEqual(['a']);
    expect(await members(filter({ field: 'rfm.recencyDays', op: 'gt', value: 90 }))).toEqual(['b']);
    expect(await members(filter({ field: 'rfm.orderCount', op: 'eq', value: 5 }))).toEqual(['a']);
    expect(await members(filter({ field: 'rfm.totalCents', op: 'eq', value: 50_000 }))).toEqual(['a']);
    expect(await members(filter({ field: 'rfm.monetary', op: 'gte', value: 2 }))).toEqual(['a']);
    expect(await members(filter({ field: 'rfm.segment', op: 'eq', value: 'noOrders' }))).toEqual(['c']);
    expect(await previewSegment(db, filter(), NOW)).toMatchObject({ size: 3 });
  });

  it('visits every member once when the customers come in pages', async () => {
    const db = await open();
    await seed(db);
    for (let i = 0; i < 7; i++) await addCustomer(db, `p${i}`, { tags: ['VIP'] });
    const seen: string[] = [];
    await visitSegmentMembers(db, filter({ field: 'tags', op: 'hasTag', value: 'VIP' }), NOW, (id) => seen.push(id), {
      pageSize: 2,
    });
    expect(seen.sort()).toEqual(['a', 'b', 'p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
  });
});
