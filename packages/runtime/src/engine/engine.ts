import {
  durationToMs,
  evaluateFilter,
  hashToUnit,
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
import { channelAttribution } from './channel-attribution.ts';
import { BACKSTOP_CHECKPOINT_PAGES, type Checkpointer, startCheckpointer } from './checkpointer.ts';
import { type CompiledJourney, filterContext, type RunContext } from './compiler.ts';
import { contactRecorder } from './contact-recorder.ts';
import { customerResolver } from './customer-resolver.ts';
import { DEFAULT_RETRY, Dispatcher, type RetryPolicy } from './dispatcher.ts';
import { eventConflictFinder } from './event-conflict.ts';
import { eventInserter } from './event-inserter.ts';
import { ExecutorFailures } from './executor-failures.ts';
import { createIsolation } from './isolation.ts';
import { orderRecorder } from './order-recorder.ts';
import { packageJobs } from './package-jobs.ts';
import { retryFailedStep } from './retry-step.ts';
import { rfmRefresher } from './rfm-refresh.ts';
import { schedulerLoop } from './scheduler-loop.ts';
import { type InstanceRow, prepareStatements } from './statements.ts';
import { Stepper, StepWriteError } from './stepper.ts';

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
   * database in batched mode; see checkpointer.ts).
   */
  backgroundCheckpoint?: boolean;
  /**
   * "batched" (the product): pure transitions, one transaction per batch of instances. "naive"
   * exists only as the benchmark's baseline: an actor per event and every write its own transaction.
   */
  mode?: 'batched' | 'naive';
}

/** The engine plus batch entry points used by the audience scheduler and the benchmark. */
export interface DurableEngine extends JourneyEngine {
  /** Enrols many customers in one transaction (audience entries, imports, the benchmark). */
  enrollMany(journeyId: string, customerIds: readonly string[], options?: EnrollOptions): EnrollOutcome[];
  /**
   * Ingests events that arrived together in ONE transaction (group commit). Same outcome per
   * event as ingestEvent; a webhook or a queue consumer passes everything it has received.
   */
  ingestMany(events: readonly unknown[], source?: string): IngestOutcome[];
  /** Number of XState transitions computed since the engine was created. */
  readonly steps: number;
}

type Skip = Extract<EnrollOutcome, { status: 'skipped' }>['reason'];

