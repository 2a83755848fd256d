import { TRPCError } from '@trpc/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../../auth/api-keys.ts';
import type { AppDatabase } from '../../db/app-database.ts';
import {
  addCustomer,
  createHarness,
  type Harness,
  type HarnessBackend,
  welcomeJourney,
} from '../harness.test-helper.ts';

let h: Harness<AppDatabase>;
// Every case on SQLite and on a fresh PostgreSQL database.
const BACKENDS = ['sqlite', 'postgresql'] as const satisfies readonly HarnessBackend[];
afterEach(async () => {
  await h.close();
});

const base64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe.each(BACKENDS)('on %s', (backend) => {
  beforeEach(async () => {
    h = await createHarness({ backend });
  });

  describe('customers router', () => {
    it('searches by text, tags, attributes, channel and journey state', async () => {
      await addCustomer(h, 'a', { phone: '+8613800000001', tags: ['VIP', '复购'], attributes: { city: '上海' } });
      await addCustomer(h, 'b', { phone: '+8613800000002', tags: ['VIP'], attributes: { city: '北京' } });
      await addCustomer(h, 'c', { tags: ['新客'] });
      await h.db.prisma.customer.update({ where: { id: 'c' }, data: { channelCode: 'card1' } });
      const api = h.as('viewer');
      const ids = async (input: Parameters<typeof api.customers.search>[0]) =>
        (await api.customers.search(input)).items.map((c) => c.id).sort();
      expect(await ids({ tags: ['VIP'] })).toEqual(['a', 'b']);
      expect(await ids({ tags: ['VIP', '复购'] })).toEqual(['a']);
      expect(await ids({ withoutTags: ['VIP'] })).toEqual(['c']);
      expect(await ids({ attributes: [{ key: 'city', value: '北京' }] })).toEqual(['b']);
      expect(await ids({ text: '13800000001' })).toEqual(['a']);
      expect(await ids({ channelCode: 'card1' })).toEqual(['c']);
      // The profile names the channel the code belongs to (a code no channel has: no name).
      expect((await api.customers.get({ id: 'c' })).channelName).toBeNull();
      await h.db.prisma.channel.create({ data: { id: 'ch1', name: '包裹卡 · 天猫', kind: 'packageCard' } });
      await h.db.prisma.entryCode.create({ data: { code: 'card1', channelId: 'ch1' } });
      expect(await api.customers.get({ id: 'c' })).toMatchObject({
        channelCode: 'card1',
        channelName: '包裹卡 · 天猫',
      });

      const op = h.as('operator');
      const j = await op.journeys.create({ name: 'j', graph: welcomeJourney() });
      await op.journeys.publish({ id: j.id });
      await op.runs.enroll({ journeyId: j.id, customerId: 'b' });
      expect(await ids({ journeyId: j.id, journeyStatus: 'active' })).toEqual(['b']);
      const page = await api.customers.search({ limit: 2 });
      expect(page.total).toBe(3);
      expect(page.items).toHaveLength(2);
      expect(page.items[0]?.tags).toBeInstanceOf(Array);
    });

    it('shows a profile with the timeline across journeys, edits tags and opt-out, and erases', async () => {
      await addCustomer(h, 'a', { phone: '+8613800000001', tags: ['VIP'], attributes: { city: '上海' } });
      const op = h.as('operator');
      const j = await op.journeys.create({ name: '欢迎', graph: welcomeJourney() });
      await op.journeys.publish({ id: j.id });
      await op.runs.enroll({ journeyId: j.id, customerId: 'a' });
      await h.engine.tick();
      await op.events.ingest({
        id: 'o1',
        type: 'order.placed',
        customerId: 'a',
        occurredAt: new Date(),
        data: { amount: 99 },
      });

      const profile = await h.as('viewer').customers.get({ id: 'a' });
      expect(profile.identities.map((i) => i.value)).toEqual(['+8613800000001']);
      expect(profile.instances).toHaveLength(1);
      expect(profile.timeline.length).toBeGreaterThanOrEqual(3);
      expect(profile.timeline.every((e) => e.journeyName === '欢迎')).toBe(true);
      expect(profile.events.map((e) => e.type)).toContain('order.placed');

      expect((await op.customers.updateTags({ id: 'a', add: ['高价值'], remove: ['VIP'] })).tags).toEqual(['高价值']);
      await op.customers.setOptOut({ id: 'a', channel: 'sms', optedOut: true });
      expect((await op.customers.get({ id: 'a' })).optOuts).toHaveLength(1);
      await op.customers.setOptOut({ id: 'a', channel: 'sms', optedOut: false });
      expect((await op.customers.get({ id: 'a' })).optOuts).toHaveLength(0);
      await op.customers.setOptOut({ id: 'a', channel: 'sms', optedOut: true, reason: 'replied R' });
      // A blank reason says nothing on the profile: refused, naming the field.
      await expect(op.customers.setOptOut({ id: 'a', channel: 'sms', optedOut: true, reason: '  ' })).rejects.toThrow(
        /reason/,
      );

      await expect(h.as('viewer').customers.erase({ id: 'a' })).rejects.toThrow(TRPCError);
      await op.customers.erase({ id: 'a' });
      const erased = await op.customers.get({ id: 'a' });
      expect(erased.erasedAt).not.toBeNull();
      expect(erased.identities).toEqual([]);
      expect(erased.tags).toEqual([]);
      expect(erased.attributes).toEqual({});
      expect(erased.displayName).toBeNull();
      expect(erased.instances[0]?.status).toBe('exited');
      expect(erased.events[0]?.data).toEqual({});
      // The opt-out is kept so the number is never messaged again.
      expect(await h.db.prisma.optOut.count({ where: { address: '+8613800000001' } })).toBe(1);
      expect((await op.customers.search({})).total).toBe(0);
      expect(await h.engine.enroll(j.id, 'a')).toMatchObject({ status: 'skipped' });
    });
  });

  describe('audiences router', () => {
    it('imports a CSV through the API and reports rejected rows; an API key can import but not read', async () => {
      const csv = '手机号,姓名,标签\n13800000001,张三,VIP\n13800000001,张三,VIP\nabc,坏,\n';
      const report = await h
        .as('operator')
        .audiences.import({ fileName: 'a.csv', contentBase64: base64(csv), mode: 'skipInvalid' });
      expect(report).toMatchObject({ status: 'committed', created: 1, duplicates: 1, rejected: 1, totalRows: 3 });
      expect(report.problems.map((p) => p.row)).toEqual([3, 4]);

      const { key } = await createApiKey(h.db, { name: 'shop', scopes: ['customers:import'] });
      const principal = await (await import('../../auth/api-keys.ts')).apiKeyPrincipal(h.db, key);
      const asKey = h.asPrincipal(principal);
      const again = await asKey.audiences.import({ fileName: 'b.csv', contentBase64: base64('phone\n13800000002\n') });
      expect(again.created).toBe(1);
      await expect(asKey.customers.search({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(
        asKey.events.ingest({ id: 'e', type: 'order.placed', customerId: 'x', occurredAt: new Date() }),
      ).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      await expect(
        h.as('viewer').audiences.import({ fileName: 'c.csv', contentBase64: base64('phone\n1\n') }),
      ).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      expect((await h.as('viewer').audiences.imports()).map((b) => b.status)).toEqual(['committed', 'committed']);
    });

    it('saves segments by tags, attributes and RFM and previews their size', async () => {
      await addCustomer(h, 'a', { tags: ['VIP'], attributes: { city: '上海' } });
      await addCustomer(h, 'b', { tags: ['VIP'], attributes: { city: '北京' } });
      await addCustomer(h, 'c', { attributes: { city: '上海' } });
      const now = h.clock.now();
      const day = 86_400_000;
      // a: 5 recent orders; b: one order long ago; c: none.
      for (let i = 0; i < 5; i++) {
        await h.db.prisma.order.create({
          data: { id: `a${i}`, customerId: 'a', amountCents: 10_000, placedAt: new Date(now - i * day) },
        });
      }
      await h.db.prisma.order.create({
        data: { id: 'b0', customerId: 'b', amountCents: 500, placedAt: new Date(now - 200 * day) },
      });
      const api = h.as('operator');
      const vipShanghai = {
        match: 'all' as const,
        conditions: [
          { field: 'tags', op: 'hasTag' as const, value: 'VIP' },
          { field: 'attributes.city', op: 'eq' as const, value: '上海' },
        ],
      };
      expect((await api.audiences.previewSegment({ filter: vipShanghai })).size).toBe(1);
      const lapsed = {
        match: 'all' as const,
        conditions: [{ field: 'rfm.recencyDays', op: 'gt' as const, value: 90 }],
      };
      expect((await api.audiences.previewSegment({ filter: lapsed })).sample).toEqual(['b']);
      const best = { match: 'all' as const, conditions: [{ field: 'rfm.monetary', op: 'gte' as const, value: 2 }] };
      expect((await api.audiences.previewSegment({ filter: best })).sample).toEqual(['a']);
      const noOrders = {
        match: 'all' as const,
        conditions: [{ field: 'rfm.segment', op: 'eq' as const, value: 'noOrders' }],
      };
      expect((await api.audiences.previewSegment({ filter: noOrders })).sample).toEqual(['c']);

      const saved = await api.audiences.saveSegment({ name: '上海 VIP', filter: vipShanghai });
      const loaded = await h.as('viewer').audiences.getSegment({ id: saved.id });
      expect(loaded.preview.size).toBe(1);
      await expect(
        api.audiences.saveSegment({
          name: 'bad',
          filter: { match: 'all', conditions: [{ field: 'tags', op: 'in', value: 'x' }] },
        }),
      ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      await api.audiences.deleteSegment({ id: saved.id });
      expect(await api.audiences.segments()).toEqual([]);
    });
  });
});
