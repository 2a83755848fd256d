import { type JourneyEvent, type NodeRegistry, type PauseReason, parsePauseReason } from '@siyu/shared';
import type { SqlClient } from '../db/sql-client.ts';
import type { Logger } from '../logger.ts';
import { type CompiledJourney, CompileError } from './compiler.ts';
import { packageOfNodeType } from './executor-failures.ts';
import { andThen, type MaybePromise } from './maybe-async.ts';
import type { EngineStore, InstanceRow } from './store/port.ts';

/**
 * Keeps one broken journey from stopping the others. A version that does not compile (a node
 * package missing, a config the installed node cannot read) used to throw out of every loop that
 * touched it: ingest answered 500, the tick failed four times a second and every journey stalled.
 * Now the first touch pauses that journey with a reason (Journey.pausedReason) and holds its work:
 *
 * - its due timers move to HeldTimer (keeping their due time) and its pending effects become
 *   "held", so the scheduler and dispatcher never read them;
 * - events keep being stored as always (Event); its waiting customers are not stepped;
 * - when an operator makes the journey live again (resume, or publish a fixed version), the next
 *   tick moves the timers and effects back and replays, in arrival order, the events its active
 *   customers received since the pause to those that wait for them. New enrolments from events
 *   that arrived during the pause are not made (as with any paused journey).
 *
 * Compiling is deterministic for a registry, so a broken version is remembered (not recompiled on
 * every touch); a new publish is a new version.
 *
 * Its writes go through the store's side statements (store/port.ts), inside the batch that touched
 * the journey, so they commit with it, on SQLite and PostgreSQL alike. Several engines may share a
 * database: each reads which journeys are held once per tick (`refresh`), and a release is claimed
 * by clearing the reason, so one engine replays a journey's missed events, never two.
 */
export interface Isolation {
  /** The compiled version if it is usable and its journey is not held; else undefined (held now). */
  usable(journeyId: string, versionId: string): CompiledJourney | undefined;
  /** Pauses a journey with a reason and holds its timers and effects (idempotent). Inside a batch. */
  hold(reason: PauseReason): void;
  /** Moves timers / effects of an already held journey out of the live tables again (stragglers). */
  sweep(journeyId: string): void;
  isHeld(journeyId: string): boolean;
  /**
   * Reads which journeys are held and which an operator made live again (another engine on the
   * database may have held one). Once per tick, outside batches; true when one was made live again.
   */
  refresh(): Promise<boolean>;
  /** `refresh` from rows already read (SQLite reads them synchronously when the engine is made). */
  refreshFrom(rows: readonly PausedJourneyRow[]): boolean;
  /** Releases journeys an operator made live again, inside a batch; how many events were replayed. */
  releaseResumed(now: number): MaybePromise<{ journeys: number; events: number }>;
  /** Describes a version's compile failure as a reason (for the log and the editor). */
  describe(journeyId: string, versionId: string, error: unknown, now: number): PauseReason;
}

export interface PausedJourneyRow {
  id: string;
  status: string;
}

/** Journeys with a pause reason: held while not live, to release once live again. */
export const PAUSED_JOURNEYS = 'SELECT id, status FROM Journey WHERE pausedReason IS NOT NULL';

export interface IsolationDeps {
  /** Side statements and per-batch reads (journey names, version graphs, active runs). */
  store: Pick<
    EngineStore,
    'batchRead' | 'batchWrite' | 'journeyName' | 'versionGraph' | 'versionNumber' | 'activeInstancesOfJourney'
  >;
  /** Reads between batches (`refresh`). */
  sql: SqlClient;
  registry: NodeRegistry;
  logger: Logger;
  now: () => number;
  compile: (versionId: string) => CompiledJourney;
  /** Delivers a replayed event to one waiting instance (the engine's ext step). */
  deliver: (row: InstanceRow, event: JourneyEvent) => boolean;
}

const ACTIVE_OF = "SELECT id FROM Instance WHERE journeyId = ? AND status = 'active'";
const PAUSE_JOURNEY =
  "UPDATE Journey SET status = CASE WHEN status = 'live' THEN 'paused' ELSE status END, pausedReason = ? WHERE id = ?";
// A held timer keeps its timer's id (HeldTimer.id has no default on PostgreSQL); it is moved once.
const HOLD_TIMERS = `INSERT INTO HeldTimer (id, instanceId, journeyId, dueAt, key, createdAt)
  SELECT t.id, t.instanceId, ?, t.dueAt, t.key, t.createdAt FROM Timer t WHERE t.instanceId IN (${ACTIVE_OF})
  ON CONFLICT DO NOTHING`;
