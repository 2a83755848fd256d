// The engine's storage port: everything the engine's core (enrolment, event intake, timers,
// migration, the stepper) reads and writes, named by what a batch needs rather than by table.
// Two adapters implement it: SQLite (store/sqlite/), synchronous inside one better-sqlite3
// transaction per batch, and PostgreSQL (store/postgres/), one pooled connection per batch whose
// loads are awaited once per batch. See ../README.md.
import type { CustomerUpdate, JourneyEvent } from '@siyu/shared';
import type { SqlValue } from '../../db/sql-client.ts';
import type { StoredEvent } from '../event-inserter.ts';
import type { MaybePromise } from '../maybe-async.ts';
import type { StepPlan } from '../step-plan.ts';

/** One journey run of one customer, as the stepper reads and keeps it current. */
export interface InstanceRow {
  id: number;
  journeyId: string;
  versionId: string;
  customerId: string;
  status: string;
  holdout: number;
  snapshot: string;
  nodeId: string | null;
  waitingFor: string | null;
  enteredAt: string;
}

/** A due timer with its instance's row (instance fields are null if the instance is gone). */
export type DueTimer = { timerId: number; timerKey: string; timerDueAt: number } & (
  | InstanceRow
  | { [K in keyof InstanceRow]: null }
);

/** A due outbox effect with its instance's row (undefined if the instance is gone). */
export interface DueEffect {
  id: number;
  instanceId: number;
  nodeId: string;
  nodeType: string;
  idempotencyKey: string;
  attempts: number;
  instance: InstanceRow | undefined;
}

export type OutcomeResolutionAction = 'resend' | 'markSent' | 'skip';
export interface OutcomeResolution {
  action: OutcomeResolutionAction;
  decidedBy: string;
}

/** What an operator's retry of a failed step reads about its run (retry-step.ts). */
export interface RetryFacts {
  row: InstanceRow;
  exitReason: string | null;
  journeyStatus: string;
  /** Another run of the same customer in the same journey is active. */
  runsAgain: boolean;
  /** Idempotency keys of the run's failed outbox rows. */
  failedEffectKeys: string[];
}

/** A customer as stored: JSON columns still as text (parsed by customer-views.ts). */
export interface CustomerRow {
  id: string;
  attributes: string;
  displayName: string | null;
  ownerUserId: string | null;
  channelCode: string | null;
  variant: string | null;
  erasedAt: string | null;
  rfm: string | null;
  /** JSON array of tags. */
  tags: string;
  /** JSON object kind → value. */
  identities: string;
}

/** A new instance row: inserted once, already in the state its entry step leads to. */
export interface NewInstance {
  journeyId: string;
  versionId: string;
  customerId: string;
  status: string;
  holdout: boolean;
  snapshot: string;
  nodeId: string | null;
  waitingFor: string | null;
  exitReason: string | null;
  goal: boolean;
  ended: boolean;
  /** Epoch ms of the enrolment. */
  at: number;
}

export interface TimelineRow {
  at: number;
  kind: string;
  nodeId: string | null;
  fromNodeId: string | null;
  port: string | null;
  detail: string | null;
}

/** What event intake records about an event besides routing it (inside the intake's batch). */
export interface EventRecords {
  /**
   * The customer an event is about: its customerId (or the customer it was merged into), else the
   * one its identities name (created when none does, merged when they name several).
   */
  resolveCustomer(event: JourneyEvent, now: number): string | undefined;
  /** A channel event's code → its channel on the event data, and the customer's first touch. */
  attributeChannel(event: JourneyEvent, customerId: string): JourneyEvent;
  /** Stores an event once by externalId; false when the id was already stored. */
  insertEvent(event: StoredEvent): boolean;
  /** For an id already stored: what differs from the stored event (undefined: the same event). */
  findEventConflict(event: StoredEvent): string | undefined;
  recordOrder(event: JourneyEvent, customerId: string): void;
  recordContact(event: JourneyEvent, customerId: string): void;
}