export function createEngine(deps: EngineDeps): DurableEngine {
  const { clock, logger } = deps;
  const db = deps.db.sqlite;
  // SQLite's default page cache is 2 MB; the hot path touches Instance, Timer, OutboxEffect and
  // StepLog pages of many customers per batch, so a larger cache saves re-reading them from the OS.
  db.pragma(`cache_size = -${deps.pageCacheMb ?? 64}000`);
  const checkpointInBackground = deps.backgroundCheckpoint ?? (deps.mode !== 'naive' && !db.memory);
  if (checkpointInBackground) db.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
  let checkpointer: Checkpointer | undefined;
  const ensureCheckpointer = () => {
    if (!checkpointInBackground || checkpointer) return;
    checkpointer = startCheckpointer(db.name, 100, (error) => logger.warn({ error }, 'background checkpoint failed'));
  };
  const stopCheckpointer = async () => {
    const running = checkpointer;
    checkpointer = undefined;
    await running?.stop();
  };
  // Closing the database without stopping the engine first must not leave a thread on the file.
  deps.db.onClose?.(stopCheckpointer);
  const st = prepareStatements(db);
  const attributeChannel = channelAttribution(db);
  const insertEvent = eventInserter(db);
  const findConflict = eventConflictFinder(db);
  const recordOrder = orderRecorder(db);
  const recordContact = contactRecorder(db);
  const refreshRfm = rfmRefresher({ sqlite: db, logger });
  const naive = deps.mode === 'naive';
  const stepper = new Stepper(
    st,
    deps.registry,
    naive,
    (fn) => (naive ? fn : db.transaction(fn)),
    (instanceId, error) => logger.error({ instanceId, error }, 'step failed; instance marked failed'),
  );
  /** One SQLite transaction for a batch; its step-log rows are written together just before commit. */
  const batch = <T>(fn: () => T): T =>
    db.transaction(() => {
      const outermost = stepper.beginLog();
      const mark = stepper.logMark();
      try {
        const result = fn();
        if (outermost) stepper.flushLog();
        return result;
      } catch (error) {
        if (outermost) stepper.dropLog();
        else stepper.truncateLog(mark);
        throw error;
      }
    })();
  /**
   * Runs `fn` as one batch. Steps are computed before they are written, so a step that cannot be
   * computed never needs a rollback; if a step's writes fail, the batch is rolled back and run again
   * with a savepoint per step, so that instance alone is marked failed and the rest go on.
   */
  const tx =
    <T>(fn: () => T): (() => T) =>
    () => {
      if (naive) return fn();
      try {
        return batch(fn);
      } catch (error) {
        if (!(error instanceof StepWriteError) || stepper.careful) throw error;
        logger.warn({ err: error }, 'a step could not be written; re-running its batch one step at a time');
        stepper.careful = true;
        try {
          return batch(fn);
        } finally {
          stepper.careful = false;
        }
      }
    };
  const dispatcher = new Dispatcher(
    tx,
    st,
    stepper,
    deps.executors,
    clock,
    logger,
    deps.retry ?? DEFAULT_RETRY,
    deps.effectBatchSize ?? 200,
  );
  const timerBatch = deps.timerBatchSize ?? 1000;
  // A journey that cannot run is paused and held; everything else carries on (isolation.ts).
  const isolation = createIsolation({
    sqlite: db,
    registry: deps.registry,
    logger,
    now: () => clock.now(),
    compile: (versionId) => stepper.compiled(versionId),
    deliver: (row, event) =>
      reactsTo(row, event.type) &&
      stepper.stepSafely(
        row,
        { type: 'ext', event, customer: stepper.lazyCustomer(row.customerId), now: clock.now() },
        { kind: 'event', detail: { event: event.id, type: event.type, replayed: true } },
      ),
  });
  stepper.guard = isolation.usable;
  const journeyName = db.prepare<[string], { name: string }>('SELECT name FROM Journey WHERE id = ?');
  dispatcher.failures = new ExecutorFailures(
    logger,
    deps.registry,
    clock.now.bind(clock),
    (id) => journeyName.get(id)?.name ?? id,
  );
  dispatcher.holdJourney = isolation.hold;
  dispatcher.sweepJourney = isolation.sweep;

  function liveVersion(journeyId: string): CompiledJourney | Skip {
    const journey = st.journey.get(journeyId);
    if (journey?.status !== 'live' || !journey.liveVersionId) return 'journeyNotLive';
    return isolation.usable(journeyId, journey.liveVersionId) ?? 'journeyNotLive';
  }

  function pickEntry(compiled: CompiledJourney, entryNodeId?: string): string | undefined {
    if (entryNodeId) return compiled.entryNodeIds.includes(entryNodeId) ? entryNodeId : undefined;
    const manual = compiled.entryNodeIds.find((id) => {
      const n = compiled.nodes.get(id);
      const kind = n?.definition.entry?.trigger(n.config).kind;
      return kind === 'api' || kind === 'audience';
    });
    return manual ?? compiled.entryNodeIds[0];
  }

  /** Re-entry policy: once / afterExit / always, with an optional minimum gap between starts. */
  function reEntryBlock(
    compiled: CompiledJourney,
    journeyId: string,
    customerId: string,
    now: number,
  ): Skip | undefined {
    const last = st.lastInstance.get(customerId, journeyId);
    if (!last) return undefined;
    const reEntry = compiled.graph.settings.reEntry;
    if (reEntry.policy === 'once') return 'reEntryOnce';
    if (reEntry.policy === 'afterExit' && st.hasActive.get(customerId, journeyId)) return 'alreadyActive';
    if (reEntry.minGap && now - Date.parse(last.enteredAt) < durationToMs(reEntry.minGap)) return 'minGap';
    return undefined;
  }

  function enrollSync(
    journeyId: string,
    customerId: string,
    options: { entryNodeId?: string; event?: JourneyEvent },
    compiledOrSkip = liveVersion(journeyId),
  ): EnrollOutcome {
    if (typeof compiledOrSkip === 'string') return { status: 'skipped', reason: compiledOrSkip };
    const compiled = compiledOrSkip;
    const now = clock.now();
    const known = st.customerErased.get(customerId);
    if (!known) return { status: 'skipped', reason: 'unknownCustomer' };
    if (known.erasedAt !== null) return { status: 'skipped', reason: 'erased' };
    // The entry step reads the customer only if its first nodes look at them.
    const customer = stepper.lazyCustomer(customerId);
    const blocked = reEntryBlock(compiled, journeyId, customerId, now);
    if (blocked) return { status: 'skipped', reason: blocked };
    const entryNodeId = pickEntry(compiled, options.entryNodeId);
    if (!entryNodeId) throw new EngineInputError(`journey ${journeyId} has no entry node ${options.entryNodeId ?? ''}`);
    const holdoutPercent = compiled.graph.settings.holdoutPercent;
    const holdout = holdoutPercent > 0 && hashToUnit(`${customerId}:${journeyId}:holdout`) * 100 < holdoutPercent;
    const instanceId = stepper.createInstance(
      compiled,
      journeyId,
      customer,
      { type: 'enroll', entryNodeId, event: options.event, customer, now },
      holdout,
    );
    return { status: 'enrolled', instanceId, holdout };
  }

  function parseOptionalEvent(input?: JourneyEventInput): JourneyEvent | undefined {
    if (!input) return undefined;
    const parsed = JourneyEventSchema.safeParse(input);
    if (!parsed.success) {
      throw new EngineInputError(
        `invalid event: ${issuesOf(parsed.error)
          .map((i) => `${i.path}: ${i.message}`)
          .join('; ')}`,
      );
    }
    return parsed.data;
  }

  /** Finds (or creates, or merges) the customer an event is about: see customer-resolver.ts. */
  const resolveCustomer = customerResolver(db, logger);

  /** Whether an instance's journey reacts to this event type (waits, goal, exit conditions). */
  function reactsTo(row: InstanceRow, type: string): boolean {
    const compiled = stepper.usable(row);
    if (!compiled) return false; // held: the event is kept and replayed when the journey resumes
    if (row.waitingFor?.split(',').includes(type)) return true;
    const settings = compiled.graph.settings;
    return settings.goal?.event === type || settings.exitConditions.some((c) => c.event === type);
  }

  function ingestSync(received: JourneyEvent, source: string): IngestOutcome {
    const now = clock.now();
    const customerId = resolveCustomer(received, now);
    if (!customerId) {
      logger.warn(
        { eventId: received.id, type: received.type, customerId: received.customerId },
        'event rejected: unknown customer',
      );
      return {
        status: 'rejected',
        reason: `unknown customer ${received.customerId ?? ''}`.trim(),
        delivered: 0,
        enrolled: 0,
      };
    }
    const event = attributeChannel(received, customerId);
    const stored = {
      externalId: event.id,
      type: event.type,
      customerId,
      occurredAt: event.occurredAt.getTime(),
      receivedAt: now,
      data: event.data,
      source,
    };
    const inserted = insertEvent(stored);
    if (!inserted) {
      const differs = findConflict({ ...stored, data: received.data }); // as sent, before attribution
      if (differs) {
        logger.warn({ eventId: event.id, type: event.type, differs }, 'event rejected: id reused for another event');
        const reason = `event id ${event.id} was already used for a different event (${differs} differs)`;
        return { status: 'conflict', reason, customerId, delivered: 0, enrolled: 0 };
      }
      logger.info({ eventId: event.id, type: event.type }, 'event ignored: duplicate id');
      return {
        status: 'duplicate',
        reason: `event ${event.id} was already received`,
        customerId,
        delivered: 0,
        enrolled: 0,
      };
    }
    recordOrder(event, customerId);
    recordContact(event, customerId);
    // Read only if a wait's filter, a goal or an entry trigger looks at the customer.
    const customer = stepper.lazyCustomer(customerId);
    let delivered = 0;
    for (const row of st.activeInstancesOfCustomer.all(customerId)) {
      if (!reactsTo(row, event.type)) continue;
      const moved = stepper.stepSafely(
        row,
        { type: 'ext', event, customer, now },
        { kind: 'event', detail: { event: event.id, type: event.type } },
      );
      if (moved) delivered++;
    }
    let enrolled = 0;
    for (const journey of st.liveJourneys.all()) {
      const compiled = isolation.usable(journey.id, journey.liveVersionId);
      if (!compiled) continue;
      for (const entryNodeId of compiled.entryNodeIds) {
        const n = compiled.nodes.get(entryNodeId);
        const trigger = n?.definition.entry?.trigger(n.config);
        if (trigger?.kind !== 'event' || trigger.event !== event.type) continue;
        if (trigger.filter && !evaluateFilter(trigger.filter, filterContext(customer, event))) continue;
        const outcome = enrollSync(journey.id, customerId, { entryNodeId, event }, compiled);
        if (outcome.status === 'enrolled') enrolled++;
        break;
      }
    }
    st.markEventProcessed.run(now, event.id);
    return { status: 'accepted', customerId, delivered, enrolled };
  }

  /**
   * Fires one batch of due timers in one transaction; returns how many fired. The timers and their
   * instances are read by one statement and the fired timers deleted by another, instead of two
   * statements per timer.
   */
  function fireTimers(limit = timerBatch): number {
    const now = clock.now();
    return tx(() => {
      const all = st.dueTimerInstances.all(now, limit);
      if (all.length === 0) return 0;
      // Timers of a journey that cannot run are held with it (moved to HeldTimer), not fired.
      const swept = new Set<string>();
      const due = all.filter((d) => d.id === null || d.status !== 'active' || runsNow(d, swept));
      st.deleteTimersById.run(JSON.stringify(due.map((d) => d.timerId)));
      // Two timers of one instance in the same batch step the same row object, which each step
      // keeps current, never a copy read before the first step.
      const rows = new Map<number, InstanceRow>();
      for (const timer of due) {
        if (timer.id === null) continue;
        // The joined record is the instance row (its extra timer fields are ignored).
        const row = rows.get(timer.id) ?? (timer as InstanceRow);
        rows.set(row.id, row);
        if (row.status !== 'active') continue;
        stepper.stepSafely(
          row,
          { type: 'timer.fired', key: timer.timerKey, customer: stepper.lazyCustomer(row.customerId), now },
          { kind: 'timer', detail: { key: timer.timerKey, dueAt: timer.timerDueAt } },
        );
      }
      return all.length;
    })();
  }

  /**
   * Whether a due timer's journey may run; if not, its timers are moved to HeldTimer, once per
   * journey and batch (one sweep moves them all, not one sweep per held timer).
   */
  function runsNow(row: InstanceRow, swept: Set<string>): boolean {
    if (stepper.usable(row)) return true;
    if (!swept.has(row.journeyId)) isolation.sweep(row.journeyId);
    swept.add(row.journeyId);
    return false;
  }

  const runDueAudiences = audienceEntries({
    sqlite: db,
    compiled: (versionId, journeyId) => isolation.usable(journeyId, versionId),
    enroll: (journeyId, customerIds, entryNodeId) =>
      customerIds.map((id) => enrollSync(journeyId, id, { entryNodeId })),
    logger,
  });

  const runDueJobs = packageJobs({
    jobs: deps.jobs ?? [],
    ingest: (events) => engine.ingestMany(events, 'job'),
    logger,
  });

  // Audience slices, timers and effects in batches sized to keep the HTTP server answering.
  const drainDue = schedulerLoop(
    {
      audienceSlice(limit) {
        const runs = runDueAudiences(clock.now(), 1, limit);
        if (runs.length === 0) return undefined;
        return { enrolled: runs.reduce((n, run) => n + run.enrolled, 0), slice: limit };
      },
      fireTimers,
      runEffects: (limit) => dispatcher.runBatch(limit),
    },
    {
      timerBatch,
      effectBatch: deps.effectBatchSize ?? 200,
      audienceSlice: 2000,
      budgetMs: deps.sliceBudgetMs,
    },
  );

  let ticking: Promise<TickOutcome> | undefined;
  async function tickOnce(): Promise<TickOutcome> {
    const outcome: TickOutcome = { timersFired: 0, effectsRun: 0, effectsFailed: 0, audienceEnrolled: 0 };
    // RFM first: an audience entry or a branch on rfm.* this tick sees current scores.
    refreshRfm(clock.now());
    if (isolation.hasResumed()) tx(() => isolation.releaseResumed(clock.now()))();
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
      const outcome = tx(() => enrollSync(journeyId, customerId, { entryNodeId: options.entryNodeId, event }))();
      if (outcome.status === 'skipped' && outcome.reason === 'unknownCustomer') {
        throw new EngineInputError(`unknown customer ${customerId}`);
      }
      return outcome;
    },
    enrollMany(journeyId, customerIds, options = {}) {
      const event = parseOptionalEvent(options.event);
      const outcomes = tx(() => {
        // The journey is looked up once for the whole batch (it cannot change inside it).
        const compiled = liveVersion(journeyId);
        return customerIds.map((id) =>
          enrollSync(journeyId, id, { entryNodeId: options.entryNodeId, event }, compiled),
        );
      })();
      // One unknown id in an import or a segment must not sink the other customers: it is skipped
      // and reported (in the outcome and the log).
      const unknown = customerIds.filter((_, i) => {
        const o = outcomes[i];
        return o?.status === 'skipped' && o.reason === 'unknownCustomer';
      });
      if (unknown.length > 0) {
        logger.warn(
          { journeyId, unknown: unknown.slice(0, 20), count: unknown.length },
          'enrolment skipped unknown customers',
        );
      }
      return outcomes;
    },
    async ingestEvent(input, source = 'api') {
      return engine.ingestMany([input], source)[0] as IngestOutcome;
    },
    ingestMany(inputs, source = 'api') {
      const parsed = inputs.map((input) => JourneyEventSchema.safeParse(input));
      return tx(() =>
        parsed.map((result): IngestOutcome => {
          if (result.success) return ingestSync(result.data, source);
          const reason = `malformed event: ${issuesOf(result.error)
            .map((i) => `${i.path}: ${i.message}`)
            .join('; ')}`;
          logger.warn({ source, reason }, 'event rejected');
          return { status: 'rejected', reason, delivered: 0, enrolled: 0 };
        }),
      )();
    },
    tick() {
      // One tick at a time: the background loop and a caller never run the same effect together.
      ensureCheckpointer();
      ticking ??= tickOnce().finally(() => {
        ticking = undefined;
      });
      return ticking;
    },
    async migrateInstances(journeyId, toVersionId, nodeMapping) {
      const target = stepper.compiled(toVersionId);
      const now = clock.now();
      return tx(() => {
        let moved = 0;
        for (const row of st.activeInstancesOfJourney.all(journeyId, toVersionId)) {
          const to = row.nodeId ? nodeMapping[row.nodeId] : undefined;
          if (!to || !target.nodes.has(to)) {
            logger.warn({ instanceId: row.id, nodeId: row.nodeId }, 'instance not migrated: node has no mapping');
            continue;
          }
          const customer = stepper.customerView(row.customerId);
          if (!customer) continue;
          const old = JSON.parse(row.snapshot) as { c: RunContext };
          const fromVersion = row.versionId;
          const from = row.nodeId;
          st.deleteTimersOf.run(row.id);
          st.moveInstanceVersion.run(toVersionId, row.id);
          row.versionId = toVersionId;
          row.snapshot = JSON.stringify({ s: 'idle', c: { v: {}, at: old.c.at, goal: old.c.goal } });
          // The step log keeps the old version's rows; the move is one `migrate` row at the new node.
          stepper.stepSafely(
            row,
            { type: 'goto', nodeId: to, customer, now },
            { kind: 'migrate', placedAt: to, detail: { fromVersion, toVersion: toVersionId, from, to } },
          );
          moved++;
        }
        return { moved };
      })();
    },
    async retryFailedStep(instanceId) {
      return tx(() => retryFailedStep(db, st, stepper, instanceId, clock.now()))();
    },
    async timeline(instanceId) {
      return st.timeline.all(instanceId).map(
        (r): TimelineEntry => ({
          at: Number(r.at),
          kind: r.kind,
          nodeId: r.nodeId,
          fromNodeId: r.fromNodeId,
          port: r.port,
          detail: r.detail ? JSON.parse(r.detail) : undefined,
        }),
      );
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
      await stopCheckpointer();
    },
  };
  return engine;
}

/** Input the engine cannot act on (unknown customer or entry node, malformed event). */
export class EngineInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineInputError';
  }
}
