// The engine's storage port: everything the engine's core (enrolment, event intake, timers,
// migration, the stepper) reads and writes, named by what a batch needs rather than by table.
// Today one adapter implements it: SQLite (store/sqlite/), synchronous inside one better-sqlite3
// transaction per batch. See ../README.md for what a PostgreSQL adapter must implement.
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

/**
 * What the engine's batches need from storage. Reads return rows the stepper may keep current in
 * memory for the rest of the batch; writes belong to the open batch and become visible together
 * when `batch` returns (one transaction).
 */
export interface EngineStore {
  // ── Batch boundaries ────────────────────────────────────────────────────────────────────────
  /**
   * Runs `work` as ONE transaction. Rows the batch collects (the step log) are written together
   * just before it commits. Nested calls join the outer batch. If `work` returns a promise (its
   * batch load did), an adapter that supports it commits once it settles; SQLite never gets one.
   */
  batch<T>(work: () => T): T;
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
  /** Deletes fired timers (those of held journeys are moved by isolation instead). */
  deleteFiredTimers(timerIds: readonly number[]): void;
  activeInstancesOfCustomer(customerId: string): InstanceRow[];
  /** Active instances of a journey on any version but `exceptVersionId` (migration). */
  activeInstancesOfJourney(journeyId: string, exceptVersionId: string): InstanceRow[];
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
  timeline(instanceId: number): TimelineRow[];

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
}
