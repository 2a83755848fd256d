import { codedError, type JourneyGraph, type NodeRegistry, OptionalPhoneSchema, validateGraph } from '@siyu/shared';
import { z } from 'zod';
import type { AppDatabase } from '../db/app-database.ts';
import type { Database } from '../db/database.ts';
import type { Clock, JourneyEngine, TimelineEntry } from '../engine/api.ts';
import { openSimulation } from './simulation-database.ts';

export const TestRunInputSchema = z.object({
  journeyId: z.string().min(1).max(100),
  /** Run the saved draft (default) or the live version. */
  source: z.enum(['draft', 'live']).default('draft'),
  customer: z
    .object({
      phone: OptionalPhoneSchema,
      wecomExternalUserId: z.string().max(100).optional(),
      tags: z.array(z.string().min(1).max(50)).max(50).default([]),
      attributes: z.record(z.string(), z.unknown()).default({}),
    })
    .default({ tags: [], attributes: {} }),
  /** Events the test customer "does", at offsets from the start of the run. */
  events: z
    .array(
      z.object({
        afterMs: z.number().int().min(0),
        type: z.string().min(3).max(100),
        data: z.record(z.string(), z.unknown()).default({}),
      }),
    )
    .max(100)
    .default([]),
  /**
   * Stop simulating after this long (simulated time). 0 runs only what happens at once, so the
   * editor can step: replay with a longer horizon to fast-forward, with more events to inject.
   */
  maxDurationMs: z
    .number()
    .int()
    .nonnegative()
    .max(366 * 86_400_000)
    .default(90 * 86_400_000),
  /**
   * The simulated start instant (epoch ms; default now). Replaying a stepped simulation with the
   * same start gives the same path, quiet hours and time windows included.
   */
  startAt: z.number().int().nonnegative().optional(),
});
export type TestRunInput = z.infer<typeof TestRunInputSchema>;

export interface TestRunResult {
  status: string;
  nodeId: string | null;
  simulatedMs: number;
  startAt: number;
  /** Offset from the start of the next pending timer (a wait ending, a timeout), if any. */
  nextWakeMs: number | null;
  /** Event types the test customer is waiting for now. */
  waitingFor: string[];
  steps: TimelineEntry[];
  /** What the sandbox providers would have sent; coupons as channel 'coupon'. */
  messages: { channel: string; recipient: string; content: string; sentAt: number; nodeId: string | null }[];
}

/** What a test run needs from the server (the tRPC context is one). */
export interface TestRunDeps {
  /** The server's database (either); the run itself is always in a scratch SQLite file. */
  db: AppDatabase;
  registry: NodeRegistry;
  clock: Clock;
  /** Builds an engine over the scratch database and a simulated clock (absent: test runs not supported). */
  createSimulation?: (db: Database, clock: Clock) => JourneyEngine;
}

/**
 * Runs a journey for a made-up customer in a scratch SQLite database with a manual clock: jumps
 * from timer to timer (and scripted event to event) so weeks pass in milliseconds, and nothing
 * touches real customers, real stats or real providers' records.
 */