const DROP_TIMERS = `DELETE FROM Timer WHERE instanceId IN (${ACTIVE_OF})`;
/**
 * PostgreSQL: one statement, and timers another worker has locked (it is firing them in a batch
 * that may be sweeping this journey too) are skipped instead of waited for: two workers sweeping
 * one journey would otherwise each wait for the other's timers (a deadlock). That worker's own
 * sweep, or the next one, moves them.
 */
const MOVE_TIMERS_PG = `WITH moved AS (
    DELETE FROM Timer WHERE id IN (SELECT t.id FROM Timer t WHERE t.instanceId IN (${ACTIVE_OF}) FOR UPDATE SKIP LOCKED)
    RETURNING id, instanceId, dueAt, key, createdAt)
  INSERT INTO HeldTimer (id, instanceId, journeyId, dueAt, key, createdAt)
  SELECT id, instanceId, ?, dueAt, key, createdAt FROM moved ON CONFLICT DO NOTHING`;
const HOLD_EFFECTS = `UPDATE OutboxEffect SET status = 'held' WHERE status = 'pending' AND instanceId IN (${ACTIVE_OF})`;
const RESUMED_REASON = "SELECT pausedReason FROM Journey WHERE id = ? AND status = 'live' AND pausedReason IS NOT NULL";
/** The release is claimed: of two engines clearing the reason they read, one gets the row. */
const CLAIM_RELEASE = 'UPDATE Journey SET pausedReason = NULL WHERE id = ? AND pausedReason = ? RETURNING id';
const RESTORE_TIMERS = `INSERT INTO Timer (instanceId, dueAt, key, createdAt)
  SELECT instanceId, dueAt, key, createdAt FROM HeldTimer WHERE journeyId = ? ON CONFLICT DO NOTHING`;
const DROP_HELD_TIMERS = 'DELETE FROM HeldTimer WHERE journeyId = ?';
const RELEASE_EFFECTS =
  "UPDATE OutboxEffect SET status = 'pending', nextAttemptAt = ? WHERE status = 'held' AND instanceId IN (SELECT id FROM Instance WHERE journeyId = ?)";
const MISSED_EVENTS = `SELECT externalId, type, customerId, occurredAt, data FROM Event
  WHERE receivedAt >= ? AND customerId IN (SELECT customerId FROM Instance WHERE journeyId = ? AND status = 'active')
  ORDER BY id`;

interface MissedEvent {
  externalId: string;
  type: string;
  customerId: string;
  occurredAt: number;
  data: string;
}

