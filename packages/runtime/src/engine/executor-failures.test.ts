// One broken node type must be diagnosable and must not take the engine down: an executor that throws a
// TypeError. Its failures are logged with stack, package, node type and journey; the pending retry shows in
// the API (attempt, next time, last error); and once the node type keeps failing its journey is paused with
// a reason.
import { Writable } from 'node:stream';
import { createNodeRegistry, defineExecutor, defineNode, defineNodePackage, parsePauseReason, t } from '@siyu/shared';
import { samplePackage } from '@siyu/shared/testing';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { graphOf } from '../../testing/fixtures.ts';
import { sampleExecutors } from '../../testing/sample-nodes.ts';
import { addCustomer, createHarness, type Harness } from '../trpc/harness.test-helper.ts';
import { createEngine } from './engine.ts';
import { FAILING_EXECUTOR_THRESHOLD } from './executor-failures.ts';

const call = defineNode({
  type: 'buggy.call',
  version: 1,
  category: 'integration',
  icon: 'bug',
  label: t('调用', 'Call'),
  config: z.object({}),
  defaultConfig: {},
  outputs: [{ id: 'done', label: t('完成', 'Done'), required: false }],
  effect: {},
});
const registry = createNodeRegistry([
  samplePackage,
  defineNodePackage({ name: 'buggy', label: t('有缺陷', 'Buggy'), nodes: [call] }),
]);
const buggyExecutor = defineExecutor(call, async ({ customer }) => {
  // A bug in the package: reads a field of something that is not there.
  const profile = (customer.attributes as Record<string, { level: string } | undefined>).profile;
  return { port: profile?.level ?? (undefined as unknown as { port: string }).port };
});

let h: Harness;
const lines: Array<Record<string, unknown>> = [];
beforeEach(async () => {
  h = await createHarness();
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
        done();
      },
    }),
  );
  const engine = createEngine({
    db: h.db,
    registry,
    executors: [...sampleExecutors(h.db.sqlite), buggyExecutor],
    clock: h.clock,
    logger,
  });
  h.deps.engine = engine;
  h.deps.registry = registry;
  const close = h.close;
  h.close = async () => {
    await engine.stop();
    await close();
  };
});
afterEach(async () => {
  lines.length = 0;
  await h.close();
});

describe('an executor that keeps throwing', () => {
  it('logs stack, package, node type and journey; shows the pending retry; then pauses the journey', async () => {
    const op = h.as('operator');
    const journey = await op.journeys.create({
      name: '调用旅程',
      graph: graphOf(
        [
          ['entry', 'sample.apiEntry', {}],
          ['call', 'buggy.call', {}],
        ],
        [['entry', 'next', 'call']],
      ),
    });
    await op.journeys.publish({ id: journey.id });
    await addCustomer(h, 'c0');
    await op.runs.enroll({ journeyId: journey.id, customerId: 'c0' });
    await h.deps.engine.tick();

    const failure = lines.find((l) => l.nodeType === 'buggy.call');
    expect(failure).toMatchObject({
      package: 'buggy',
      nodeId: 'call',
      journeyId: journey.id,
      attempt: 1,
      willRetry: true,
    });
    expect((failure?.err as { stack?: string } | undefined)?.stack).toMatch(
      /TypeError[\s\S]*executor-failures\.test\.ts/,
    );

    const { items } = await op.runs.instances({ journeyId: journey.id });
    expect(items[0]?.status).toBe('active');
    expect(items[0]?.retry).toMatchObject({ nodeId: 'call', attempts: 1, held: false });
    expect(items[0]?.retry?.lastError).toMatch(/Cannot read properties of undefined/);
    expect(items[0]?.retry?.nextAttemptAt).toBeGreaterThan(h.clock.now());
    const timeline = await op.runs.timeline({ instanceId: items[0]?.id as number });
    expect(timeline.retry).toMatchObject({ attempts: 1 });

    // More customers hit the same bug: after the threshold the journey is paused, not retried on.
    for (let i = 1; i <= FAILING_EXECUTOR_THRESHOLD; i++) {
      await addCustomer(h, `c${i}`);
      await op.runs.enroll({ journeyId: journey.id, customerId: `c${i}` });
    }
    await h.deps.engine.tick();
    const [listed] = await op.journeys.list({});
    expect(listed?.status).toBe('paused');
    expect(listed?.pausedReason).toMatchObject({
      kind: 'executorFailing',
      journey: { name: '调用旅程' },
      version: { number: 1 },
      node: { id: 'call', type: 'buggy.call' },
      package: { name: 'buggy' },
    });
    expect(parsePauseReason(JSON.stringify(listed?.pausedReason))?.detail).toMatch(/TypeError/);
    const after = await op.runs.instances({ journeyId: journey.id });
    // Every customer waits with the journey; the engine works in time-sized slices, so some effects
    // were never tried before the pause: those are held too, with no retry to show yet.
    expect(after.items.every((i) => i.status === 'active' && (!i.retry || i.retry.held))).toBe(true);
    expect(after.items.some((i) => i.retry?.held)).toBe(true);
    const open = h.db.sqlite
      .prepare("SELECT count(*) AS n FROM OutboxEffect WHERE status NOT IN ('held', 'done', 'skipped', 'failed')")
      .get() as { n: number };
    expect(open.n).toBe(0);
  });
});
