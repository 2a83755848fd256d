import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { graphOf, publishJourneyOn } from '../../../testing/fixtures.ts';
import type { AppDatabase } from '../../db/app-database.ts';
import { addCustomer, createHarness, type Harness, type HarnessBackend } from '../harness.test-helper.ts';

const HOUR = 3_600_000;
let h: Harness<AppDatabase>;
// Every case on SQLite and on a fresh PostgreSQL database.
const BACKENDS = ['sqlite', 'postgresql'] as const satisfies readonly HarnessBackend[];
afterEach(() => h.close());
/** The tasks of the first page, as a viewer sees them. */
const listTasks = async (input: { assignee?: string; status?: 'open' | 'done' | 'skipped' | 'expired' }) =>
  (await h.as('viewer').staffTasks.list(input)).tasks;

describe.each(BACKENDS)('on %s', (backend) => {
  beforeEach(async () => {
    h = await createHarness({ nodes: 'product', backend });
    await publishJourneyOn(
      h.db,
      'sop',
      graphOf(
        [
          ['entry', 'core.apiEntry', {}],
          [
            'call',
            'core.staffTask',
            { title: '电话回访', fallbackAssignee: 'lisi', expiresAfter: { amount: 1, unit: 'days' } },
          ],
          ['thanks', 'core.updateTags', { add: ['已回访'] }],
          ['end', 'core.exit', { reason: '完成' }],
        ],
        [
          ['entry', 'next', 'call'],
          ['call', 'done', 'thanks'],
          ['call', 'expired', 'end'],
          ['thanks', 'next', 'end'],
        ],
      ),
    );
    for (const id of ['c1', 'c2']) {
      await addCustomer(h, id);
      await h.engine.enroll('sop', id);
    }
    await h.engine.tick();
  });

  describe('staffTasks router', () => {
    it('lists open tasks for an assignee; completing one moves the customer on once, a viewer cannot complete', async () => {
      const open = await listTasks({ assignee: 'lisi', status: 'open' });
      expect(open.map((t) => [t.customerId, t.title, t.status])).toEqual([
        ['c1', '电话回访', 'open'],
        ['c2', '电话回访', 'open'],
      ]);
      const c1Task = open.find((t) => t.customerId === 'c1')?.id as string;
      await expect(h.as('viewer').staffTasks.complete({ id: c1Task })).rejects.toThrow(/operator/);
      expect(await h.as('operator').staffTasks.complete({ id: c1Task })).toEqual({ status: 'done', delivered: 1 });
      // A second click is harmless.
      expect(await h.as('operator').staffTasks.complete({ id: c1Task })).toEqual({ status: 'done', delivered: 0 });
      await h.engine.tick();
      const tags = await h.db.prisma.customerTag.findMany({ where: { tag: '已回访' } });
      expect(tags.map((t) => t.customerId)).toEqual(['c1']);
      expect((await listTasks({ status: 'done' })).map((t) => t.customerId)).toEqual(['c1']);
    });

    it('a task past its due time shows as expired and can no longer be completed', async () => {
      h.clock.advance(25 * HOUR);
      await h.engine.tick();
      const expired = await listTasks({ status: 'expired' });
      expect(expired).toHaveLength(2);
      await expect(h.as('operator').staffTasks.complete({ id: expired[0]?.id as string })).rejects.toThrow(
        /过期|expired/,
      );
      const ended = await h.db.prisma.instance.findMany({ where: { status: 'exited', nodeId: 'end' } });
      expect(ended).toHaveLength(2);
      await expect(h.as('operator').staffTasks.complete({ id: 'nope' })).rejects.toThrow(/not found/);
    });

    it('skips a task with a note: the customer goes on by the expired path now; counts per staff member', async () => {
      const [first, second] = await listTasks({ assignee: 'lisi', status: 'open' });
      await expect(h.as('operator').staffTasks.skip({ id: first?.id as string, note: '' })).rejects.toThrow(/note/);
      expect(await h.as('operator').staffTasks.skip({ id: first?.id as string, note: '客户已拉黑' })).toEqual({
        status: 'skipped',
        delivered: 1,
      });
      // Completing a skipped task changes nothing.
      expect(await h.as('operator').staffTasks.complete({ id: first?.id as string })).toEqual({
        status: 'skipped',
        delivered: 0,
      });
      await h.engine.tick();
      const skipped = await h.db.prisma.instance.findFirstOrThrow({ where: { customerId: first?.customerId } });
      expect([skipped.status, skipped.nodeId]).toEqual(['exited', 'end']);
      expect(await h.db.prisma.customerTag.count({ where: { tag: '已回访' } })).toBe(0);
      expect((await listTasks({ status: 'skipped' })).map((t) => t.note)).toEqual(['客户已拉黑']);

      await h.as('operator').staffTasks.complete({ id: second?.id as string, note: '已电话沟通' });
      expect(await h.as('viewer').staffTasks.counts()).toEqual([
        { assignee: 'lisi', open: 0, expired: 0, done: 1, skipped: 1 },
      ]);
    });

    it('says what each task asks in words (customer, journey, node) and pages on the server', async () => {
      const page = await h.as('viewer').staffTasks.list({ pageSize: 1, page: 2 });
      expect(page.total).toBe(2);
      expect(page.tasks).toHaveLength(1);
      expect(page.tasks[0]).toMatchObject({ customerName: 'c2', journeyName: 'sop', title: '电话回访' });
      expect(page.tasks[0]?.nodeTitle).toMatchObject({ en: expect.any(String), 'zh-CN': expect.any(String) });
    });

    it('counts open tasks past due as expired', async () => {
      expect(await h.as('viewer').staffTasks.counts()).toEqual([
        { assignee: 'lisi', open: 2, expired: 0, done: 0, skipped: 0 },
      ]);
      h.clock.advance(25 * HOUR);
      expect(await h.as('viewer').staffTasks.counts()).toEqual([
        { assignee: 'lisi', open: 0, expired: 2, done: 0, skipped: 0 },
      ]);
    });
  });
});
