// The durable engine, wired from its parts (see README.md): the store (store/port.ts, SQLite
// today), the stepper (planning steps, pure), enrolment, event intake, timer firing and the
// dispatcher as the batches the scheduler loop runs.
import {
  issuesOf,
  type JourneyEvent,
  type JourneyEventInput,
  JourneyEventSchema,
  type NodeExecutor,
  type NodeRegistry,
  type PackageJob,
} from '@siyu/shared';
import type { Database } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type {
  Clock,
  EnrollOptions,
  EnrollOutcome,
  IngestOutcome,
  JourneyEngine,
  TickOutcome,
  TimelineEntry,
} from './api.ts';
import { audienceEntries } from './audience-entries.ts';
import { batchRunner } from './batch-runner.ts';
import { DEFAULT_RETRY, Dispatcher, type RetryPolicy } from './dispatcher.ts';
import { EngineInputError } from './engine-input-error.ts';
import { enrolment } from './enrolment.ts';
import { eventIntake, ingestBatch, reactsTo } from './event-intake.ts';
import { ExecutorFailures } from './executor-failures.ts';
import { migrateInstances } from './instance-migration.ts';
import { createIsolation } from './isolation.ts';
import { andThen, type MaybePromise } from './maybe-async.ts';
import { packageJobs } from './package-jobs.ts';
import { retryFailedStep } from './retry-step.ts';
import { rfmRefresher } from './rfm-refresh.ts';
import { schedulerLoop } from './scheduler-loop.ts';
import { Stepper } from './stepper.ts';
import type { EngineStore, TimelineRow } from './store/port.ts';
import { tuneEngineConnection } from './store/sqlite/connection-tuning.ts';
import { createSqliteStore } from './store/sqlite/sqlite-store.ts';
import { timerFiring } from './timer-firing.ts';
import type { TransitionFn } from './transitions.ts';

export { EngineInputError } from './engine-input-error.ts';

export interface EngineDeps {
  /** The database; if it can tell the engine it is closing, the checkpoint thread stops first. */
  db: Pick<Database, 'sqlite'> & Partial<Pick<Database, 'onClose'>>;
  registry: NodeRegistry;
  /** Server-side executors (from each ServerNodePackage.executors). */
  executors: readonly NodeExecutor[];
  /** Node packages' scheduled jobs (coupon expiry, …), run from the tick on the engine's clock. */
  jobs?: readonly PackageJob[];
  clock: Clock;
  logger: Logger;
  retry?: RetryPolicy;
  /** Timers fired per transaction. */
  timerBatchSize?: number;
  /** Effects run per batch. */
  effectBatchSize?: number;
  /** Background loop period on the real clock. */
  pollMs?: number;
  /** Busy time one batch may hold the thread before the loop yields (see scheduler-loop.ts). */
  sliceBudgetMs?: number;
  /** SQLite page cache for the engine's connection, in MB (default 64). */
  pageCacheMb?: number;
  /**
   * Checkpoint the WAL from a worker thread instead of inside commits (default true for a file
   * database; see store/sqlite/checkpointer.ts).
   */
  backgroundCheckpoint?: boolean;
  /**
   * For benchmark baselines only (testing/naive-engine.ts): replace the store's batching or the
   * transition. The product uses the SQLite store as built and XState's pure transition.
   */
  baseline?: { store?: (store: EngineStore) => EngineStore; transition?: TransitionFn };
}

/** The engine plus batch entry points used by the audience scheduler and the benchmark. */
export interface DurableEngine extends JourneyEngine {
  /**
   * Enrols many customers in one transaction (audience entries, imports, the benchmark). The
   * outcomes come at once on SQLite, as a promise on a networked store (await it either way).
   */
  enrollMany(journeyId: string, customerIds: readonly string[], options?: EnrollOptions): MaybePromise<EnrollOutcome[]>;
  /**
   * Ingests events that arrived together in ONE transaction (group commit). Same outcome per
   * event as ingestEvent; a webhook or a queue consumer passes everything it has received.
   * At once on SQLite, a promise on a networked store (await it either way).
   */
  ingestMany(events: readonly unknown[], source?: string): MaybePromise<IngestOutcome[]>;
  /** Number of XState transitions computed since the engine was created. */
  readonly steps: number;
}

