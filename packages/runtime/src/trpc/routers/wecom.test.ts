import { type FakeWecom, startFakeWecom } from '@siyu/nodes-wecom/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { graphOf, publishJourneyOn } from '../../../testing/fixtures.ts';
import type { AppDatabase } from '../../db/app-database.ts';
import { createWecomAdmin } from '../../node-packages/wecom-admin.ts';
import { createHarness, type Harness, type HarnessBackend } from '../harness.test-helper.ts';

let h: Harness<AppDatabase>;
// Every case on SQLite and on a fresh PostgreSQL database.
const BACKENDS = ['sqlite', 'postgresql'] as const satisfies readonly HarnessBackend[];
async function setUp(backend: HarnessBackend) {
  h = await createHarness({ nodes: 'product', backend });
  await h.as('operator').channels.create({
    name: '门店活码',
    kind: 'liveCode',
    codes: [
      { code: 'store-sh', variant: 'shanghai' },
      { code: 'store-bj', variant: 'beijing' },
    ],
  });
}
afterEach(() => h.close());

const ownerOf = async (externalUserId: string) =>
  (
    await h.db.prisma.customer.findFirst({
      where: { identities: { some: { kind: 'wecomExternalUserId', value: externalUserId } } },
    })
  )?.ownerUserId;

