// The durable engine, wired from its parts (see README.md): the store (store/port.ts: SQLite or
// PostgreSQL, by the database's dialect), the stepper (planning steps, pure), enrolment, event intake, timer firing and the
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
import type BetterSqlite3 from 'better-sqlite3';
import type { Database } from '../db/database.ts';
import type { PostgresDatabase } from '../db/postgres-database.ts';
import type { SqlClient } from '../db/sql-client.ts';
import { sqliteSqlClient } from '../db/sqlite-sql.ts';
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
import { groupCommit } from './group-commit.ts';
import { migrateInstances } from './instance-migration.ts';
import { createIsolation, PAUSED_JOURNEYS, type PausedJourneyRow } from './isolation.ts';
import { andThen, type MaybePromise } from './maybe-async.ts';
import { packageJobs } from './package-jobs.ts';
import { retryFailedStep } from './retry-step.ts';
import { DEFAULT_OUTBOX_RETENTION_DAYS, outboxPruner } from './outbox-retention.ts';
import { rfmRefresher } from './rfm-refresh.ts';
import { pollingLoop, schedulerLoop } from './scheduler-loop.ts';
import { Stepper } from './stepper.ts';
import type { EngineStore, TimelineRow } from './store/port.ts';
import { createPostgresStore } from './store/postgres/postgres-store.ts';
import { listenForWork, type WorkListener } from './store/postgres/work-notifier.ts';
import { tuneEngineConnection } from './store/sqlite/connection-tuning.ts';
import { createSqliteStore } from './store/sqlite/sqlite-store.ts';
import { timerFiring } from './timer-firing.ts';
import type { TransitionFn } from './transitions.ts';

export { EngineInputError } from './engine-input-error.ts';

const enrolledAny = (outcomes: readonly EnrollOutcome[]) => outcomes.some((o) => o.status === 'enrolled');

/** Background loop period on the real clock, when `pollMs` is not given. */
const DEFAULT_POLL_MS = 250;
/** Long enough to collect the requests of one busy moment, short against an HTTP request's own time. */
const DEFAULT_INGEST_WINDOW_MS = 2;

/**
 * The database the engine runs on: SQLite (`Database`, or just its connection) or PostgreSQL
 * (`PostgresDatabase`: the PostgreSQL store over its pool, so several worker processes may run
 * the scheduler on one database).
 */
export type EngineDatabase =
  | PostgresDatabase
  | (Pick<Database, 'sqlite'> & Partial<Pick<Database, 'onClose' | 'sql' | 'dialect'>>);

export interface EngineDeps {
  /** The database; if it can tell the engine it is closing, the engine stops first. */
  db: EngineDatabase;
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
  /** PostgreSQL: names this worker in effect claims (default host:pid:random). */
  workerId?: string;
  /**
   * PostgreSQL: how long a worker's claim on an effect holds (default 5 min). A worker that dies
   * delays its claimed effects by at most this; an executor must finish well within it, or another
   * worker runs the effect again (with the same idempotency key).
   */
  effectLeaseMs?: number;
  /**
   * How long a single ingested event waits for others to share its transaction (group commit;
   * default 2 ms). 0: only for the rest of the event loop's turn — for a caller that sends events
   * one at a time (a simulation's webhooks), where a window only adds its wait to every event.
   */
  ingestWindowMs?: number;
  /** Days finished outbox rows are kept (outbox-retention.ts; default 30, 0 keeps them all). */
  outboxRetentionDays?: number;
}

/** The store for the database's dialect, with what only SQLite has (its connection, the checkpointer). */
function openStore(deps: EngineDeps): {
  store: EngineStore;
  sql: SqlClient;
  sqlite?: BetterSqlite3.Database;
  connection: { ensureCheckpointer(): void; stopCheckpointer(): Promise<void> };
} {
  const { db, logger } = deps;
  if (db.dialect === 'postgresql') {
    const store = createPostgresStore(db.pool, {
      workerId: deps.workerId,
      leaseMs: deps.effectLeaseMs,
      logger,
      notifyWithinMs: deps.pollMs ?? DEFAULT_POLL_MS,
    });
    const connection = { ensureCheckpointer() {}, async stopCheckpointer() {} };
    return { store: deps.baseline?.store?.(store) ?? store, sql: db.sql, connection };
  }
  const sqlite = db.sqlite;
  const connection = tuneEngineConnection(
    sqlite,
    { pageCacheMb: deps.pageCacheMb, backgroundCheckpoint: deps.backgroundCheckpoint ?? !sqlite.memory },
    logger,
  );
  const store = createSqliteStore(sqlite, logger);
  return {
    store: deps.baseline?.store?.(store) ?? store,
    sql: db.sql ?? sqliteSqlClient(sqlite),
    sqlite,
    connection,
  };
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
  /** Nodes customers entered since the engine was created (customer × node passed). */
  readonly nodeVisits: number;
}

