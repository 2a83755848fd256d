// Segment membership (tags, attributes, channel, RFM quintiles) read through the SQL port: the
// same customers on SQLite and PostgreSQL, also when PostgreSQL reads them page by page.
import { type Filter, type SegmentFilter, SegmentFilterSchema } from '@siyu/shared';
import { describe, expect, it } from 'vitest';
import type { AppDatabase } from '../db/app-database.ts';
import { bothBackends } from '../db/both-backends.test-helper.ts';
import { cleanupAfterEach } from '../db/scratch-database.test-helper.ts';
import { forEachSegmentMember, previewSegment, visitSegmentMembers } from './segments.ts';

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

async function addEvent({ sql }: AppDatabase, id: string, customerId: string, type: string, daysAgo: number) {
  const at = NOW - daysAgo * DAY;
  await sql.run(
    'INSERT INTO Event (externalId, type, customerId, occurredAt, receivedAt, data) VALUES (?, ?, ?, ?, ?, ?)',
    [id, type, customerId, at, at, '{}'],
  );
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

describe.each(backends)('segment groups and event rules on %s', (_name, open) => {
  it('counts events per period and combines AND/OR groups, streamed and paged alike', async () => {
    const db = await open();
    await seed(db);
    // a paid twice this month, b once this month and once 60 days ago, c never; a clicked 100 days ago.
    await addEvent(db, 'e1', 'a', 'order.paid', 1);
    await addEvent(db, 'e2', 'a', 'order.paid', 10);
    await addEvent(db, 'e3', 'b', 'order.paid', 5);
    await addEvent(db, 'e4', 'b', 'order.paid', 60);
    await addEvent(db, 'e5', 'a', 'link.clicked', 100);
    await addEvent(db, 'e6', 'e', 'order.paid', 1); // erased: never a member
    const seg = (input: unknown): SegmentFilter => SegmentFilterSchema.parse(input);
    const paid = (op: 'atLeast' | 'fewerThan', times: number, period: object) => ({
      event: 'order.paid',
      op,
      times,
      period,
    });
    const members = async (f: SegmentFilter) => {
      const paged: string[] = [];
      await visitSegmentMembers(db, f, NOW, (id) => paged.push(id), { pageSize: 1 });
      const preview = (await previewSegment(db, f, NOW)).sample.sort();
      expect(paged.sort()).toEqual(preview);
      if (db.dialect === 'sqlite' && 'sqlite' in db) {
        const streamed: string[] = [];
        forEachSegmentMember(db as never, f, NOW, (id) => streamed.push(id));
        expect(streamed.sort()).toEqual(preview);
      }
      return preview;
    };
    expect(await members(seg({ groups: [{ rules: [paid('atLeast', 2, { lastDays: 30 })] }] }))).toEqual(['a']);
    expect(await members(seg({ groups: [{ rules: [paid('atLeast', 2, { lastDays: 90 })] }] }))).toEqual(['a', 'b']);
    expect(await members(seg({ groups: [{ rules: [paid('fewerThan', 1, { lastDays: 30 })] }] }))).toEqual(['c']);
    const window = { from: NOW - 70 * DAY, to: NOW - 50 * DAY };
    expect(await members(seg({ groups: [{ rules: [paid('atLeast', 1, window)] }] }))).toEqual(['b']);
    // VIP AND (paid twice in 30 days OR in 北京) → a, b; VIP AND (clicked in 30 days) → none.
    expect(
      await members(
        seg({
          conditions: [{ field: 'tags', op: 'hasTag', value: 'VIP' }],
          groups: [
            {
              match: 'any',
              rules: [paid('atLeast', 2, { lastDays: 30 }), { field: 'attributes.city', op: 'eq', value: '北京' }],
            },
          ],
        }),
      ),
    ).toEqual(['a', 'b']);
    expect(
      await members(
        seg({
          match: 'any',
          groups: [
            { rules: [{ event: 'link.clicked', op: 'atLeast', period: { lastDays: 30 } }] },
            { rules: [{ field: 'rfm.segment', op: 'eq', value: 'noOrders' }] },
          ],
        }),
      ),
    ).toEqual(['c']);
  });
});
