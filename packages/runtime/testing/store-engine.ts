// The engine's store-agnostic parts (stepper, enrolment, timer firing, dispatcher, scheduler loop)
// wired on any EngineStore, for tests that run the same journey on SQLite and on PostgreSQL.
// createEngine (engine.ts) wires the same parts plus isolation, audiences and RFM on either database.
import { defineExecutor, type NodeExecutor, type NodeRegistry, PermanentError } from '@siyu/shared';
import { coupon, send, tag } from '@siyu/shared/testing';
import type { Clock, EnrollOutcome, IngestOutcome, TickOutcome, TimelineEntry } from '../src/engine/api.ts';
import { batchRunner } from '../src/engine/batch-runner.ts';
import { Dispatcher } from '../src/engine/dispatcher.ts';
import { timelineEntry } from '../src/engine/engine.ts';
import { enrolment } from '../src/engine/enrolment.ts';
import { eventIntake, ingestBatch } from '../src/engine/event-intake.ts';
import { migrateInstances } from '../src/engine/instance-migration.ts';
import { type RetryOutcome, retryFailedStep } from '../src/engine/retry-step.ts';
import { schedulerLoop } from '../src/engine/scheduler-loop.ts';
import { Stepper } from '../src/engine/stepper.ts';
import type { EngineStore } from '../src/engine/store/port.ts';
import { timerFiring } from '../src/engine/timer-firing.ts';
import { createLogger } from '../src/logger.ts';

export interface StoreEngine {
  enrollMany(journeyId: string, customerIds: readonly string[]): Promise<EnrollOutcome[]>;
  /** Events that arrived together, in one batch (as the engine's ingestMany). */
  ingestMany(events: readonly unknown[]): Promise<IngestOutcome[]>;
  timeline(instanceId: number): Promise<TimelineEntry[]>;
  retryFailedStep(instanceId: number): Promise<RetryOutcome>;
  migrateInstances(
    journeyId: string,
    toVersionId: string,
    nodeMapping: Record<string, string>,
  ): Promise<{ moved: number }>;
  /** Fires due timers and runs due effects until nothing is due. */
  drain(): Promise<TickOutcome>;
  readonly steps: number;
}

export function storeEngine(
  store: EngineStore,
  registry: NodeRegistry,
  executors: NodeExecutor[],
  clock: Clock,
): StoreEngine {
  const logger = createLogger('silent');
  const stepper = new Stepper(store, registry);
  const tx = batchRunner(store, stepper, logger);
  const usable = (_journeyId: string, versionId: string) => stepper.compiled(versionId);
  const enrol = enrolment({ store, stepper, clock, usable });
  const ingest = eventIntake({ store, stepper, enrolment: enrol, clock, logger, usable });
  const dispatcher = new Dispatcher(tx, store, stepper, executors, clock, logger);
  const dueWork = store.dueWork?.bind(store);
  const drainDue = schedulerLoop(
    {
      audienceSlice: () => undefined,
      fireTimers: timerFiring({ store, stepper, tx, clock, sweep: () => {} }),
      runEffects: (limit) => dispatcher.runBatch(limit),
      due: dueWork && (() => dueWork(clock.now())),
    },
    { timerBatch: 1000, effectBatch: 200, audienceSlice: 1, budgetMs: Number.POSITIVE_INFINITY },
  );
  return {
    enrollMany: async (journeyId, customerIds) => tx(() => enrol.enrollBatch(journeyId, customerIds, {}))(),
    ingestMany: async (events) => tx(() => ingestBatch({ store, ingest, logger }, events, 'api'))(),
    retryFailedStep: async (instanceId) => tx(() => retryFailedStep(store, stepper, instanceId, clock.now()))(),
    timeline: async (instanceId) => (await store.timeline(instanceId)).map(timelineEntry),
    migrateInstances: async (journeyId, toVersionId, nodeMapping) =>
      tx(() => migrateInstances({ store, stepper, logger }, journeyId, toVersionId, nodeMapping, clock.now()))(),
    async drain() {
      const outcome: TickOutcome = { timersFired: 0, effectsRun: 0, effectsFailed: 0, audienceEnrolled: 0 };
      await drainDue(outcome);
      return outcome;
    },
    get steps() {
      return stepper.steps;
    },
  };
}

/**
 * Executors for the sample package's effect nodes that only record each call's idempotency key
 * (no provider, no de-duplication: a key seen twice is an effect dispatched twice); `onCall` sees
 * each call as it happens (the bench times the thank-you message after an order).
 */
export function recordingExecutors(
  calls: string[],
  options: { sendFails?: () => boolean; onCall?: (idempotencyKey: string) => void } = {},
): NodeExecutor[] {
  const record = (key: string) => {
    calls.push(key);
    options.onCall?.(key);
  };
  return [
    defineExecutor(send, async (ctx) => {
      record(ctx.idempotencyKey);
      if (options.sendFails?.()) throw new PermanentError('no phone number', { code: 'noPhone' });
      return { port: 'sent' };
    }),
    defineExecutor(tag, async (ctx) => {
      record(ctx.idempotencyKey);
      return { port: 'next' };
    }),
    defineExecutor(coupon, async (ctx) => {
      record(ctx.idempotencyKey);
      return { port: 'issued', data: { couponId: `fake-${ctx.idempotencyKey}` } };
    }),
  ];
}
