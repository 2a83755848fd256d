import { type JourneyEvent, type NodeRegistry, type PauseReason, parsePauseReason } from '@siyu/shared';
import type BetterSqlite3 from 'better-sqlite3';
import type { Logger } from '../logger.ts';
import { type CompiledJourney, CompileError } from './compiler.ts';
import { packageOfNodeType } from './executor-failures.ts';
import type { InstanceRow } from './store/port.ts';

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
 */
export interface Isolation {
  /** The compiled version if it is usable and its journey is not held; else undefined (held now). */
  usable(journeyId: string, versionId: string): CompiledJourney | undefined;
  /** Pauses a journey with a reason and holds its timers and effects (idempotent). */
  hold(reason: PauseReason): void;
  /** Moves timers / effects of an already held journey out of the live tables again (stragglers). */
  sweep(journeyId: string): void;
  isHeld(journeyId: string): boolean;
  /** Whether an operator made a held journey live again (cheap: read before opening a transaction). */
  hasResumed(): boolean;
  /** Releases journeys an operator made live again; returns how many events were replayed. */
  releaseResumed(now: number): { journeys: number; events: number };
  /** Describes a version's compile failure as a reason (for the log and the editor). */
  describe(journeyId: string, versionId: string, error: unknown, now: number): PauseReason;
}

export interface IsolationDeps {
  sqlite: BetterSqlite3.Database;
  registry: NodeRegistry;
  logger: Logger;
  now: () => number;
  compile: (versionId: string) => CompiledJourney;
  /** Delivers a replayed event to one waiting instance (the engine's ext step). */
  deliver: (row: InstanceRow, event: JourneyEvent) => boolean;
}

const ACTIVE_OF = "SELECT id FROM Instance WHERE journeyId = ? AND status = 'active'";

