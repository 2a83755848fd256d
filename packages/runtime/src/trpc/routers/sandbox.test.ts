import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { graphOf, publishJourneyOn } from '../../../testing/fixtures.ts';
import type { AppDatabase } from '../../db/app-database.ts';
import { addCustomer, createHarness, type Harness, type HarnessBackend } from '../harness.test-helper.ts';

const DAY = 86_400_000;
let h: Harness<AppDatabase>;
// Every case on SQLite and on a fresh PostgreSQL database.
const BACKENDS = ['sqlite', 'postgresql'] as const satisfies readonly HarnessBackend[];
afterEach(() => h.close());

async function setUp(backend: HarnessBackend) {
  h = await createHarness({ nodes: 'product', backend });
  const now = h.clock.now();
  await h.as('operator').coupons.createStock({
    id: 'welcome10',
    name: '新客立减10元',
    maxCoupons: 10,
    amountCents: 1000,
    validFrom: new Date(now - DAY),
    validTo: new Date(now + 30 * DAY),
  });
  await publishJourneyOn(
    h.db,
    'reception',
    graphOf(
      [
        ['entry', 'core.eventEntry', { event: 'wecom.contactAdded', filter: { match: 'all', conditions: [] } }],
        ['hello', 'wecom.welcome', { text: '您好，欢迎！', attachments: [] }],
        ['wait', 'core.wait', { duration: { amount: 1, unit: 'hours' } }],
        [
          'sms',
          'sms.send',
          { templateCode: 'SMS_1', signName: '小店', content: '{{identities.phone}} 的新客券已到账', kind: 'notice' },
        ],
        ['coupon', 'coupons.issue', { stockId: 'welcome10' }],
        ['end', 'core.exit', { reason: 'done' }],
      ],
      [
        ['entry', 'next', 'hello'],
        ['hello', 'sent', 'wait'],
        ['wait', 'next', 'sms'],
        ['sms', 'sent', 'coupon'],
        ['coupon', 'issued', 'end'],
      ],
      { quietHours: { enabled: false } },
    ),
  );
  await addCustomer(h, 'amy', { phone: '+8613800000001' });
  await addCustomer(h, 'bob', { phone: '+8613800000002' });
}

async function run(customerId: string) {
  await h.engine.enroll('reception', customerId);
  await h.engine.tick();
}

describe.each(BACKENDS)('on %s', (backend) => {
  beforeEach(() => setUp(backend));

  describe('sandbox router (沙箱消息)', () => {
    it('lists every sandbox SMS, WeCom message and coupon, newest first, per customer and channel', async () => {
      const viewer = h.as('viewer');
      expect(await viewer.sandbox.messages({})).toEqual([]);
      await run('amy');
      h.clock.advance(1_000);
      await run('bob');
      // Both wait an hour before the SMS: only the welcome messages so far, bob's on top.
      const first = await viewer.sandbox.messages({});
      expect(first.map((m) => [m.customerId, m.channel, m.content])).toEqual([
        ['bob', 'wecom', '您好，欢迎！'],
        ['amy', 'wecom', '您好，欢迎！'],
      ]);
      expect(first[0]).toMatchObject({ customerName: 'bob', journeyId: 'reception', nodeId: 'hello', kind: 'welcome' });
      // The node by the name its card shows (here its type's, it has none of its own), not its id.
      expect(first[0]?.nodeTitle).toEqual({ 'zh-CN': '发送欢迎语', en: 'Send welcome message' });

      h.clock.advance(3_600_000);
      await h.engine.tick();
      const all = await viewer.sandbox.messages({});
      expect(all).toHaveLength(6);
      expect(all.map((m) => m.sentAt)).toEqual([...all.map((m) => m.sentAt)].sort((a, b) => b - a));
      const amy = await viewer.sandbox.messages({ customerId: 'amy' });
      expect(amy.map((m) => m.channel).sort()).toEqual(['coupon', 'sms', 'wecom']);
      expect(amy.find((m) => m.channel === 'sms')).toMatchObject({
        recipient: '+8613800000001',
        content: '【小店】+8613800000001 的新客券已到账',
      });
      expect(amy.find((m) => m.channel === 'coupon')).toMatchObject({
        content: '新客立减10元 · ¥10.00',
        status: 'sent',
        // The journey and node that issued it, from the coupon's idempotency key.
        journeyId: 'reception',
        journeyName: expect.any(String),
        nodeId: expect.any(String),
      });
      expect(amy.find((m) => m.channel === 'coupon')?.nodeTitle).not.toBeNull();
      // The coupon's time is the issuing step's, in epoch ms like the messages'.
      const coupon = amy.find((m) => m.channel === 'coupon');
      expect(coupon?.sentAt).toBe(amy.find((m) => m.channel === 'sms')?.sentAt);

      // Both coupons were issued in the same tick (same instant): which of the two comes first is
      // not defined on PostgreSQL, where a coupon has no row number to break the tie.
      const coupons = await viewer.sandbox.messages({ channel: 'coupon' });
      expect(coupons.map((m) => m.customerId).sort()).toEqual(['amy', 'bob']);
      expect(coupons[0]?.sentAt).toBe(coupons[1]?.sentAt);
      expect(await viewer.sandbox.messages({ limit: 2 })).toHaveLength(2);
      const older = await viewer.sandbox.messages({ before: first[0]?.sentAt });
      expect(older.map((m) => m.customerId)).toEqual(['amy']);
    });

    it('leaves out messages of real providers and needs a signed-in viewer', async () => {
      await h.db.prisma.message.create({
        data: {
          idempotencyKey: 'real-1',
          customerId: 'amy',
          channel: 'sms',
          provider: 'aliyun',
          recipient: '+8613800000001',
          content: 'real',
          sentAt: BigInt(h.clock.now()),
        },
      });
      expect(await h.as('viewer').sandbox.messages({})).toEqual([]);
      await expect(h.as(null).sandbox.messages({})).rejects.toThrow(/sign in/i);
      await expect(h.as('viewer').sandbox.messages({ limit: 0 })).rejects.toThrow();
    });
  });

  describe('tags and overview routers', () => {
    it('lists tags in use, most used first, filtered by text', async () => {
      await h.as('operator').customers.updateTags({ id: 'amy', add: ['新客', 'VIP'] });
      await h.as('operator').customers.updateTags({ id: 'bob', add: ['新客'] });
      expect(await h.as('viewer').tags.list()).toEqual([
        { tag: '新客', customers: 2 },
        { tag: 'VIP', customers: 1 },
      ]);
      expect(await h.as('viewer').tags.list({ text: 'vi' })).toEqual([{ tag: 'VIP', customers: 1 }]);
    });

    it('summarises journeys: entries today and in total, in flight, goal conversion', async () => {
      await run('amy');
      h.clock.advance(2 * DAY);
      await run('bob');
      const [row] = await h.as('viewer').overview.journeys({});
      expect(row).toEqual({
        journeyId: 'reception',
        entriesToday: 1,
        entriesTotal: 2,
        active: 1, // amy finished; bob waits an hour
        conversions: 0,
        conversionRate: 0,
      });
      await h.db.prisma.instance.updateMany({ where: { customerId: 'amy' }, data: { goalAt: new Date() } });
      const [after] = await h.as('viewer').overview.journeys({ journeyIds: ['reception'] });
      expect(after).toMatchObject({ conversions: 1, conversionRate: 0.5 });
      expect(await h.as('viewer').overview.journeys({ journeyIds: ['other'] })).toEqual([]);
    });
  });
});