export async function runTestJourney(ctx: TestRunDeps, input: TestRunInput): Promise<TestRunResult> {
  const journey = await ctx.db.prisma.journey.findUnique({ where: { id: input.journeyId } });
  if (!journey) throw codedError('NOT_FOUND', 'common.notFound', { what: 'journey', id: input.journeyId });
  let graphJson = journey.draft;
  if (input.source === 'live') {
    const live = journey.liveVersionId
      ? await ctx.db.prisma.journeyVersion.findUnique({ where: { id: journey.liveVersionId } })
      : null;
    if (!live) throw codedError('PRECONDITION_FAILED', 'journey.neverPublished');
    graphJson = live.graph;
  }
  const problems = validateGraph(JSON.parse(graphJson) as JourneyGraph, ctx.registry);
  if (problems.length > 0) {
    const error = codedError('BAD_REQUEST', 'journey.hasProblems', { count: problems.length });
    error.message = `${error.message}: ${problems.map((p) => p.message.en).join('; ')}`;
    throw error;
  }
  const start = input.startAt ?? ctx.clock.now();
  const simulation = await openSimulation(ctx, journey, graphJson, start);
  const { db: sim, clock, engine } = simulation;
  try {
    const customerId = 'test-customer';
    await sim.prisma.customer.create({
      data: {
        id: customerId,
        displayName: '测试客户 Test customer',
        attributes: JSON.stringify(input.customer.attributes),
        identities: {
          create: [
            ...(input.customer.phone ? [{ kind: 'phone', value: input.customer.phone }] : []),
            ...(input.customer.wecomExternalUserId
              ? [{ kind: 'wecomExternalUserId', value: input.customer.wecomExternalUserId }]
              : []),
          ],
        },
        tags: { create: input.customer.tags.map((tag) => ({ tag })) },
      },
    });
    const outcome = await engine.enroll(journey.id, customerId);
    if (outcome.status !== 'enrolled') {
      throw codedError('PRECONDITION_FAILED', 'journey.testCustomerNotEnrolled', { reason: outcome.reason });
    }
    const pending = [...input.events].sort((a, b) => a.afterMs - b.afterMs);
    const end = start + input.maxDurationMs;
    const status = sim.sqlite.prepare('SELECT status, nodeId FROM Instance WHERE id = ?');
    let eventNo = 0;
    for (let guard = 0; guard < 10_000; guard++) {
      await engine.tick();
      const now = clock.now();
      while (pending.length > 0 && start + (pending[0]?.afterMs ?? 0) <= now) {
        const e = pending.shift() as (typeof pending)[number];
        await engine.ingestEvent(
          { id: `test-${eventNo++}`, type: e.type, customerId, occurredAt: new Date(now), data: e.data },
          'testRun',
        );
        await engine.tick();
      }
      const state = status.get(outcome.instanceId) as { status: string };
      if (state.status !== 'active') break;
      const due = simulation.nextTimerAt() ?? Number.POSITIVE_INFINITY;
      const nextEvent = pending.length > 0 ? start + (pending[0]?.afterMs ?? 0) : Number.POSITIVE_INFINITY;
      const next = Math.min(due, nextEvent);
      if (!Number.isFinite(next) || next > end) break;
      clock.set(Math.max(now, next));
    }
    const final = status.get(outcome.instanceId) as { status: string; nodeId: string | null };
    const steps = await engine.timeline(outcome.instanceId);
    const wake = simulation.nextTimerAt();
    const waiting = sim.sqlite.prepare('SELECT waitingFor FROM Instance WHERE id = ?').get(outcome.instanceId) as {
      waitingFor: string | null;
    };
    return {
      status: final.status,
      nodeId: final.nodeId,
      simulatedMs: clock.now() - start,
      startAt: start,
      nextWakeMs: final.status === 'active' && wake !== null ? wake - start : null,
      waitingFor: final.status === 'active' && waiting.waitingFor ? waiting.waitingFor.split(',') : [],
      steps,
      messages: simulatedMessages(sim, steps),
    };
  } finally {
    await simulation.close();
  }
}

/**
 * Messages and coupons the sandbox providers recorded in the scratch database, oldest first. A
 * coupon row does not name its node, so it is matched to the effect step that issued it by time.
 */
function simulatedMessages(sim: Database, steps: TimelineEntry[]): TestRunResult['messages'] {
  const messages = (
    sim.sqlite.prepare('SELECT channel, recipient, content, sentAt, nodeId FROM Message ORDER BY id').all() as {
      channel: string;
      recipient: string;
      content: string;
      sentAt: number | bigint;
      nodeId: string | null;
    }[]
  ).map((m) => ({ ...m, sentAt: Number(m.sentAt) }));
  const coupons = (
    sim.sqlite
      .prepare(
        `SELECT k.customerId AS recipient, s.name AS name, s.amountCents AS cents, k.issuedAt AS issuedAt
         FROM Coupon k JOIN CouponStock s ON s.id = k.stockId WHERE k.status <> 'pending' ORDER BY k.rowid`,
      )
      .all() as { recipient: string; name: string; cents: number; issuedAt: string | number }[]
  ).map((k) => {
    const sentAt = typeof k.issuedAt === 'number' ? k.issuedAt : Date.parse(k.issuedAt);
    const step = steps.find((s) => s.kind === 'effect' && s.at === sentAt);
    return {
      channel: 'coupon',
      recipient: k.recipient,
      content: `${k.name} · ¥${(k.cents / 100).toFixed(2)}`,
      sentAt,
      nodeId: step?.nodeId ?? null,
    };
  });
  return [...messages, ...coupons].sort((a, b) => a.sentAt - b.sentAt);
}