export function createIsolation(deps: IsolationDeps): Isolation {
  const { sqlite, registry, logger } = deps;
  const broken = new Map<string, unknown>();
  const held = new Set<string>(
    sqlite
      .prepare<[], { id: string }>("SELECT id FROM Journey WHERE pausedReason IS NOT NULL AND status != 'live'")
      .all()
      .map((r) => r.id),
  );
  const journeyInfo = sqlite.prepare<[string], { name: string }>('SELECT name FROM Journey WHERE id = ?');
  const versionInfo = sqlite.prepare<[string], { version: number; graph: string }>(
    'SELECT version, graph FROM JourneyVersion WHERE id = ?',
  );
  const pauseJourney = sqlite.prepare(
    "UPDATE Journey SET status = CASE WHEN status = 'live' THEN 'paused' ELSE status END, pausedReason = ? WHERE id = ?",
  );
  const holdTimers = sqlite.prepare(
    `INSERT INTO HeldTimer (instanceId, journeyId, dueAt, key, createdAt)
     SELECT t.instanceId, ?, t.dueAt, t.key, t.createdAt FROM Timer t WHERE t.instanceId IN (${ACTIVE_OF})`,
  );
  const dropTimers = sqlite.prepare(`DELETE FROM Timer WHERE instanceId IN (${ACTIVE_OF})`);
  const holdEffects = sqlite.prepare(
    `UPDATE OutboxEffect SET status = 'held' WHERE status = 'pending' AND instanceId IN (${ACTIVE_OF})`,
  );
  const resumed = sqlite.prepare<[], { id: string; pausedReason: string }>(
    "SELECT id, pausedReason FROM Journey WHERE status = 'live' AND pausedReason IS NOT NULL",
  );
  const clearReason = sqlite.prepare('UPDATE Journey SET pausedReason = NULL WHERE id = ?');
  const restoreTimers = sqlite.prepare(
    'INSERT OR IGNORE INTO Timer (instanceId, dueAt, key, createdAt) SELECT instanceId, dueAt, key, createdAt FROM HeldTimer WHERE journeyId = ?',
  );
  const dropHeldTimers = sqlite.prepare('DELETE FROM HeldTimer WHERE journeyId = ?');
  const releaseEffects = sqlite.prepare(
    "UPDATE OutboxEffect SET status = 'pending', nextAttemptAt = ? WHERE status = 'held' AND instanceId IN (SELECT id FROM Instance WHERE journeyId = ?)",
  );
  const missedEvents = sqlite.prepare<
    [number, string],
    { externalId: string; type: string; customerId: string; occurredAt: number; data: string }
  >(
    `SELECT externalId, type, customerId, occurredAt, data FROM Event
     WHERE receivedAt >= ? AND customerId IN (SELECT customerId FROM Instance WHERE journeyId = ? AND status = 'active')
     ORDER BY id`,
  );
  const waitingInstances = sqlite.prepare<[string, string], InstanceRow>(
    `SELECT id, journeyId, versionId, customerId, status, holdout, snapshot, nodeId, waitingFor, enteredAt
     FROM Instance WHERE customerId = ? AND journeyId = ? AND status = 'active'`,
  );

  function describe(journeyId: string, versionId: string, error: unknown, now: number): PauseReason {
    const detail = error instanceof Error ? error.message : String(error);
    const name = journeyInfo.get(journeyId)?.name ?? journeyId;
    const version = versionInfo.get(versionId);
    const reason: PauseReason = {
      kind: 'versionBroken',
      at: now,
      journey: { id: journeyId, name },
      version: { id: versionId, number: version?.version ?? null },
      detail,
    };
    const nodeId = error instanceof CompileError ? error.nodeId : undefined;
    if (!nodeId || !version) return reason;
    let stored: { id: string; type: string; typeVersion: number; label?: string } | undefined;
    try {
      const graph = JSON.parse(version.graph) as { nodes: Array<{ id: string; type: string; typeVersion: number }> };
      stored = graph.nodes.find((n) => n.id === nodeId);
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
    holdTimers.run(journeyId, journeyId);
    dropTimers.run(journeyId);
    holdEffects.run(journeyId);
  }

  function hold(reason: PauseReason): void {
    const journeyId = reason.journey.id;
    if (reason.version && reason.version.number === null) {
      reason.version.number = versionInfo.get(reason.version.id)?.version ?? null;
    }
    const first = !held.has(journeyId);
    held.add(journeyId);
    if (first) {
      pauseJourney.run(JSON.stringify(reason), journeyId);
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
        error = thrown ?? new Error('compile failed');
        broken.set(versionId, error);
      }
    }
    hold(describe(journeyId, versionId, error, deps.now()));
    return undefined;
  }

  function releaseResumed(now: number): { journeys: number; events: number } {
    let journeys = 0;
    let events = 0;
    for (const row of resumed.all()) {
      const since = parsePauseReason(row.pausedReason)?.at ?? now;
      held.delete(row.id);
      clearReason.run(row.id);
      restoreTimers.run(row.id);
      dropHeldTimers.run(row.id);
      releaseEffects.run(now, row.id);
      journeys++;
      for (const e of missedEvents.all(since, row.id)) {
        const event: JourneyEvent = {
          id: e.externalId,
          type: e.type,
          customerId: e.customerId,
          occurredAt: new Date(Number(e.occurredAt)),
          data: JSON.parse(e.data) as Record<string, unknown>,
        };
        for (const instance of waitingInstances.all(e.customerId, row.id)) {
          if (deps.deliver(instance, event)) events++;
        }
        // Still broken (or broken again): the journey is held again and the rest waits for the next resume.
        if (held.has(row.id)) break;
      }
      logger.info({ journeyId: row.id, since, replayed: events }, 'paused journey released');
    }
    return { journeys, events };
  }

  return {
    usable,
    hold,
    sweep,
    isHeld: (id) => held.has(id),
    hasResumed: () => resumed.get() !== undefined,
    releaseResumed,
    describe,
  };
}
