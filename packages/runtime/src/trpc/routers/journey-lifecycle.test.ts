// The journey lifecycle through the API: what pause, stop, archive/restore and roll-back do to
// customers in flight (the editor's confirms say the same), and the list's search and folders.
import { TRPCError } from '@trpc/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { graphOf } from '../../../testing/fixtures.ts';
import type { AppDatabase } from '../../db/app-database.ts';
import { stopJourney } from '../../journeys/lifecycle.ts';
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

const DAY = 24 * 60 * 60 * 1000;

async function refusedWith(promise: Promise<unknown>): Promise<TRPCError['code']> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return (error as TRPCError).code;
}

/** signup → welcome → wait up to a day for an order → exit (ordered) or exit (no order). */
function signupJourney() {
  return graphOf(
    [
      ['entry', 'sample.eventEntry', { event: 'signup.done' }],
      ['welcome', 'sample.send', { channel: 'wecom', text: '欢迎！' }],
      ['waitOrder', 'sample.waitForEvent', { event: 'order.placed', timeout: { amount: 1, unit: 'days' } }],
      ['ordered', 'sample.exit', { reason: 'ordered' }],
      ['noOrder', 'sample.exit', { reason: 'noOrder' }],
    ],
    [
      ['entry', 'next', 'welcome'],
      ['welcome', 'sent', 'waitOrder'],
      ['waitOrder', 'matched', 'ordered'],
      ['waitOrder', 'timeout', 'noOrder'],
    ],
    { quietHours: { enabled: false } },
  );
}

const event = (id: string, type: string, customerId: string) => ({
  id,
  type,
  customerId,
  occurredAt: new Date(h.clock.now()),
  data: {},
});

async function runsOf(journeyId: string) {
  const rows = await h.db.prisma.instance.findMany({ where: { journeyId }, orderBy: { customerId: 'asc' } });
  return Object.fromEntries(
    rows.map((r) => [r.customerId, `${r.status}:${r.exitReason === 'stopped' ? 'stopped' : r.nodeId}`]),
  );
}

async function liveJourney(graph = signupJourney(), customers: string[] = []) {
  const api = h.as('operator');
  const j = await api.journeys.create({ name: '新客欢迎', graph });
  await api.journeys.publish({ id: j.id });
  for (const id of customers) {
    await addCustomer(h, id);
    await h.engine.ingestEvent(event(`signup-${id}`, 'signup.done', id));
  }
  await h.engine.tick();
  return j;
}