/**
 * What the engine's batches need from storage. Reads return rows the stepper may keep current in
 * memory for the rest of the batch; writes belong to the open batch and become visible together
 * when `batch` returns (one transaction).
 */
export interface EngineStore extends EventRecords {
  // ── Batch boundaries ────────────────────────────────────────────────────────────────────────
  /**
   * Runs `work` as ONE transaction. Rows the batch collects (the step log) are written together
   * just before it commits. Nested calls join the outer batch. If `work` returns a promise (its
   * batch load did), an adapter that supports it commits once it settles; SQLite never gets one.
   */
  batch<T>(work: () => MaybePromise<T>): MaybePromise<T>;
  /** Runs one step inside the open batch so that, if it throws, none of its writes remain. */
  savepoint<T>(work: () => T): T;

  // ── Loader: what a batch reads ──────────────────────────────────────────────────────────────
  // Batch loads may answer with a promise (a networked database awaits once per batch, inside the
  // batch: `batch` then returns a promise too); SQLite answers synchronously. The per-row reads
  // below them stay synchronous: an adapter that needs a round trip serves them from what the
  // batch load fetched (see ../README.md).
  /**
   * Claims up to `limit` timers due by `now` (oldest first), each with its instance's row, and
   * makes the customers of those instances readable through `customer()`.
   */
  claimDueTimers(now: number, limit: number): MaybePromise<DueTimer[]>;
  /**
   * Before enrolling `customerIds` on a journey: makes `customerErasedAt`, `customer`,
   * `lastInstance` and `hasActiveInstance` of these customers readable, and readies as many
   * instance inserts. SQLite reads them as it goes and answers at once.
   */
  prepareEnrolment(journeyId: string, customerIds: readonly string[]): MaybePromise<void>;
  /**
   * Before taking in `events`: makes readable what intake reads about them (`EventRecords`: stored
   * events with these ids, their customers by id or identity, entry codes) and about their
   * customers (`customer`, `activeInstancesOfCustomer`, and for the live journeys `lastInstance` /
   * `hasActiveInstance`), and readies the inserts event-triggered entries make. PostgreSQL merges
   * here the customers one event's identities name together (SQLite merges as it resolves).
   */
  prepareEvents(events: readonly JourneyEvent[], now?: number): MaybePromise<void>;
  /**
   * Claims up to `limit` pending effects due by `now` (oldest first) with their instances, and
   * makes readable what preparing them reads: the customers, `peekOutcomeResolution` of effects
   * already attempted, and `countMessages` of these customers.
   */
  claimDueEffects(now: number, limit: number): MaybePromise<DueEffect[]>;
  /**
   * Whether timers and effects are due by `now`, read outside any batch. Offered by an adapter
   * whose empty claim costs a transaction (both do); the scheduler asks it before claiming.
   */
  dueWork?(now: number): Promise<{ timers: boolean; effects: boolean }>;
  /** A run an operator retries (undefined if there is none), its customer made readable. */
  loadRetry(instanceId: number): MaybePromise<RetryFacts | undefined>;
  /** Instances by id (the dispatcher's result phase), their customers made readable. */
  instancesByIds(instanceIds: readonly number[]): MaybePromise<InstanceRow[]>;
  /** Deletes fired timers (those of held journeys are moved by isolation instead). */
  deleteFiredTimers(timerIds: readonly number[]): void;
  activeInstancesOfCustomer(customerId: string): InstanceRow[];
  /**
   * Active instances of a journey on any version but `exceptVersionId` (migration: the version
   * they move to), with their customers and both versions' graphs made readable.
   */
  activeInstancesOfJourney(journeyId: string, exceptVersionId: string): MaybePromise<InstanceRow[]>;
  /** The customer's latest instance of a journey (re-entry rules). */
  lastInstance(customerId: string, journeyId: string): { enteredAt: string } | undefined;
  hasActiveInstance(customerId: string, journeyId: string): boolean;
  customer(customerId: string): CustomerRow | undefined;
  /** Whether a customer exists (undefined if not) and when they were erased (null: never). */
  customerErasedAt(customerId: string): { erasedAt: string | null } | undefined;
  journey(journeyId: string): { id: string; status: string; liveVersionId: string | null } | undefined;
  journeyName(journeyId: string): string | undefined;
  liveJourneys(): Array<{ id: string; liveVersionId: string }>;
  /** A published version's graph JSON (immutable once written). */
  versionGraph(versionId: string): string | undefined;
  /** A published version's number (undefined when unknown), read where its graph was. */
  versionNumber(versionId: string): number | undefined;
  timeline(instanceId: number): MaybePromise<TimelineRow[]>;
  /** The operator's pending decision on an effect whose outcome was unknown, if any (not taken). */
  peekOutcomeResolution(effectKey: string): OutcomeResolution | undefined;
  /** Messages sent to a customer on a channel since `since` (epoch ms), this effect's own excepted. */
  countMessages(customerId: string, channel: string, since: number, exceptKey: string): number;

