// Sends whose outcome the provider cannot tell: the real sms.send node against a Tencent fake (over
// HTTP, no de-duplication) whose answers are lost and whose status reports never arrive. The step
// must neither fail nor resend: it waits as "outcome unknown", counted on the node, listed for
// operators, and moves on only by an operator's decision (resend / mark sent / skip), recorded.
import { createSendSmsExecutor, tencentProvider } from '@siyu/nodes-sms/server';
import { type FakeSms, startFakeTencent } from '@siyu/nodes-sms/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { graphOf, publishJourneyOn } from '../../../testing/fixtures.ts';
import type { AppDatabase } from '../../db/app-database.ts';
import { createLogger } from '../../logger.ts';
import { createSmsServices } from '../../node-packages/sms-services.ts';
import { journeyStats } from '../../reports/journey-stats.ts';
import { addCustomer, createHarness, type Harness, type HarnessBackend } from '../harness.test-helper.ts';

const HOUR = 3_600_000;
const creds = { secretId: 'AKID-x', secretKey: 'k', smsSdkAppId: '1400000009' };
let fake: FakeSms;
let h: Harness<AppDatabase>;
// Every case on SQLite and on a fresh PostgreSQL database.
const BACKENDS = ['sqlite', 'postgresql'] as const satisfies readonly HarnessBackend[];

afterEach(async () => {
  await h.close();
  await fake.close();
});

const instance = (customerId: string) =>
  h.db.sql.get('SELECT status, nodeId, exitReason FROM Instance WHERE customerId = ?', [customerId]);
const sendsTo = (key: string) => fake.sent.filter((m) => m.outId === key).length;

describe.each(BACKENDS)('on %s', (backend) => {
  beforeEach(async () => {
    // Status reports "arrive" an hour after the send: never, within this test.
    fake = await startFakeTencent(creds, { lookupLagMs: HOUR });
    h = await createHarness({
      productExecutors: (db, clock) => [
        createSendSmsExecutor(
          createSmsServices({
            db,
            clock,
            logger: createLogger('silent'),
            provider: tencentProvider({ ...creds, endpoint: fake.url, statusSettleMs: 0 }),
          }),
        ),
      ],
      backend,
    });
    await publishJourneyOn(
      h.db,
      'j',
      graphOf(
        [
          ['entry', 'core.apiEntry', {}],
          ['welcome', 'sms.send', { templateCode: '2001', signName: '品牌', content: '欢迎', params: {} }],
          ['sent', 'core.exit', { reason: 'sent' }],
          ['skipped', 'core.exit', { reason: 'skipped' }],
        ],
        [
          ['entry', 'next', 'welcome'],
          ['welcome', 'sent', 'sent'],
          ['welcome', 'skipped', 'skipped'],
        ],
        { quietHours: { enabled: false } },
      ),
    );
    for (const [i, id] of ['c1', 'c2', 'c3'].entries()) {
      await addCustomer(h, id, { phone: `+8613900${i}07777` });
      await h.engine.enroll('j', id);
    }
  });

  describe('outcomes router (sends whose outcome is unknown)', () => {
    it('parks instead of failing or resending; operators resend, mark sent or skip, each once and recorded', async () => {
      // Tencent takes all three messages but every answer is lost.
      fake.loseAnswers = 3;
      await h.engine.tick();
      expect(fake.sent).toHaveLength(3);
      // The retries ask Tencent, which has no status for them: outcome unknown, not failed, not resent.
      for (let i = 0; i < 3; i++) {
        h.clock.advance(HOUR);
        await h.engine.tick();
      }
      expect(fake.sent).toHaveLength(3);
      expect(fake.requests.PullSmsSendStatusByPhoneNumber).toBe(3);
      expect(await h.db.sql.all('SELECT DISTINCT status FROM OutboxEffect')).toEqual([{ status: 'unknown' }]);
      for (const c of ['c1', 'c2', 'c3'])
        expect(await instance(c)).toMatchObject({ status: 'active', nodeId: 'welcome' });

      const node = (await journeyStats(h.db.sql, 'j', undefined, h.clock.now())).nodes.find(
        (n) => n.nodeId === 'welcome',
      );
      expect(node).toMatchObject({ waiting: 3, outcomeUnknown: 3 });
      const list = await h.as('viewer').outcomes.list({ journeyId: 'j', nodeId: 'welcome' });
      expect(list.map((o) => [o.customerId, o.nodeType, o.message?.provider, o.message?.recipient])).toEqual([
        ['c1', 'sms.send', 'tencent', '+8613900007777'],
        ['c2', 'sms.send', 'tencent', '+8613900107777'],
        ['c3', 'sms.send', 'tencent', '+8613900207777'],
      ]);
      expect(list[0]?.reason).toMatch(/outcome unknown/);
      const [c1, c2, c3] = list as [(typeof list)[0], (typeof list)[0], (typeof list)[0]];

      // Waiting longer changes nothing: no send without an operator's word.
      h.clock.advance(24 * HOUR);
      await h.engine.tick();
      expect(fake.sent).toHaveLength(3);

      await expect(h.as('viewer').outcomes.resolve({ effectId: c1.effectId, action: 'resend' })).rejects.toThrow(
        /operator/,
      );
      await h.as('operator').outcomes.resolve({ effectId: c1.effectId, action: 'resend', note: '客户说没收到' });
      await h.as('operator').outcomes.resolve({ effectId: c2.effectId, action: 'markSent' });
      await h.as('operator').outcomes.resolve({ effectId: c3.effectId, action: 'skip' });
      await expect(
        h.as('operator').outcomes.resolve({ effectId: c3.effectId, action: 'resend' }),
      ).rejects.toMatchObject({
        message: expect.stringContaining('notUnknown'),
        detail: { key: 'outcomes.alreadyDecided' },
      });
      await expect(h.as('operator').outcomes.resolve({ effectId: 999_999, action: 'skip' })).rejects.toThrow(
        /notFound/,
      );
      await h.engine.tick();

      expect([sendsTo(c1.key), sendsTo(c2.key), sendsTo(c3.key)]).toEqual([2, 1, 1]);
      expect(await instance('c1')).toMatchObject({ status: 'exited', nodeId: 'sent' });
      expect(await instance('c2')).toMatchObject({ status: 'exited', nodeId: 'sent' });
      expect(await instance('c3')).toMatchObject({ status: 'exited', nodeId: 'skipped' });
      expect(await h.db.sql.all('SELECT idempotencyKey AS k, status FROM Message ORDER BY customerId')).toEqual([
        { k: c1.key, status: 'sent' },
        { k: c2.key, status: 'sent' },
        { k: c3.key, status: 'failed' },
      ]);
      expect(
        await h.db.sql.all(
          'SELECT effectKey, action, decidedBy, note, CASE WHEN consumedAt IS NULL THEN 0 ELSE 1 END AS taken FROM OutcomeResolution ORDER BY id',
        ),
      ).toEqual([
        { effectKey: c1.key, action: 'resend', decidedBy: 'operator', note: '客户说没收到', taken: 1 },
        { effectKey: c2.key, action: 'markSent', decidedBy: 'operator', note: null, taken: 1 },
        { effectKey: c3.key, action: 'skip', decidedBy: 'operator', note: null, taken: 1 },
      ]);
      expect(await h.as('viewer').outcomes.list({ journeyId: 'j' })).toEqual([]);
    });
  });
});