describe.each(BACKENDS)('on %s', (backend) => {
  beforeEach(() => setUp(backend));

  describe('wecom router in the sandbox', () => {
    it('a simulated scan adds the contact, sets the owner, attributes the channel and starts the channel journey', async () => {
      const channel = await h.db.prisma.channel.findFirstOrThrow();
      await publishJourneyOn(
        h.db,
        'reception',
        graphOf(
          [
            ['entry', 'core.channelEntry', { channelIds: [channel.id] }],
            ['tag', 'core.updateTags', { add: ['门店客'], tagChannel: true }],
          ],
          [['entry', 'next', 'tag']],
        ),
      );
      const live = await h.as('operator').wecom.createLiveCode({ code: 'store-sh', userIds: ['zhangsan'] });
      expect(live.configId).toMatch(/^sandbox_/);
      expect(live.qrCodeUrl).toBe('http://localhost:3000/r/store-sh');
      const scan = await h
        .as('operator')
        .wecom.simulateContactAdded({ code: 'store-sh', userId: 'zhangsan', externalUserId: 'wm1', name: '王芳' });
      expect(scan.enrolled).toBe(1);
      await h.engine.tick();
      const customer = await h.db.prisma.customer.findUniqueOrThrow({
        where: { id: scan.customerId },
        include: { tags: true },
      });
      expect(customer).toMatchObject({
        ownerUserId: 'zhangsan',
        channelCode: 'store-sh',
        variant: 'shanghai',
        displayName: '王芳',
      });
      expect(customer.tags.map((t) => t.tag).sort()).toEqual(['渠道:store-sh', '版本:shanghai', '门店客']);
      await expect(h.as('operator').wecom.simulateContactAdded({ code: 'nope' })).rejects.toThrow(/not found/);
    });

    it('hands a leaving staff member’s customers over (admin only), all or the chosen ones', async () => {
      for (const id of ['wm1', 'wm2', 'wm3']) {
        await h.as('operator').wecom.simulateContactAdded({ code: 'store-bj', userId: 'lisi', externalUserId: id });
      }
      await expect(
        h.as('operator').wecom.handover({ fromUserId: 'lisi', toUserId: 'wangwu', resigned: true }),
      ).rejects.toThrow(/admin/);
      expect(
        await h
          .as('admin')
          .wecom.handover({ fromUserId: 'lisi', toUserId: 'wangwu', resigned: false, externalUserIds: ['wm2'] }),
      ).toEqual({ moved: 1, failed: [] });
      expect(await ownerOf('wm2')).toBe('wangwu');
      await expect(
        h
          .as('admin')
          .wecom.handover({ fromUserId: 'lisi', toUserId: 'wangwu', resigned: true, externalUserIds: ['wm2'] }),
      ).rejects.toThrow(/not owned by lisi/);
      expect(await h.as('admin').wecom.handover({ fromUserId: 'lisi', toUserId: 'wangwu', resigned: true })).toEqual({
        moved: 2,
        failed: [],
      });
      expect([await ownerOf('wm1'), await ownerOf('wm3')]).toEqual(['wangwu', 'wangwu']);
    });
  });

  describe('the staff directory', () => {
    it('the sandbox: empty until synced, then its roster by name; only admins sync', async () => {
      expect(await h.as('viewer').wecom.staff()).toEqual([]);
      await expect(h.as('operator').wecom.syncStaff()).rejects.toThrow(/admin/);
      expect(await h.as('admin').wecom.syncStaff()).toMatchObject({ listed: 2, added: 2, deactivated: 0 });
      const staff = await h.as('viewer').wecom.staff();
      expect(staff.map((m) => [m.userId, m.name, m.active])).toEqual([
        ['sandbox-staff', '林晓', true],
        ['dianzhang_sh', '王芳', true],
      ]);
    });

    it("against WeCom: names synced; WeCom's refusal comes back in its words, the names stay", async () => {
      const fake = await startFakeWecom();
      try {
        h.deps.wecomAdmin = createWecomAdmin({
          db: h.db,
          clock: h.clock,
          publicUrl: () => 'http://x',
          wecom: fake.config,
        });
        fake.addStaff('zhangsan', '张三');
        expect(await h.as('admin').wecom.syncStaff()).toMatchObject({ listed: 1, added: 1 });
        fake.failNext('externalcontact/get_follow_user_list', 48002);
        const refused = await h
          .as('admin')
          .wecom.syncStaff()
          .catch((e) => e);
        expect(refused.code).toBe('BAD_GATEWAY');
        expect(refused.message).toMatch(/^Could not read the staff list from WeCom: .*errcode 48002/);
        expect(refused.message).not.toContain(fake.config.secret);
        expect((await h.as('viewer').wecom.staff()).map((m) => m.name)).toEqual(['张三']);
      } finally {
        await fake.close();
      }
    });
  });

  describe('wecom admin against the fake WeCom server', () => {
    let fake: FakeWecom;
    beforeEach(async () => {
      fake = await startFakeWecom();
    });
    afterEach(() => fake.close());

    it('creates the live code with state = entry code and transfers customers in batches of 100', async () => {
      const admin = createWecomAdmin({ db: h.db, clock: h.clock, publicUrl: () => 'http://x', wecom: fake.config });
      expect(admin.mode).toBe('wecom');
      const live = await admin.createLiveCode({ code: 'store-sh', userIds: ['zhangsan', 'lisi'], skipVerify: true });
      expect(live.qrCodeUrl).toMatch(/^https:\/\/fake\.wecom\/qr\//);
      expect(fake.calls('externalcontact/add_contact_way')[0]?.body).toMatchObject({
        state: 'store-sh',
        type: 2,
        user: ['zhangsan', 'lisi'],
      });
      expect((await h.db.prisma.entryCode.findUniqueOrThrow({ where: { code: 'store-sh' } })).wecomConfigId).toBe(
        live.configId,
      );

      const now = new Date();
      for (let i = 0; i < 150; i++) {
        await h.engine.ingestEvent({
          id: `add-${i}`,
          type: 'wecom.contactAdded',
          identities: { wecomExternalUserId: `wm${i}` },
          occurredAt: now,
          data: { userId: 'lisi' },
        });
      }
      const result = await admin.handover({ fromUserId: 'lisi', toUserId: 'wangwu', resigned: true });
      expect(result).toEqual({ moved: 150, failed: [] });
      expect(
        fake
          .calls('externalcontact/resigned/transfer_customer')
          .map((c) => (c.body.external_userid as string[]).length),
      ).toEqual([100, 50]);
      expect(await h.db.prisma.customer.count({ where: { ownerUserId: 'wangwu' } })).toBe(150);
    });
  });
});
