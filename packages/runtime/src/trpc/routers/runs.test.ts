import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { graphOf } from '../../../testing/fixtures.ts';
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

const DAY = 86_400_000;

async function liveWelcome() {
  const op = h.as('operator');
  const j = await op.journeys.create({ name: '欢迎', graph: welcomeJourney() });
  const v = await op.journeys.publish({ id: j.id });
  return { id: j.id, versionId: v.versionId };
}

describe.each(BACKENDS)('on %s', (backend) => {
  beforeEach(async () => {
    h = await createHarness({ backend });
  });

  describe('runs, events and stats routers', () => {
    it('enrolls one, a list and a segment, and shows an instance timeline', async () => {
      const j = await liveWelcome();
      for (const id of ['a', 'b', 'c', 'd']) await addCustomer(h, id, { tags: id === 'd' ? ['VIP'] : [] });
      const op = h.as('operator');
      expect(await op.runs.enroll({ journeyId: j.id, customerId: 'a' })).toMatchObject({ status: 'enrolled' });
      expect(await op.runs.enrollMany({ journeyId: j.id, customerIds: ['a', 'b', 'c'] })).toEqual({
        enrolled: 2,
        skipped: { reEntryOnce: 1 }, // the default re-entry policy is once
      });
      const seg = await op.audiences.saveSegment({
        name: 'VIP',
        filter: { match: 'all', conditions: [{ field: 'tags', op: 'hasTag', value: 'VIP' }] },
      });
      expect(await op.runs.enrollSegment({ journeyId: j.id, segmentId: seg.id })).toEqual({
        matched: 1,
        enrolled: 1,
        skipped: {},
      });
      // Coded, so the editor words it in the operator's language.
      await expect(op.runs.enroll({ journeyId: j.id, customerId: 'nobody' })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        detail: { key: 'engine.unknownCustomer', params: { id: 'nobody' } },
      });

      await h.engine.tick();
      const list = await h.as('viewer').runs.instances({ journeyId: j.id, nodeId: 'wait' });
      expect(list.total).toBe(4);
      const first = list.items.find((i) => i.customerId === 'a');
      const timeline = await h.as('viewer').runs.timeline({ instanceId: first?.id as number });
      expect(timeline.steps.map((s) => s.nodeId)).toContain('welcome');
      expect(timeline.instance.status).toBe('active');
      // Where a marketer reads: the customer by name and phone, the node by its name, not ids.
      expect(first?.customer).toEqual({ displayName: 'a', phone: null });
      const profile = await h.as('viewer').customers.get({ id: 'a' });
      const atWait = profile.timeline.find((s) => s.nodeId === 'wait');
      expect(atWait?.nodeTitle).toEqual({ 'zh-CN': '等待', en: 'Wait' });
      expect(profile.instances[0]?.nodeTitle).toEqual({ 'zh-CN': '等待', en: 'Wait' });
    });

    it('ingests events idempotently, one or a batch', async () => {
      await addCustomer(h, 'a');
      const op = h.as('operator');
      const event = {
        id: 'order-1',
        type: 'order.placed',
        customerId: 'a',
        occurredAt: new Date(),
        data: { amountCents: 100 },
      };
      expect((await op.events.ingest(event)).status).toBe('accepted');
      expect((await op.events.ingest(event)).status).toBe('duplicate');
      const batch = await op.events.ingestBatch({
        events: [
          event,
          { ...event, id: 'order-2' },
          { ...event, id: 'order-3', customerId: undefined, identities: { phone: '+8613800000009' } },
        ],
      });
      expect(batch).toMatchObject({ duplicate: 1 });
      expect(batch.accepted + batch.rejected).toBe(2);
      expect(await h.db.prisma.event.count()).toBe(2 + batch.accepted - 1);
      const bad = await op.events
        .ingest({ id: '', type: 'x', occurredAt: 'not a date' } as never)
        .catch((e: unknown) => e);
      expect(String(bad)).toMatch(/id|type|occurredAt/);
    });

    it('counts per node and per edge, entries and goals', async () => {
      const j = await liveWelcome();
      for (const id of ['a', 'b', 'c']) {
        await addCustomer(h, id);
        await h.as('operator').runs.enroll({ journeyId: j.id, customerId: id });
      }
      await h.engine.tick();
      const stats = await h.as('viewer').stats.journey({ journeyId: j.id });
      expect(stats.entries).toBe(3);
      expect(stats.active).toBe(3);
      const wait = stats.nodes.find((n) => n.nodeId === 'wait');
      expect(wait).toMatchObject({ entered: 3, waiting: 3, completed: 0 });
      expect(stats.nodes.find((n) => n.nodeId === 'welcome')).toMatchObject({ entered: 3, waiting: 0, completed: 3 });
      expect(stats.edges).toContainEqual({ source: 'welcome', port: 'sent', target: 'wait', count: 3 });

      h.clock.advance(DAY);
      await h.engine.tick();
      // Another version id gives fresh numbers (the 2-second cache is per journey and version).
      const after = await h.as('viewer').stats.journey({ journeyId: j.id, versionId: j.versionId });
      expect(after).toMatchObject({ entries: 3, active: 0, exited: 3 });
      expect(after.nodes.find((n) => n.nodeId === 'wait')).toMatchObject({ entered: 3, waiting: 0, completed: 3 });
    });

    it('test-runs a journey on a simulated clock in a scratch database', async () => {
      const op = h.as('operator');
      const graph = graphOf(
        [
          ['entry', 'sample.apiEntry', {}],
          ['wait', 'sample.wait', { duration: { amount: 3, unit: 'days' } }],
          ['waitOrder', 'sample.waitForEvent', { event: 'order.placed', timeout: { amount: 7, unit: 'days' } }],
          ['thanks', 'sample.send', { channel: 'wecom', text: '谢谢惠顾' }],
          ['exit', 'sample.exit', {}],
        ],
        [
          ['entry', 'next', 'wait'],
          ['wait', 'next', 'waitOrder'],
          ['waitOrder', 'matched', 'thanks'],
          ['waitOrder', 'timeout', 'exit'],
          ['thanks', 'sent', 'exit'],
        ],
        { quietHours: { enabled: false } },
      );
      const j = await op.journeys.create({ name: 't', graph });
      const ordered = await op.runs.testRun({
        journeyId: j.id,
        events: [{ afterMs: 5 * DAY, type: 'order.placed', data: {} }],
      });
      expect(ordered.status).toBe('exited');
      expect(ordered.simulatedMs).toBe(5 * DAY);
      expect(ordered.messages.map((m) => m.content)).toEqual(['谢谢惠顾']);
      expect(ordered.steps.map((s) => s.nodeId)).toEqual(
        expect.arrayContaining(['wait', 'waitOrder', 'thanks', 'exit']),
      );
      const silent = await op.runs.testRun({ journeyId: j.id });
      expect(silent.status).toBe('exited');
      expect(silent.simulatedMs).toBe(10 * DAY);
      expect(silent.messages).toEqual([]);
      // Nothing leaked into the real database.
      expect(await h.db.prisma.instance.count()).toBe(0);
      expect(await h.db.prisma.customer.count()).toBe(0);
    });
  });
});