describe.each(BACKENDS)('on %s', (backend) => {
  beforeEach(async () => {
    h = await createHarness({ backend });
  });

  describe('journey lifecycle', () => {
    it('paused: nobody new enters (not even after resuming), customers already in it carry on', async () => {
      const api = h.as('operator');
      const j = await liveJourney(signupJourney(), ['a', 'b']);
      expect(await runsOf(j.id)).toEqual({ a: 'active:waitOrder', b: 'active:waitOrder' });
      await api.journeys.pause({ id: j.id });

      await addCustomer(h, 'late');
      expect(await h.engine.ingestEvent(event('signup-late', 'signup.done', 'late'))).toMatchObject({ enrolled: 0 });
      // An event a customer in the journey waits for still moves them on.
      expect(await h.engine.ingestEvent(event('order-a', 'order.placed', 'a'))).toMatchObject({ delivered: 1 });
      // A wait that comes due still ends on time.
      h.clock.advance(DAY + 1);
      expect((await h.engine.tick()).timersFired).toBe(1);
      expect(await runsOf(j.id)).toEqual({ a: 'exited:ordered', b: 'exited:noOrder' });

      await api.journeys.resume({ id: j.id });
      await h.engine.tick();
      // The signup made during the pause is not enrolled later; a new one is.
      expect((await runsOf(j.id)).late).toBeUndefined();
      expect(await h.engine.ingestEvent(event('signup-late-2', 'signup.done', 'late'))).toMatchObject({ enrolled: 1 });
    });

    it('stop ends every run now with the reason in each timeline; nothing of theirs runs later', async () => {
      const api = h.as('operator');
      const j = await liveJourney(signupJourney(), ['a', 'b']);
      await api.journeys.pause({ id: j.id });
      const stopped = await api.journeys.stop({ id: j.id, reason: '活动提前结束' });
      expect(stopped).toEqual({ id: j.id, status: 'stopped', ended: 2 });
      expect(await runsOf(j.id)).toEqual({ a: 'exited:stopped', b: 'exited:stopped' });
      expect(await h.db.prisma.timer.count()).toBe(0);

      const profile = await api.customers.get({ id: 'a' });
      const last = profile.timeline.at(-1);
      expect(last).toMatchObject({ kind: 'exit', nodeId: 'waitOrder' });
      expect(JSON.stringify(last?.detail)).toContain('活动提前结束');

      h.clock.advance(2 * DAY);
      expect(await h.engine.tick()).toMatchObject({ timersFired: 0, effectsRun: 0 });
      expect(await h.engine.ingestEvent(event('order-a', 'order.placed', 'a'))).toMatchObject({ delivered: 0 });
      expect(await refusedWith(api.journeys.resume({ id: j.id }))).toBe('PRECONDITION_FAILED');
      expect((await api.journeys.list({})).find((r) => r.id === j.id)).toMatchObject({
        status: 'stopped',
        stoppedReason: '活动提前结束',
        activeRuns: 0,
      });
      // Stopping a stopped journey again finishes a stop cut short; here nothing is left.
      expect(await api.journeys.stop({ id: j.id, reason: '活动提前结束' })).toMatchObject({ ended: 0 });
      // Publishing starts it again.
      await api.journeys.publish({ id: j.id });
      expect((await api.journeys.get({ id: j.id })).stoppedReason).toBeNull();
      expect(await refusedWith(api.journeys.stop({ id: j.id, reason: ' ' }))).toBe('BAD_REQUEST');
    });

    it('stops a large journey a chunk at a time, each run once', async () => {
      const j = await liveJourney(signupJourney(), ['a', 'b', 'c']);
      expect(await stopJourney(h.db, j.id, '预算用完', h.clock.now(), 2)).toMatchObject({ ended: 3 });
      expect(await runsOf(j.id)).toEqual({ a: 'exited:stopped', b: 'exited:stopped', c: 'exited:stopped' });
      expect(await h.db.prisma.stepLog.count({ where: { journeyId: j.id, kind: 'exit' } })).toBe(3);
      expect(await h.db.prisma.timer.count()).toBe(0);
    });

    it('archive keeps runs going; the archived list shows it; restore brings it back paused, draft or stopped', async () => {
      const api = h.as('operator');
      const live = await liveJourney(welcomeJourney() as never, []);
      await addCustomer(h, 'c1');
      await api.runs.enroll({ journeyId: live.id, customerId: 'c1' });
      await h.engine.tick();
      expect((await api.journeys.list({})).find((r) => r.id === live.id)?.activeRuns).toBe(1);
      const draft = await api.journeys.create({ name: '草稿' });
      const stopped = await liveJourney(welcomeJourney() as never, []);
      await api.journeys.stop({ id: stopped.id, reason: '不再需要' });
      for (const id of [live.id, draft.id, stopped.id]) await api.journeys.archive({ id });

      expect(await api.journeys.list({})).toEqual([]);
      expect((await api.journeys.list({ status: 'archived' })).map((r) => r.id).sort()).toEqual(
        [live.id, draft.id, stopped.id].sort(),
      );
      h.clock.advance(DAY + 1);
      await h.engine.tick();
      expect(await runsOf(live.id)).toEqual({ c1: 'exited:exit' });

      expect(await api.journeys.restore({ id: live.id })).toEqual({ id: live.id, status: 'paused' });
      expect(await api.journeys.restore({ id: draft.id })).toEqual({ id: draft.id, status: 'draft' });
      expect(await api.journeys.restore({ id: stopped.id })).toEqual({ id: stopped.id, status: 'stopped' });
      expect(await refusedWith(api.journeys.restore({ id: live.id }))).toBe('PRECONDITION_FAILED');
      expect(await refusedWith(api.journeys.restore({ id: 'nope' }))).toBe('NOT_FOUND');
      const audit = await h.db.prisma.auditEntry.findMany({
        where: { action: { in: ['journey.restore', 'journey.stop'] } },
      });
      expect(audit.map((a) => a.action).sort()).toEqual([
        'journey.restore',
        'journey.restore',
        'journey.restore',
        'journey.stop',
      ]);
    });

    it('rolls back by publishing an old version as a new one, which the draft becomes', async () => {
      const api = h.as('operator');
      const j = await api.journeys.create({ name: 'j', graph: welcomeJourney() });
      const v1 = await api.journeys.publish({ id: j.id });
      const changed = welcomeJourney();
      (changed.nodes[1] as { config: Record<string, unknown> }).config = { channel: 'wecom', text: '欢迎回来！' };
      const saved = await api.journeys.updateDraft({ id: j.id, expectedRevision: 1, draft: changed });
      await api.journeys.publish({ id: j.id });

      expect(await refusedWith(api.journeys.rollback({ id: j.id, versionId: v1.versionId, expectedRevision: 1 }))).toBe(
        'CONFLICT',
      );
      const back = await api.journeys.rollback({
        id: j.id,
        versionId: v1.versionId,
        expectedRevision: saved.draftRevision,
      });
      expect(back).toMatchObject({ version: 3, rollbackOf: 1 });
      const v3 = await api.journeys.getVersion({ versionId: back.versionId });
      expect(v3.graph.nodes[1]?.config).toEqual({ channel: 'wecom', text: '欢迎！' });
      const after = await api.journeys.get({ id: j.id });
      expect(after).toMatchObject({ liveVersionId: back.versionId, status: 'live', draftRevision: 3 });
      expect(after.draft.nodes[1]?.config).toEqual({ channel: 'wecom', text: '欢迎！' });
      expect((await api.journeys.versions({ id: j.id })).map((v) => [v.version, v.rollbackOf])).toEqual([
        [3, 1],
        [2, null],
        [1, null],
      ]);
      const entry = await h.db.prisma.auditEntry.findFirstOrThrow({ where: { action: 'journey.rollback' } });
      expect(JSON.parse(entry.summary)).toEqual({ version: 3, rollbackOf: 1 });
      expect(await refusedWith(api.journeys.rollback({ id: j.id, versionId: 'jv_nope' }))).toBe('NOT_FOUND');
    });

    it('searches, files in folders, duplicates as a draft in the same folder', async () => {
      const api = h.as('operator');
      const a = await api.journeys.create({ name: '双十一召回', description: '沉睡客户' });
      const b = await api.journeys.create({ name: '新客欢迎' });
      await api.journeys.updateDraft({ id: a.id, expectedRevision: 1, folder: '大促' });
      expect(await api.journeys.folders()).toEqual(['大促']);
      expect((await api.journeys.list({ folder: '大促' })).map((r) => r.name)).toEqual(['双十一召回']);
      expect((await api.journeys.list({ folder: '' })).map((r) => r.id)).toEqual([b.id]);
      expect((await api.journeys.list({ search: '沉睡' })).map((r) => r.id)).toEqual([a.id]);
      expect((await api.journeys.list({ search: '欢迎', status: 'draft' })).map((r) => r.id)).toEqual([b.id]);
      const copy = await api.journeys.duplicate({ id: a.id });
      expect(copy).toMatchObject({
        name: '双十一召回（副本）',
        status: 'draft',
        folder: '大促',
        description: '沉睡客户',
      });
      const settings = await h.db.prisma.auditEntry.findFirstOrThrow({ where: { action: 'journey.settings' } });
      expect(JSON.parse(settings.summary)).toEqual({ folder: '大促' });
    });

    it('lets only operators change the lifecycle', async () => {
      const j = await liveJourney(welcomeJourney() as never, []);
      const viewer = h.as('viewer');
      for (const call of [
        viewer.journeys.stop({ id: j.id, reason: 'x' }),
        viewer.journeys.restore({ id: j.id }),
        viewer.journeys.rollback({ id: j.id, versionId: 'v' }),
        viewer.journeys.pause({ id: j.id }),
      ]) {
        expect(await refusedWith(call)).toBe('FORBIDDEN');
      }
      expect(await viewer.journeys.folders()).toEqual([]);
    });
  });
});
