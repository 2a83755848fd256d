// Validate and publish resolve every workspace id a graph names (channels, coupon stocks, saved
// segments, credentials) and report a missing one on its node, in words: a template's channel or a
// deleted stock used to pass as "ready to publish" and fail when the first customer got there.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { graphOf } from '../../testing/fixtures.ts';
import { createHarness, type Harness } from '../trpc/harness.test-helper.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ nodes: 'product' });
});
afterEach(async () => {
  await h.close();
});

/** Package card scan → coupon → exit, plus a saved-segment entry → exit. */
function cardJourney(channelIds: string[], stockId: string, segmentId: string) {
  return graphOf(
    [
      ['scan', 'core.channelEntry', { channelIds, variants: [] }],
      ['coupon', 'coupons.issue', { stockId }],
      ['vip', 'core.audienceEntry', { segmentId, filter: { match: 'all', conditions: [] } }],
      ['done', 'core.exit', { reason: 'done' }],
    ],
    [
      ['scan', 'next', 'coupon'],
      ['coupon', 'issued', 'done'],
      ['vip', 'next', 'done'],
    ],
  );
}

describe('workspace references at validate and publish', () => {
  it('reports each missing channel, stock and segment on its node and path, and publishes once they exist', async () => {
    const api = h.as('operator');
    await h.db.prisma.channel.create({ data: { id: 'ch_card', name: '包裹卡', kind: 'packageCard' } });
    const j = await api.journeys.create({
      name: 'card',
      graph: cardJourney(['ch_card', 'default'], 'welcome', 'seg_x'),
    });

    const { ok, problems } = await api.journeys.validate({ id: j.id });
    expect(ok).toBe(false);
    expect(problems.map((p) => [p.code, p.nodeId, p.path, p.params?.kind])).toEqual([
      ['resourceMissing', 'scan', 'channelIds[1]', 'core.channel'],
      ['resourceMissing', 'coupon', 'stockId', 'coupons.stock'],
      ['resourceMissing', 'vip', 'segmentId', 'core.segment'],
    ]);
    // In words a marketer reads: the kind, never the id.
    expect(problems[1]?.message['zh-CN']).toBe('优惠券批次不存在（未创建或已删除），请选择或新建');
    expect(problems.map((p) => p.message['zh-CN']).join()).not.toMatch(/default|welcome|seg_x/);
    // The editor's draft answers carry them too (it shows them in its problems panel).
    expect((await api.journeys.get({ id: j.id })).problems).toEqual(problems);
    await expect(api.journeys.publish({ id: j.id })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await h.db.prisma.journeyVersion.count()).toBe(0);

    await h.db.prisma.channel.create({ data: { id: 'default', name: '门店', kind: 'storePoster' } });
    await h.db.prisma.couponStock.create({
      data: {
        id: 'welcome',
        name: '新客券',
        maxCoupons: 10,
        amountCents: 500,
        validFrom: new Date(),
        validTo: new Date(),
      },
    });
    await h.db.prisma.segment.create({ data: { id: 'seg_x', name: 'VIP', filter: '{"match":"all","conditions":[]}' } });
    expect(await api.journeys.validate({ id: j.id })).toEqual({ ok: true, problems: [] });
    expect((await api.journeys.publish({ id: j.id })).version).toBe(1);
  });

  it('an archived channel counts as missing; a graph given inline is checked the same way', async () => {
    const api = h.as('viewer');
    await h.db.prisma.channel.create({
      data: { id: 'ch_old', name: '旧海报', kind: 'storePoster', archivedAt: new Date() },
    });
    await h.db.prisma.couponStock.create({
      data: { id: 's1', name: '券', maxCoupons: 1, amountCents: 100, validFrom: new Date(), validTo: new Date() },
    });
    await h.db.prisma.segment.create({ data: { id: 'seg', name: 'VIP', filter: '{"match":"all","conditions":[]}' } });
    const { problems } = await api.journeys.validate({ graph: cardJourney(['ch_old'], 's1', 'seg') });
    expect(problems.map((p) => [p.code, p.nodeId, p.path])).toEqual([['resourceMissing', 'scan', 'channelIds[0]']]);
  });

  it('WeCom staff are checked against the staff directory once it is synced: a member no longer listed is missing', async () => {
    const api = h.as('operator');
    const graph = graphOf(
      [
        ['entry', 'core.apiEntry', {}],
        [
          'call',
          'core.staffTask',
          { title: '回访', fallbackAssignee: 'dianzhang_sh', expiresAfter: { amount: 1, unit: 'days' } },
        ],
        ['mass', 'wecom.massMessage', { text: '会员日', attachments: [], sender: 'zhangsan' }],
        ['done', 'core.exit', { reason: 'done' }],
      ],
      [
        ['entry', 'next', 'call'],
        ['call', 'done', 'mass'],
        ['call', 'expired', 'mass'],
        ['mass', 'sent', 'done'],
      ],
    );
    const j = await api.journeys.create({ name: 'staff', graph });
    // No directory yet: nothing to check the userids against.
    expect(await api.journeys.validate({ id: j.id })).toEqual({ ok: true, problems: [] });

    const syncedAt = new Date();
    await h.db.prisma.wecomStaff.createMany({
      data: [
        { userId: 'dianzhang_sh', name: '王芳', active: true, syncedAt },
        { userId: 'zhangsan', name: '张三', active: false, syncedAt },
      ],
    });
    const { ok, problems } = await api.journeys.validate({ id: j.id });
    expect(ok).toBe(false);
    expect(problems.map((p) => [p.code, p.nodeId, p.path, p.params?.kind])).toEqual([
      ['resourceMissing', 'mass', 'sender', 'wecom.staff'],
    ]);
    expect(problems[0]?.message['zh-CN']).toBe('企业微信员工不存在（未创建或已删除），请选择或新建');

    await h.db.prisma.wecomStaff.update({ where: { userId: 'zhangsan' }, data: { active: true } });
    expect(await api.journeys.validate({ id: j.id })).toEqual({ ok: true, problems: [] });
  });
});