export function createEngine(deps: EngineDeps): DurableEngine {
  const { clock, logger } = deps;
  const db = deps.db.sqlite;
  const connection = tuneEngineConnection(
    db,
    { pageCacheMb: deps.pageCacheMb, backgroundCheckpoint: deps.backgroundCheckpoint ?? !db.memory },
    logger,
  );
  // Closing the database without stopping the engine first must not leave a thread on the file.
  deps.db.onClose?.(connection.stopCheckpointer);
  const sqliteStore = createSqliteStore(db, logger);
  const store = deps.baseline?.store?.(sqliteStore) ?? sqliteStore;
  const stepper = new Stepper(
    store,
    deps.registry,
    (instanceId, error) => logger.error({ instanceId, error }, 'step failed; instance marked failed'),
    deps.baseline?.transition,
  );
  const tx = batchRunner(store, stepper, logger);
  const effectBatch = deps.effectBatchSize ?? 200;
  const dispatcher = new Dispatcher(
    tx,
    store,
    stepper,
    deps.executors,
    clock,
    logger,
    deps.retry ?? DEFAULT_RETRY,
    effectBatch,
  );
  // A journey that cannot run is paused and held; everything else carries on (isolation.ts).
  const isolation = createIsolation({
    sqlite: db,
    registry: deps.registry,
    logger,
    now: () => clock.now(),
    compile: (versionId) => stepper.compiled(versionId),
    deliver: (row, event) =>
      reactsTo(stepper, row, event.type) &&
      stepper.stepSafely(
        row,
        { type: 'ext', event, customer: stepper.lazyCustomer(row.customerId), now: clock.now() },
        { kind: 'event', detail: { event: event.id, type: event.type, replayed: true } },
      ),
  });
  stepper.guard = isolation.usable;
  dispatcher.failures = new ExecutorFailures(
    logger,
    deps.registry,
    clock.now.bind(clock),
    (id) => store.journeyName(id) ?? id,
  );
  dispatcher.holdJourney = isolation.hold;
  dispatcher.sweepJourney = isolation.sweep;

  const enrol = enrolment({ store, stepper, clock, usable: isolation.usable });
  const ingest = eventIntake({ store, stepper, enrolment: enrol, clock, logger, usable: isolation.usable });
  const timerBatch = deps.timerBatchSize ?? 1000;
  const runDueAudiences = audienceEntries({
    sqlite: db,
    compiled: (versionId, journeyId) => isolation.usable(journeyId, versionId),
    enroll: (journeyId, customerIds, entryNodeId) =>
      customerIds.map((id) => enrol.enroll(journeyId, id, { entryNodeId })),
    logger,
  });
  const runDueJobs = packageJobs({
    jobs: deps.jobs ?? [],
    ingest: (events) => engine.ingestMany(events, 'job'),
    logger,
  });
  const refreshRfm = rfmRefresher({ sqlite: db, logger });

  // Audience slices, timers and effects in batches sized to keep the HTTP server answering.
  const drainDue = schedulerLoop(
    {
      audienceSlice(limit) {
        const runs = runDueAudiences(clock.now(), 1, limit);
        if (runs.length === 0) return undefined;
        return { enrolled: runs.reduce((n, run) => n + run.enrolled, 0), slice: limit };
      },
      fireTimers: timerFiring({ store, stepper, tx, clock, sweep: isolation.sweep }),
      runEffects: (limit) => dispatcher.runBatch(limit),
    },
    { timerBatch, effectBatch, audienceSlice: 2000, budgetMs: deps.sliceBudgetMs },
  );

  let ticking: Promise<TickOutcome> | undefined;
  async function tickOnce(): Promise<TickOutcome> {
    const outcome: TickOutcome = { timersFired: 0, effectsRun: 0, effectsFailed: 0, audienceEnrolled: 0 };
    // RFM first: an audience entry or a branch on rfm.* this tick sees current scores.
    refreshRfm(clock.now());
    if (isolation.hasResumed()) await tx(() => isolation.releaseResumed(clock.now()))();
    await runDueJobs(clock.now());
    await drainDue(outcome);
    return outcome;
  }

  let timer: NodeJS.Timeout | undefined;
  let running = false;

  const engine: DurableEngine = {
    get steps() {
      return stepper.steps;
    },
    async enroll(journeyId, customerId, options = {}) {
      const event = parseOptionalEvent(options.event);
      const [outcome] = (await tx(() =>
        enrol.enrollBatch(journeyId, [customerId], { entryNodeId: options.entryNodeId, event }),
      )()) as [EnrollOutcome];
      if (outcome.status === 'skipped' && outcome.reason === 'unknownCustomer') {
        throw new EngineInputError('engine.unknownCustomer', { id: customerId });
      }
      return outcome;
    },
    enrollMany(journeyId, customerIds, options = {}) {
      const event = parseOptionalEvent(options.event);
      const outcomes = tx(() =>
        enrol.enrollBatch(journeyId, customerIds, { entryNodeId: options.entryNodeId, event }),
      )();
      return andThen(outcomes, (all) => {
        // One unknown id in an import or a segment must not sink the other customers: it is
        // skipped and reported (in the outcome and the log).
        const unknown = customerIds.filter((_, i) => {
          const o = all[i];
          return o?.status === 'skipped' && o.reason === 'unknownCustomer';
        });
        if (unknown.length > 0) {
          logger.warn(
            { journeyId, unknown: unknown.slice(0, 20), count: unknown.length },
            'enrolment skipped unknown customers',
          );
        }
        return all;
      });
    },
    async ingestEvent(input, source = 'api') {
      return andThen(engine.ingestMany([input], source), (all) => all[0] as IngestOutcome);
    },
    ingestMany(inputs, source = 'api') {
      return tx(() => ingestBatch({ store, ingest, logger }, inputs, source))();
    },
    tick() {
      // One tick at a time: the background loop and a caller never run the same effect together.
      connection.ensureCheckpointer();
      ticking ??= tickOnce().finally(() => {
        ticking = undefined;
      });
      return ticking;
    },
    async migrateInstances(journeyId, toVersionId, nodeMapping) {
      stepper.compiled(toVersionId); // an unknown version throws before the batch starts
      const now = clock.now();
      return tx(() => migrateInstances({ store, stepper, logger }, journeyId, toVersionId, nodeMapping, now))();
    },
    async retryFailedStep(instanceId) {
      return tx(() => retryFailedStep(store, stepper, instanceId, clock.now()))();
    },
    async timeline(instanceId) {
      return (await store.timeline(instanceId)).map(timelineEntry);
    },
    start() {
      if (running) return;
      running = true;
      const loop = () => {
        engine
          .tick()
          .catch((error) => logger.error({ err: error }, 'engine tick failed'))
          .finally(() => {
            if (running) timer = setTimeout(loop, deps.pollMs ?? 250);
          });
      };
      // Timers that came due while the process was down fire at once.
      loop();
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await ticking;
      await connection.stopCheckpointer();
    },
  };
  return engine;
}

/** A step-log row as the API shows it: its detail parsed. */
export function timelineEntry(r: TimelineRow): TimelineEntry {
  return {
    at: Number(r.at),
    kind: r.kind,
    nodeId: r.nodeId,
    fromNodeId: r.fromNodeId,
    port: r.port,
    detail: r.detail ? JSON.parse(r.detail) : undefined,
  };
}

function parseOptionalEvent(input?: JourneyEventInput): JourneyEvent | undefined {
  if (!input) return undefined;
  const parsed = JourneyEventSchema.safeParse(input);
  if (!parsed.success) {
    throw new EngineInputError('engine.invalidEvent', {
      issues: issuesOf(parsed.error)
        .map((i) => `${i.path}: ${i.message}`)
        .join('; '),
    });
  }
  return parsed.data;
}
