// SQLite only: the sends run through the product's executors in the full server engine (createEngine), not yet on PostgreSQL.
// A send that cannot happen (no phone number, a coupon batch that does not exist) is a failure on
// the canvas, with the package's reason code in the step log for the screens to put in words.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { graphOf } from '../../testing/fixtures.ts';
import { addCustomer, createHarness, type Harness } from '../trpc/harness.test-helper.ts';
import { journeyStats } from './journey-stats.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ nodes: 'product' });
});
afterEach(() => h.close());

async function run(
  name: string,
  node: [string, string, Record<string, unknown>],
  connectFailure: boolean,
  customers = 1,
) {
  const op = h.as('operator');
  const [id] = node;
  const graph = graphOf(
    [
      ['entry', 'core.apiEntry', {}],
      node,
      ['end', 'core.exit', { reason: 'done' }],
      ...(connectFailure
        ? [['sorry', 'core.exit', { reason: 'failed' }] as [string, string, Record<string, unknown>]]
        : []),
    ],
    [
      ['entry', 'next', id],
      [id, id === 'sms' ? 'sent' : 'issued', 'end'],
      ...(connectFailure ? [[id, 'failed', 'sorry'] as [string, string, string]] : []),
    ],
    { quietHours: { enabled: false } },
  );
  const journey = await op.journeys.create({ name, graph });
  await op.journeys.publish({ id: journey.id });
  for (let i = 0; i < customers; i++) {
    await addCustomer(h, `${name}-c${i}`);
    await op.runs.enroll({ journeyId: journey.id, customerId: `${name}-c${i}` });
    for (let t = 0; t < 3; t++) await h.engine.tick();
  }
  const stats = await journeyStats(h.db.sql, journey.id, undefined, h.clock.now());
  const last = await h.db.prisma.instance.findFirstOrThrow({
    where: { journeyId: journey.id },
    orderBy: { id: 'desc' },
  });
  const errors = (await h.engine.timeline(last.id)).filter((s) => s.kind === 'error');
  return { journeyId: journey.id, node: stats.nodes.find((n) => n.nodeId === id), errors };
}

describe('failed sends count as failures', () => {
  it('an SMS to a customer without a phone: ✕ 1, ✓ 0, reason noPhone (failure port drawn)', async () => {
    const { node, errors } = await run(
      'sms',
      ['sms', 'sms.send', { templateCode: 'SMS_1', signName: '品牌', content: '您好', kind: 'notice' }],
      true,
    );
    expect(node).toMatchObject({ entered: 1, waiting: 0, completed: 0, failed: 1 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ nodeId: 'sms', port: 'failed', detail: { code: 'noPhone' } });
  });

  it('a coupon from an empty batch: ✓ 1 for the first customer, ✕ 1 for the second, reason exhausted', async () => {
    const now = h.clock.now();
    await h.as('operator').coupons.createStock({
      id: 'one',
      name: '仅一张',
      maxCoupons: 1,
      amountCents: 500,
      validFrom: new Date(now - 86_400_000),
      validTo: new Date(now + 86_400_000),
    });
    // No failure port: the second customer leaves the journey at the coupon node.
    const { node, errors } = await run('coupon', ['coupon', 'coupons.issue', { stockId: 'one' }], false, 2);
    expect(node).toMatchObject({ entered: 2, waiting: 0, completed: 1, failed: 1 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ nodeId: 'coupon', detail: { code: 'exhausted' } });
  });
});

describe('retrying a failed step from the node drawer', () => {
  it('lists the run with its reason; once the phone is added, a retry sends under the same key and the run goes on', async () => {
    const op = h.as('operator');
    const { journeyId } = await run(
      'retry',
      ['sms', 'sms.send', { templateCode: 'SMS_1', signName: '品牌', content: '您好', kind: 'notice' }],
      false,
    );
    const failures = await op.runs.failures({ journeyId, nodeId: 'sms' });
    expect(failures.total).toBe(1);
    const [failed] = failures.items;
    expect(failed).toMatchObject({ customerId: 'retry-c0', code: 'noPhone', retryable: true });
    const instanceId = (failed as { instanceId: number }).instanceId;
    // A viewer may look but not retry.
    await expect(h.as('viewer').runs.retryStep({ instanceId })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    await h.db.prisma.customerIdentity.create({
      data: { customerId: 'retry-c0', kind: 'phone', value: '+8613800138000' },
    });
    expect(await op.runs.retryStep({ instanceId })).toEqual({ status: 'retried', nodeId: 'sms' });
    for (let t = 0; t < 3; t++) await h.engine.tick();

    const instance = await h.db.prisma.instance.findUniqueOrThrow({ where: { id: instanceId } });
    expect(instance).toMatchObject({ status: 'exited', nodeId: 'end', exitReason: 'done' });
    const messages = await h.db.prisma.message.findMany({ where: { customerId: 'retry-c0' } });
    expect(messages).toHaveLength(1);
    // The failed step's own key, one more attempt: a provider de-duplicates a retry on it.
    expect(messages[0]?.idempotencyKey).toBe(`${instanceId}:sms:1`);
    expect(await h.db.prisma.outboxEffect.findMany({ where: { instanceId } })).toMatchObject([
      { idempotencyKey: `${instanceId}:sms:1`, status: 'done', attempts: 2 },
    ]);
    // One retry row in the timeline, no move for it.
    const timeline = await h.engine.timeline(instanceId);
    expect(timeline.filter((s) => s.kind === 'retry')).toHaveLength(1);
    expect(timeline.filter((s) => s.kind === 'move' && s.nodeId === 'sms')).toHaveLength(1);
    // The canvas: the run reached the end, so the node shows it done, no longer failed.
    await new Promise((r) => setTimeout(r, 2_100)); // past the stats cache
    expect(
      (await journeyStats(h.db.sql, journeyId, undefined, h.clock.now())).nodes.find((n) => n.nodeId === 'sms'),
    ).toMatchObject({ entered: 1, waiting: 0, completed: 1, failed: 0 });
    // The run is no longer retryable, and retrying it again is refused with a reason.
    expect((await op.runs.failures({ journeyId, nodeId: 'sms' })).items[0]?.retryable).toBe(false);
    await expect(op.runs.retryStep({ instanceId })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
  });
});