export function createEngine(deps: EngineDeps): DurableEngine {
  const { clock, logger } = deps;
  const { store, sql, sqlite, connection } = openStore(deps);
  const dialect = sqlite ? 'sqlite' : 'postgresql';
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
    store,
    sql,
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
  // SQLite knows the held journeys before the first tick; PostgreSQL reads them at each tick.
  if (sqlite) isolation.refreshFrom(sqlite.prepare<[], PausedJourneyRow>(PAUSED_JOURNEYS).all());
  stepper.guard = isolation.usable;
  dispatcher.failures = new ExecutorFailures(logger, deps.registry, clock.now.bind(clock), (id) => {
    // Named while executors run, outside a batch: PostgreSQL knows journeys only inside one (the
    // hold names it again, inside the write phase's batch).
    try {
      return store.journeyName(id) ?? id;
    } catch {
      return id;
    }
  });
  dispatcher.holdJourney = isolation.hold;
  dispatcher.sweepJourney = isolation.sweep;

  const enrol = enrolment({ store, stepper, clock, usable: isolation.usable });
  const ingest = eventIntake({ store, stepper, enrolment: enrol, clock, logger, usable: isolation.usable });
  const timerBatch = deps.timerBatchSize ?? 1000;
  const runDueAudiences = audienceEntries({
    db: { dialect, sql, sqlite },
    store,
    batch: (work) => tx(work)(),
    compiled: (versionId, journeyId) => isolation.usable(journeyId, versionId),
    enroll: (journeyId, customerIds, entryNodeId) => enrol.enrollBatch(journeyId, customerIds, { entryNodeId }),
    logger,
  });
  const runDueJobs = packageJobs({
    jobs: deps.jobs ?? [],
    ingest: (events) => engine.ingestMany(events, 'job'),
    logger,
  });
  const refreshRfm = rfmRefresher({ db: { dialect, sql, sqlite }, logger });
  const pruneOutbox = outboxPruner({
    sql,
    logger,
    retentionDays: deps.outboxRetentionDays ?? DEFAULT_OUTBOX_RETENTION_DAYS,
  });
  /** Set by stop(): the loop claims no further batch; the one in flight finishes. */
  let stopping = false;

  // Audience slices, timers and effects in batches sized to keep the HTTP server answering.
  const dueWork = store.dueWork?.bind(store);
  const drainDue = schedulerLoop(
    {
      async audienceSlice(limit) {
        const runs = await runDueAudiences(clock.now(), 1, limit);
        if (runs.length === 0) return undefined;
        return { enrolled: runs.reduce((n, run) => n + run.enrolled, 0), slice: limit };
      },
      fireTimers: timerFiring({ store, stepper, tx, clock, sweep: isolation.sweep }),
      runEffects: (limit) => dispatcher.runBatch(limit),
      due: dueWork && (() => dueWork(clock.now())),
    },
    { timerBatch, effectBatch, audienceSlice: 2000, budgetMs: deps.sliceBudgetMs, stopping: () => stopping },
  );

  // One event per request (the API, a webhook's single callback): events that arrive within the
  // window share one batch — one transaction, one commit — instead of one each (group commit).
  const ingestTogether = groupCommit<unknown, IngestOutcome>((inputs, source) => engine.ingestMany(inputs, source), {
    windowMs: deps.ingestWindowMs ?? DEFAULT_INGEST_WINDOW_MS,
    maxItems: 500,
  });

  let ticking: Promise<TickOutcome> | undefined;
  async function tickOnce(): Promise<TickOutcome> {
    const outcome: TickOutcome = { timersFired: 0, effectsRun: 0, effectsFailed: 0, audienceEnrolled: 0 };
    // RFM first: an audience entry or a branch on rfm.* this tick sees current scores.
    await refreshRfm(clock.now());
    await pruneOutbox(clock.now());
    // Held journeys as stored (another engine on the database may have held one), and releases.
    if (await isolation.refresh()) await tx(() => isolation.releaseResumed(clock.now()))();
    if (stopping) return outcome;
    await runDueJobs(clock.now());
    await drainDue(outcome);
    return outcome;
  }

  const background = pollingLoop(
    () => engine.tick(),
    deps.pollMs ?? DEFAULT_POLL_MS,
    (error) => logger.error({ err: error }, 'engine tick failed'),
  );
  // PostgreSQL: other processes' batches announce new work (store/postgres/work-notifier.ts).
  let listener: WorkListener | undefined;
  const stopListening = () => {
    const last = listener;
    listener = undefined;
    return last?.stop();
  };

  /**
   * Work that came from outside the loop (an event, an enrolment, a migration, a retry) may have
   * written an effect due now: the loop runs at once instead of at its next poll, so a customer's
   * welcome message goes out in milliseconds, not up to `pollMs` later. (On PostgreSQL the
   * batch's NOTIFY does this for every worker, this one included.)
   */
  const wakeAfter = <T>(result: MaybePromise<T>, steppedAny: (value: T) => boolean): MaybePromise<T> =>
    andThen(result, (value) => {
      if (steppedAny(value)) background.wake();
      return value;
    });

  const engine: DurableEngine = {
    get steps() {
      return stepper.steps;
    },
    get nodeVisits() {
      return stepper.nodeVisits;
    },
    async enroll(journeyId, customerId, options = {}) {
      const event = parseOptionalEvent(options.event);
      const [outcome] = (await wakeAfter(
        tx(() => enrol.enrollBatch(journeyId, [customerId], { entryNodeId: options.entryNodeId, event }))(),
        enrolledAny,
      )) as [EnrollOutcome];
      if (outcome.status === 'skipped' && outcome.reason === 'unknownCustomer') {
        throw new EngineInputError('engine.unknownCustomer', { id: customerId });
      }
      return outcome;
    },
    enrollMany(journeyId, customerIds, options = {}) {
      const event = parseOptionalEvent(options.event);
      const outcomes = wakeAfter(
        tx(() => enrol.enrollBatch(journeyId, customerIds, { entryNodeId: options.entryNodeId, event }))(),
        enrolledAny,
      );
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
    ingestEvent(input, source = 'api') {
      return ingestTogether(input, source);
    },
    ingestMany(inputs, source = 'api') {
      return wakeAfter(tx(() => ingestBatch({ store, ingest, logger, clock }, inputs, source))(), (outcomes) =>
        outcomes.some((o) => o.enrolled > 0 || o.delivered > 0),
      );
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
      // An unknown version throws inside the batch, before any move (moveAll compiles it first):
      // a networked store only has the version's graph once the batch has loaded it.
      const now = clock.now();
      return wakeAfter(
        tx(() => migrateInstances({ store, stepper, logger }, journeyId, toVersionId, nodeMapping, now))(),
        (result) => result.moved > 0,
      );
    },
    async retryFailedStep(instanceId) {
      return wakeAfter(tx(() => retryFailedStep(store, stepper, instanceId, clock.now()))(), () => true);
    },
    async timeline(instanceId) {
      return (await store.timeline(instanceId)).map(timelineEntry);
    },
    start() {
      if (deps.db.dialect === 'postgresql' && !listener) {
        listener = listenForWork({ url: deps.db.url, logger, onWork: background.wake });
      }
      // Timers that came due while the process was down fire at once.
      background.start();
    },
    async stop() {
      background.stop();
      // Graceful: no further batch is claimed; the one in flight finishes and commits.
      stopping = true;
      try {
        await stopListening();
        await ticking;
      } finally {
        stopping = false;
      }
      await connection.stopCheckpointer();
    },
  };
  // Closing the database without stopping the engine first must not leave a thread on the file
  // (SQLite) or start a batch on a closed pool (PostgreSQL). The tick in flight is not awaited: an
  // executor may never answer.
  deps.db.onClose?.(async () => {
    background.stop();
    stopping = true;
    await Promise.all([stopListening(), connection.stopCheckpointer()]);
  });
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
