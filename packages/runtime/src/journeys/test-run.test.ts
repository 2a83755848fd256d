import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { graphOf } from '../../testing/fixtures.ts';
import { createHarness, type Harness } from '../trpc/harness.test-helper.ts';

const DAY = 86_400_000;
let h: Harness;
let journeyId = '';
beforeEach(async () => {
  h = await createHarness({ nodes: 'product' });
  const now = h.clock.now();
  await h.as('operator').coupons.createStock({
    id: 'thanks5',
    name: '感谢券',
    maxCoupons: 5,
    amountCents: 500,
    validFrom: new Date(now - DAY),
    validTo: new Date(now + 60 * DAY),
  });
  const graph = graphOf(
    [
      ['entry', 'core.eventEntry', { event: 'wecom.contactAdded', filter: { match: 'all', conditions: [] } }],
      ['hello', 'wecom.welcome', { text: '欢迎加入', attachments: [] }],
      ['wait', 'core.wait', { duration: { amount: 3, unit: 'days' } }],
      ['order', 'core.waitForEvent', { event: 'order.placed', timeout: { amount: 7, unit: 'days' } }],
      ['coupon', 'coupons.issue', { stockId: 'thanks5' }],
      ['end', 'core.exit', { reason: 'done' }],
    ],
    [
      ['entry', 'next', 'hello'],
      ['hello', 'sent', 'wait'],
      ['wait', 'next', 'order'],
      ['order', 'matched', 'coupon'],
      ['order', 'timeout', 'end'],
      ['coupon', 'issued', 'end'],
    ],
    { quietHours: { enabled: false } },
  );
  journeyId = (await h.as('operator').journeys.create({ name: '模拟', graph })).id;
});
afterEach(() => h.close());

describe('stepped test runs (the editor simulation panel)', () => {
  it('steps: what happens at once, fast-forward to the next wake-up, inject an event at the current time', async () => {
    const op = h.as('operator');
    const startAt = h.clock.now() - 5_000;
    const now = await op.runs.testRun({ journeyId, maxDurationMs: 0, startAt });
    expect(now).toMatchObject({ status: 'active', nodeId: 'wait', simulatedMs: 0, startAt, nextWakeMs: 3 * DAY });
    expect(now.messages).toEqual([
      { channel: 'wecom', recipient: 'test-customer', content: '欢迎加入', sentAt: startAt, nodeId: 'hello' },
    ]);

    const waited = await op.runs.testRun({ journeyId, maxDurationMs: 3 * DAY, startAt });
    expect(waited).toMatchObject({ status: 'active', nodeId: 'order', nextWakeMs: 10 * DAY });
    expect(waited.waitingFor).toEqual(['order.placed']);

    const ordered = await op.runs.testRun({
      journeyId,
      maxDurationMs: 3 * DAY,
      startAt,
      events: [{ afterMs: 3 * DAY, type: 'order.placed', data: { amount: 99 } }],
    });
    expect(ordered).toMatchObject({ status: 'exited', nodeId: 'end', nextWakeMs: null, waitingFor: [] });
    // The coupon comes from a copy of the real stock, always through the sandbox.
    expect(ordered.messages.map((m) => [m.channel, m.content, m.nodeId, m.sentAt - startAt])).toEqual([
      ['wecom', '欢迎加入', 'hello', 0],
      ['coupon', '感谢券 · ¥5.00', 'coupon', 3 * DAY],
    ]);
    // The path taken, as the canvas highlights it (the step log names nodes; ports only sometimes).
    const moves = ordered.steps.filter((s) => s.fromNodeId).map((s) => `${s.fromNodeId}>${s.nodeId}`);
    expect(moves).toEqual(['entry>hello', 'hello>wait', 'wait>order', 'order>coupon', 'coupon>end']);
    // The real stock was not touched.
    expect((await h.db.prisma.couponStock.findUnique({ where: { id: 'thanks5' } }))?.issued).toBe(0);

    // Without the order the customer times out after the 7-day wait.
    const silent = await op.runs.testRun({ journeyId, maxDurationMs: 30 * DAY, startAt });
    expect(silent).toMatchObject({ status: 'exited', simulatedMs: 10 * DAY });
    expect(silent.steps.some((s) => s.fromNodeId === 'order' && s.nodeId === 'end')).toBe(true);
    expect(silent.messages.map((m) => m.channel)).toEqual(['wecom']);
  });
});