export function createIsolation(deps: IsolationDeps): Isolation {
  const { store, registry, logger } = deps;
  const broken = new Map<string, unknown>();
  const held = new Set<string>();
  let resumed: string[] = [];

  function describe(journeyId: string, versionId: string, error: unknown, now: number): PauseReason {
    const detail = error instanceof Error ? error.message : String(error);
    const name = store.journeyName(journeyId) ?? journeyId;
    const number = store.versionNumber(versionId);
    const reason: PauseReason = {
      kind: 'versionBroken',
      at: now,
      journey: { id: journeyId, name },
      version: { id: versionId, number: number ?? null },
      detail,
    };
    const nodeId = error instanceof CompileError ? error.nodeId : undefined;
    const graph = nodeId ? store.versionGraph(versionId) : undefined;
    if (!nodeId || graph === undefined) return reason;
    let stored: { id: string; type: string; typeVersion: number; label?: string } | undefined;
    try {
      const parsed = JSON.parse(graph) as { nodes: Array<{ id: string; type: string; typeVersion: number }> };
      stored = parsed.nodes.find((n) => n.id === nodeId);
    } catch {
      // The graph itself is unreadable: the detail says so.
    }
    if (!stored) return reason;
    const definition = registry.get(stored.type);
    reason.node = {
      id: stored.id,
      type: stored.type,
      title: stored.label || definition?.label,
      typeVersion: stored.typeVersion,
      installedVersion: definition?.version,
    };
    reason.package = packageOfNodeType(registry, stored.type);
    if (!definition) reason.kind = 'packageMissing';
    return reason;
  }

  function sweep(journeyId: string): void {
    if (deps.sql.dialect === 'postgresql') store.batchWrite(MOVE_TIMERS_PG, [journeyId, journeyId]);
    else {
      store.batchWrite(HOLD_TIMERS, [journeyId, journeyId]);
      store.batchWrite(DROP_TIMERS, [journeyId]);
    }
    store.batchWrite(HOLD_EFFECTS, [journeyId]);
  }

  function hold(reason: PauseReason): void {
    const journeyId = reason.journey.id;
    if (reason.version && reason.version.number === null) {
      reason.version.number = store.versionNumber(reason.version.id) ?? null;
    }
    // Named outside a batch (an executor failing), the journey may carry its id as its name.
    if (reason.journey.name === journeyId) reason.journey.name = store.journeyName(journeyId) ?? journeyId;
    const first = !held.has(journeyId);
    held.add(journeyId);
    if (first) {
      store.batchWrite(PAUSE_JOURNEY, [JSON.stringify(reason), journeyId]);
      logger.error(
        {
          journeyId,
          journey: reason.journey.name,
          versionId: reason.version?.id,
          version: reason.version?.number,
          nodeId: reason.node?.id,
          nodeType: reason.node?.type,
          package: reason.package?.name,
          packageInstalled: reason.package?.installed,
          reason: reason.kind,
          detail: reason.detail,
        },
        'journey paused: it cannot run; every other journey carries on',
      );
    }
    sweep(journeyId);
  }

  function usable(journeyId: string, versionId: string): CompiledJourney | undefined {
    if (held.has(journeyId)) return undefined;
    let error = broken.get(versionId);
    if (error === undefined) {
      try {
        return deps.compile(versionId);
      } catch (thrown) {
        // A graph the batch did not load is the engine's mistake, not the version's: never held for it.
        if (thrown instanceof Error && thrown.name === 'NotLoaded') throw thrown;
        error = thrown ?? new Error('compile failed');
        broken.set(versionId, error);
      }
    }
    hold(describe(journeyId, versionId, error, deps.now()));
    return undefined;
  }

  function refreshFrom(rows: readonly PausedJourneyRow[]): boolean {
    held.clear();
    resumed = [];
    for (const row of rows) {
      if (row.status === 'live') resumed.push(row.id);
      else held.add(row.id);
    }
    return resumed.length > 0;
  }

  /** Replays, in arrival order, the events a released journey's active customers received since `since`. */
  function replay(events: readonly MissedEvent[], instances: readonly InstanceRow[], journeyId: string): number {
    const byCustomer = new Map<string, InstanceRow[]>();
    for (const row of instances) byCustomer.set(row.customerId, [...(byCustomer.get(row.customerId) ?? []), row]);
    let replayed = 0;
    for (const e of events) {
      const event: JourneyEvent = {
        id: e.externalId,
        type: e.type,
        customerId: e.customerId,
        occurredAt: new Date(Number(e.occurredAt)),
        data: JSON.parse(e.data) as Record<string, unknown>,
      };
      // Each step keeps its row current: a run an earlier event ended is passed over.
      for (const instance of byCustomer.get(e.customerId) ?? []) {
        if (instance.status === 'active' && deps.deliver(instance, event)) replayed++;
      }
      // Still broken (or broken again): the journey is held again and the rest waits for the next resume.
      if (held.has(journeyId)) break;
    }
    return replayed;
  }

  function release(journeyId: string, now: number): MaybePromise<number | undefined> {
    held.delete(journeyId);
    const reason = store.batchRead<{ pausedReason: string }>(RESUMED_REASON, [journeyId]);
    const claim = andThen(reason, ([row]) =>
      row
        ? andThen(store.batchRead(CLAIM_RELEASE, [journeyId, row.pausedReason]), (won) => won.length > 0 && row)
        : false,
    ) as MaybePromise<false | { pausedReason: string }>;
    return andThen(claim, (claimed) => {
      if (!claimed) return undefined; // another engine released it (or it was paused again)
      const since = parsePauseReason(claimed.pausedReason)?.at ?? now;
      store.batchWrite(RESTORE_TIMERS, [journeyId]);
      store.batchWrite(DROP_HELD_TIMERS, [journeyId]);
      store.batchWrite(RELEASE_EFFECTS, [now, journeyId]);
      return andThen(store.batchRead<MissedEvent>(MISSED_EVENTS, [since, journeyId]), (events) =>
        // No version is named '': every active run of the journey, its customer made readable.
        andThen(events.length === 0 ? [] : store.activeInstancesOfJourney(journeyId, ''), (instances) => {
          const replayed = replay(events, instances, journeyId);
          logger.info({ journeyId, since, replayed }, 'paused journey released');
          return replayed;
        }),
      );
    }) as MaybePromise<number | undefined>; // a promise of a promise settles as the inner one
  }

  function releaseResumed(now: number): MaybePromise<{ journeys: number; events: number }> {
    const outcome = { journeys: 0, events: 0 };
    const next = (i: number): MaybePromise<{ journeys: number; events: number }> => {
      const journeyId = resumed[i];
      if (journeyId === undefined) {
        resumed = [];
        return outcome;
      }
      return andThen(release(journeyId, now), (events) => {
        if (events !== undefined) {
          outcome.journeys++;
          outcome.events += events;
        }
        return next(i + 1);
      }) as MaybePromise<{ journeys: number; events: number }>;
    };
    return next(0);
  }

  return {
    usable,
    hold,
    sweep,
    isHeld: (id) => held.has(id),
    refresh: async () => refreshFrom(await deps.sql.all<PausedJourneyRow>(PAUSED_JOURNEYS)),
    refreshFrom,
    releaseResumed,
    describe,
  };
}
