import { TRPCError } from '@trpc/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

async function expectCode(promise: Promise<unknown>, code: TRPCError['code']) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe(code);
  return error as TRPCError;
}

describe.each(BACKENDS)('on %s', (backend) => {
  beforeEach(async () => {
    h = await createHarness({ backend });
  });

  describe('journeys router', () => {
    it('creates, saves with optimistic concurrency, and refuses a stale save', async () => {
      const api = h.as('operator');
      const j = await api.journeys.create({ name: '新客欢迎' });
      expect(j.draftRevision).toBe(1);
      const saved = await api.journeys.updateDraft({ id: j.id, expectedRevision: 1, draft: welcomeJourney() });
      expect(saved.draftRevision).toBe(2);
      expect(saved.problems).toEqual([]);
      const stale = await expectCode(
        api.journeys.updateDraft({ id: j.id, expectedRevision: 1, name: 'overwrite' }),
        'CONFLICT',
      );
      expect(stale.message).toContain('revision 2');
      expect((await api.journeys.get({ id: j.id })).name).toBe('新客欢迎');
    });

    it('validates, refuses to publish a broken graph, publishes immutable versions and diffs them', async () => {
      const api = h.as('operator');
      const j = await api.journeys.create({ name: 'j' });
      const empty = await api.journeys.validate({ id: j.id });
      expect(empty.ok).toBe(false);
      expect(empty.problems.map((p) => p.code)).toContain('missingEntry');
      await expectCode(api.journeys.publish({ id: j.id }), 'BAD_REQUEST');

      await api.journeys.updateDraft({ id: j.id, expectedRevision: 1, draft: welcomeJourney() });
      const v1 = await api.journeys.publish({ id: j.id, note: 'first' });
      expect(v1.version).toBe(1);
      const live = await api.journeys.get({ id: j.id });
      expect(live.status).toBe('live');
      expect(live.liveVersionId).toBe(v1.versionId);

      const changed = welcomeJourney();
      (changed.nodes[1] as { config: Record<string, unknown> }).config = { channel: 'wecom', text: '欢迎回来！' };
      await api.journeys.updateDraft({ id: j.id, expectedRevision: 2, draft: changed });
      const v2 = await api.journeys.publish({ id: j.id });
      expect(v2.version).toBe(2);
      // v1 stays as it was.
      const first = await api.journeys.getVersion({ versionId: v1.versionId });
      expect(first.graph.nodes[1]?.config).toEqual({ channel: 'wecom', text: '欢迎！' });
      const diff = await api.journeys.diff({ journeyId: j.id, from: v1.versionId, to: v2.versionId });
      expect(diff.changedNodes.map((c) => c.id)).toEqual(['welcome']);
      expect(diff.addedNodes).toEqual([]);
      expect((await api.journeys.versions({ id: j.id })).map((v) => v.version)).toEqual([2, 1]);
    });

    it('pauses, resumes, archives, duplicates', async () => {
      const api = h.as('operator');
      const j = await api.journeys.create({ name: 'j', graph: welcomeJourney() });
      await expectCode(api.journeys.resume({ id: j.id }), 'PRECONDITION_FAILED');
      await api.journeys.publish({ id: j.id });
      expect((await api.journeys.pause({ id: j.id })).status).toBe('paused');
      await addCustomer(h, 'c1');
      expect(await h.engine.enroll(j.id, 'c1')).toEqual({ status: 'skipped', reason: 'journeyNotLive' });
      expect((await api.journeys.resume({ id: j.id })).status).toBe('live');
      const copy = await api.journeys.duplicate({ id: j.id });
      expect(copy.name).toBe('j（副本）');
      expect(copy.status).toBe('draft');
      expect(copy.draft.nodes).toHaveLength(4);
      await api.journeys.archive({ id: j.id });
      expect((await api.journeys.list({})).map((x) => x.id)).toEqual([copy.id]);
      await expectCode(api.journeys.updateDraft({ id: j.id, expectedRevision: 1, name: 'x' }), 'PRECONDITION_FAILED');
    });

    it('moves in-flight customers to a new version through the engine', async () => {
      const api = h.as('operator');
      const j = await api.journeys.create({ name: 'j', graph: welcomeJourney() });
      await api.journeys.publish({ id: j.id });
      for (const id of ['a', 'b']) {
        await addCustomer(h, id);
        await api.runs.enroll({ journeyId: j.id, customerId: id });
      }
      await h.engine.tick();
      const v2 = await api.journeys.publish({ id: j.id, note: 'same graph' });
      await expectCode(
        api.journeys.migrateInstances({ journeyId: j.id, toVersionId: v2.versionId, nodeMapping: { wait: 'nope' } }),
        'BAD_REQUEST',
      );
      const moved = await api.journeys.migrateInstances({
        journeyId: j.id,
        toVersionId: v2.versionId,
        nodeMapping: {},
      });
      expect(moved.moved).toBe(2);
      const rows = await h.db.prisma.instance.findMany({ where: { journeyId: j.id } });
      expect(rows.every((r) => r.versionId === v2.versionId)).toBe(true);
    });

    it('enforces roles and names the bad field', async () => {
      await expectCode(h.as(null).journeys.list({}), 'UNAUTHORIZED');
      await expectCode(h.as('viewer').journeys.create({ name: 'x' }), 'FORBIDDEN');
      expect(await h.as('viewer').journeys.list({})).toEqual([]);
      const bad = await expectCode(h.as('operator').journeys.create({ name: '' }), 'BAD_REQUEST');
      expect(JSON.stringify(bad.cause)).toContain('name');
      const badGraph = await expectCode(
        h.as('operator').journeys.create({ name: 'x', graph: { nodes: [{ id: 'a b' }], edges: [] } as never }),
        'BAD_REQUEST',
      );
      expect(JSON.stringify((badGraph.cause as unknown as { issues: unknown }).issues)).toContain('"nodes",0,"id"');
    });
  });
});