  // ── Writer: what a batch writes ─────────────────────────────────────────────────────────────
  /** Inserts an instance; returns its id (its outbox keys and step log rows need it). */
  insertInstance(instance: NewInstance): number;
  /**
   * Writes one planned step: the instance's new snapshot and state, its outbox rows, timers
   * scheduled and dropped, and its step-log rows. `inserted`: the row was just inserted in the
   * planned state, so it needs no update and has no timers yet.
   */
  writeStep(row: InstanceRow, plan: StepPlan, now: number, inserted: boolean): void;
  /** Marks an instance failed (its state unchanged) and drops its timers. */
  failInstance(row: InstanceRow, reason: string, now: number): void;
  /** One step-log row (collected until the batch commits). `detail` is JSON or null. */
  appendStepLog(
    row: InstanceRow,
    at: number,
    kind: string,
    nodeId: string | null,
    fromNodeId: string | null,
    port: string | null,
    detail: string | null,
  ): void;
  /** Puts an instance on another version (migration): its timers are dropped. */
  moveToVersion(instanceId: number, versionId: string): void;
  markEventProcessed(externalId: string, now: number): void;
  /**
   * Applies a node's `customerUpdate` (tags added and removed, attributes set and removed by name)
   * in the open batch, with the step it belongs to (the stepper writes it just before the step),
   * so later reads in the batch see it.
   */
  updateCustomer(customerId: string, update: CustomerUpdate, source: string, now: number): void;

  // ── Outbox: what the dispatcher writes ──────────────────────────────────────────────────────
  /** Counts an attempt as its executor starts (a re-run after a crash then knows it is one). */
  markEffectsStarted(effectIds: readonly number[]): void;
  /** The operator's pending decision on this effect, if any, marked as taken (acted on once). */
  takeOutcomeResolution(effectKey: string, now: number): OutcomeResolution | undefined;
  finishEffect(
    effectId: number,
    status: 'done' | 'skipped' | 'failed',
    attempts: number,
    result: string | null,
    error: string | null,
    now: number,
  ): void;
  retryEffect(effectId: number, attempts: number, at: number, error: string): void;
  deferEffect(effectId: number, at: number): void;
  /** Parks an effect whose outcome is unknown (status "unknown": waits for an operator). */
  parkUnknownEffect(effectId: number, attempts: number, error: string): void;
  /** An operator's retry: the failed effect is pending again and its run active again. */
  reopenFailedStep(instanceId: number, effectKey: string, now: number): void;

  // ── Side statements: the engine's rarer parts (isolation, audience runs) inside a batch ──────
  // SQL written once as for the SQL port (db/sql-client.ts: `?` placeholders, Prisma's names,
  // `ON CONFLICT`), rows read alike. They belong to the open batch's transaction, so what they
  // write commits or rolls back with its steps.
  /** Reads (or writes with RETURNING) now, after the batch's collected writes: SQLite answers at once. */
  batchRead<T>(sql: string, params: readonly SqlValue[]): MaybePromise<T[]>;
  /**
   * A write nobody waits for the result of: SQLite runs it now, PostgreSQL sends it after the
   * batch's collected writes (at the next load or the commit).
   */
  batchWrite(sql: string, params: readonly SqlValue[]): void;
}
