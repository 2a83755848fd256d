// The dispatcher's side of unknown outcomes: an attempt counts from the moment it starts (so a run
// after a crash knows it is a re-run), OutcomeUnknownError with recheckAfterMs asks again later
// without using an attempt, and without it parks the step (no retry, no failure) until an
// operator's decision, which the executor receives once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNodeRegistry, defineExecutor, type ExecutorContext, OutcomeUnknownError } from '@siyu/shared';
import { samplePackage, send } from '@siyu/shared/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { addCustomers, graphOf, publishJourney } from '../../testing/fixtures.ts';
import { type Database, openDatabase } from '../db/database.ts';
import { createLogger } from '../logger.ts';
import { resolveUnknownOutcome } from '../runs/unknown-outcomes.ts';
import { ManualClock } from './api.ts';
import { createEngine } from './engine.ts';

const DAY = 86_400_000;
type Ctx = ExecutorContext<{ channel: 'sms' | 'wecom'; text: string }>;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup(settings: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'siyu-unknown-'));
  const db: Database = await openDatabase(join(dir, 'test.db'));
  cleanups.push(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const clock = new ManualClock();
  publishJourney(
    db.sqlite,
    'j',
    graphOf(
      [
        ['entry', 'sample.apiEntry', {}],
        ['welcome', 'sample.send', { channel: 'wecom', text: 'hi' }],
        ['exit', 'sample.exit', {}],
      ],
      [
        ['entry', 'next', 'welcome'],
        ['welcome', 'sent', 'exit'],
      ],
      { quietHours: { enabled: false }, ...settings },
    ),
  );
  addCustomers(db.sqlite, 'c', 0, 1);
  const seen: Ctx[] = [];
  const engineWith = (run: (ctx: Ctx) => Promise<{ port: string }>) =>
    createEngine({
      db,
      registry: createNodeRegistry([samplePackage]),
      executors: [
        defineExecutor(send, (ctx) => {
          seen.push(ctx);
          return run(ctx);
        }),
      ],
      clock,
      logger: createLogger('silent'),
    });
  const effect = () =>
    db.sqlite.prepare('SELECT id, status, attempts FROM OutboxEffect').get() as {
      id: number;
      status: string;
      attempts: number;
    };
  const instance = () => db.sqlite.prepare('SELECT status, nodeId FROM Instance').get();
  return { db, clock, engineWith, seen, effect, instance };
}

describe('dispatcher: unknown outcomes', () => {
  it('counts an attempt when it starts: the run after a crash mid-send sees attempt 2', async () => {
    const { engineWith, seen, effect } = await setup();
    // This process "dies" inside the provider call: its executor never returns.
    const dying = engineWith(() => new Promise(() => {}));
    dying.enroll('j', 'c0');
    void dying.tick();
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.map((c) => c.attempt)).toEqual([1]);
    const restarted = engineWith(async () => ({ port: 'sent' }));
    await restarted.tick();
    expect(seen.map((c) => c.attempt)).toEqual([1, 2]);
    expect(effect()).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('recheckAfterMs: asks again later without using an attempt, then goes on', async () => {
    const { engineWith, seen, effect, instance, clock } = await setup();
    let rechecks = 0;
    const engine = engineWith(async () => {
      if (rechecks++ < 7) throw new OutcomeUnknownError('provider has no record yet', { recheckAfterMs: 60_000 });
      return { port: 'sent' };
    });
    engine.enroll('j', 'c0');
    await engine.tick();
    for (let i = 0; i < 7; i++) {
      expect(effect()).toMatchObject({ status: 'pending', attempts: 0 });
      clock.advance(60_000);
      await engine.tick();
    }
    // Seven rechecks against a retry limit of 5: none of them counted.
    expect(seen.map((c) => c.attempt)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(effect()).toMatchObject({ status: 'done', attempts: 1 });
    expect(instance()).toMatchObject({ status: 'exited', nodeId: 'exit' });
  });

  it('parks the step (no retry, no failure) until an operator decides; the resend is handed over once', async () => {
    const { db, engineWith, seen, effect, instance, clock } = await setup();
    const engine = engineWith(async (ctx) => {
      if (!ctx.operatorResend) throw new OutcomeUnknownError('cannot tell whether it was sent');
      return { port: 'sent' };
    });
    engine.enroll('j', 'c0');
    await engine.tick();
    clock.advance(DAY);
    await engine.tick();
    expect(seen).toHaveLength(1);
    expect(effect()).toMatchObject({ status: 'unknown', attempts: 1 });
    expect(instance()).toMatchObject({ status: 'active', nodeId: 'welcome' });

    await resolveUnknownOutcome(db, { effectId: effect().id, action: 'resend', decidedBy: 'li', now: clock.now() });
    await engine.tick();
    expect(seen.map((c) => [c.attempt, c.operatorResend ?? false])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(effect()).toMatchObject({ status: 'done', attempts: 2 });
    expect(instance()).toMatchObject({ status: 'exited', nodeId: 'exit' });
  });

  it("a re-run is not capped by its own claim: the message the dead attempt claimed is this step's", async () => {
    const { db, engineWith, seen, effect, instance } = await setup({
      frequencyCaps: [{ channel: 'wecom', max: 1, per: { amount: 1, unit: 'days' } }],
    });
    const claim = db.sqlite.prepare(
      `INSERT OR IGNORE INTO Message (idempotencyKey, customerId, channel, provider, recipient, content, status, nodeId, sentAt)
       VALUES (?, ?, 'wecom', 'sandbox', ?, 'hi', 'sending', 'welcome', ?)`,
    );
    // Claims its message, then dies inside the provider call.
    const dying = engineWith((ctx) => {
      claim.run(ctx.idempotencyKey, ctx.customer.id, ctx.customer.id, ctx.now.getTime());
      return new Promise(() => {});
    });
    dying.enroll('j', 'c0');
    void dying.tick();
    await new Promise((r) => setTimeout(r, 50));
    const restarted = engineWith(async () => ({ port: 'sent' }));
    await restarted.tick();
    expect(seen).toHaveLength(2);
    expect(effect()).toMatchObject({ status: 'done' });
    expect(instance()).toMatchObject({ status: 'exited', nodeId: 'exit' });
  });
});
