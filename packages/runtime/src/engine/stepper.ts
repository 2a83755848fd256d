import type { NodeRegistry } from '@siyu/shared';
import {
  type CustomerView,
  IDENTITY_KINDS,
  type Identities,
  type JourneyGraph,
  parseJourneyGraph,
  type RfmScore,
} from '@siyu/shared';
import { type AnyMachineSnapshot, type AnyStateMachine, createActor, transition } from 'xstate';
import { type CompiledJourney, type EngineAction, MachineCache, type RunContext, type RunEvent } from './compiler.ts';
import { type InstanceRow, isoDate, type Statements } from './statements.ts';

/** RFM of a customer who never ordered (scores 0, as segments compute it). */
const NO_ORDERS_RFM: RfmScore & Record<string, unknown> = {
  recency: 0,
  frequency: 0,
  monetary: 0,
  segment: 'noOrders',
  recencyDays: null,
  orderCount: 0,
  totalCents: 0,
};

/** What a step was caused by, for the step log. */
export interface StepCause {
  kind: 'enter' | 'event' | 'timer' | 'effect' | 'error' | 'migrate' | 'exit';
  port?: string;
  detail?: unknown;
}

/** Compact stored form of a snapshot: state value and context only. */
interface StoredSnapshot {
  s: unknown;
  c: RunContext;
}

/**
 * Steps instances: restores the stored snapshot, runs XState's pure `transition`, and writes the
 * new snapshot, timers, outbox rows and step log. Callers wrap calls in one SQLite transaction per
 * batch, so a crash leaves either all of a step or none of it.
 */
export class Stepper {
  readonly machines: MachineCache;
  /** Transitions computed since start (for the benchmark). */
  steps = 0;

  constructor(
    private readonly st: Statements,
    registry: NodeRegistry,
    /** Benchmark baseline only: an actor per event instead of the pure transition. */
    private readonly actorPerEvent = false,
    /** Runs a step in a savepoint so a failing step leaves no partial writes. */
    private readonly savepoint: <T>(fn: () => T) => () => T = (fn) => fn,
    private readonly onError: (instanceId: number, message: string) => void = () => {},
  ) {
    this.machines = new MachineCache(registry);
  }

  private readonly actorMachines = new Map<string, { machine: AnyStateMachine; sink: EngineAction[] }>();

  /** XState's pure transition; or, for the naive baseline, a fresh actor that records its actions. */
  private transitionOf(compiled: CompiledJourney, before: AnyMachineSnapshot, event: RunEvent) {
    if (!this.actorPerEvent) return transition(compiled.machine, before, event as never);
    let entry = this.actorMachines.get(compiled.versionId);
    if (!entry) {
      const sink: EngineAction[] = [];
      const record =
        (type: EngineAction['type']) =>
        (_: unknown, params: unknown): void => {
          sink.push({ type, params } as EngineAction);
        };
      const machine = compiled.machine.provide({
        actions: {
          entered: record('entered'),
          effect: record('effect'),
          timer: record('timer'),
          goal: record('goal'),
          exited: record('exited'),
        },
      });
      entry = { machine, sink };
      this.actorMachines.set(compiled.versionId, entry);
    }
    entry.sink.length = 0;
    const snapshot = entry.machine.resolveState({ value: before.value, context: before.context });
    const actor = createActor(entry.machine, { snapshot });
    actor.start();
    actor.send(event as never);
    const after = actor.getSnapshot();
    actor.stop();
    return [after, [...entry.sink]] as const;
  }

  compiled(versionId: string): CompiledJourney {
    return this.machines.get(versionId, () => {
      const row = this.st.versionGraph.get(versionId);
      if (!row) throw new Error(`journey version ${versionId} does not exist`);
      return parseJourneyGraph(JSON.parse(row.graph)) as JourneyGraph;
    });
  }

  customerView(customerId: string): (CustomerView & { erased: boolean }) | undefined {
    const row = this.st.customer.get(customerId);
    if (!row) return undefined;
    const identities: Identities = {};
    for (const [kind, value] of Object.entries(JSON.parse(row.identities) as Record<string, string>)) {
      if ((IDENTITY_KINDS as readonly string[]).includes(kind)) identities[kind as keyof Identities] = value;
    }
    return {
      id: row.id,
      tags: JSON.parse(row.tags) as string[],
      attributes: JSON.parse(row.attributes) as Record<string, unknown>,
      identities,
      channel: row.channelCode ? { code: row.channelCode, variant: row.variant ?? undefined } : undefined,
      ownerUserId: row.ownerUserId ?? undefined,
      // Refreshed by the engine (rfm-refresh.ts); no orders reads as the "noOrders" segment.
      rfm: row.rfm ? (JSON.parse(row.rfm) as RfmScore) : NO_ORDERS_RFM,
      erased: row.erasedAt !== null,
    };
  }

  restore(compiled: CompiledJourney, snapshot: string): AnyMachineSnapshot {
    const stored = JSON.parse(snapshot) as StoredSnapshot;
    return compiled.machine.resolveState({ value: stored.s as never, context: stored.c });
  }

  /** Creates an instance row and steps it into its entry node. Returns the instance id. */
  createInstance(
    compiled: CompiledJourney,
    journeyId: string,
    customer: CustomerView,
    event: RunEvent & { type: 'enroll' },
    holdout: boolean,
  ): number {
    const now = event.now;
    const initial = compiled.machine.resolveState({ value: 'idle', context: { v: {}, at: now } });
    const stored = JSON.stringify({ s: 'idle', c: initial.context });
    const info = this.st.insertInstance.run(
      journeyId,
      compiled.versionId,
      customer.id,
      holdout ? 'completed' : 'active',
      holdout ? 1 : 0,
      stored,
      holdout ? event.entryNodeId : null,
      isoDate(now),
      isoDate(now),
    );
    const id = Number(info.lastInsertRowid);
    const row: InstanceRow = {
      id,
      journeyId,
      versionId: compiled.versionId,
      customerId: customer.id,
      status: 'active',
      holdout: holdout ? 1 : 0,
      snapshot: stored,
      nodeId: null,
      waitingFor: null,
      enteredAt: isoDate(now),
    };
    if (holdout) {
      // Held-out customers are counted as entering and then receive nothing.
      this.log(row, now, 'enter', event.entryNodeId, null, null, { holdout: true, event: event.event?.id });
      return id;
    }
    this.step(row, event, { kind: 'enter', detail: event.event ? { event: event.event.id } : undefined });
    return id;
  }

  /**
   * A step that cannot poison a batch: if it throws (a version that no longer compiles, a node
   * that throws in `decide`), its writes are rolled back, the instance is marked failed with the
   * reason, and the batch goes on.
   */
  stepSafely(row: InstanceRow, event: RunEvent, cause: StepCause): boolean {
    try {
      return this.savepoint(() => this.step(row, event, cause))();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const now = event.now;
      this.log(row, now, 'error', row.nodeId, null, null, { error: message, cause: cause.kind });
      this.st.updateInstance.run(
        row.snapshot,
        row.nodeId,
        null,
        'failed',
        `error: ${message}`.slice(0, 500),
        null,
        isoDate(now),
        isoDate(now),
        row.id,
      );
      this.st.deleteTimersOf.run(row.id);
      row.status = 'failed';
      this.onError(row.id, message);
      return false;
    }
  }

  /**
   * One step of one instance. Returns false (and writes nothing) when the event changes nothing,
   * e.g. a stale timer or an event the instance does not wait for.
   */
  step(row: InstanceRow, event: RunEvent, cause: StepCause): boolean {
    if (row.status !== 'active') return false;
    const compiled = this.compiled(row.versionId);
    const before = this.restore(compiled, row.snapshot);
    const [after, actions] = this.transitionOf(compiled, before, event);
    this.steps++;
    const stored = JSON.stringify({ s: after.value, c: after.context });
    if (stored === row.snapshot && actions.length === 0) return false;

    const now = event.now;
    const ctxBefore = before.context as RunContext;
    const ctx = after.context as RunContext;
    if (cause.kind !== 'enter') this.log(row, now, cause.kind, row.nodeId, null, cause.port ?? null, cause.detail);
    else this.log(row, now, 'enter', null, null, null, cause.detail);

    let nodeId = row.nodeId;
    let exitReason: string | null = null;
    let goalAt: string | null = null;
    for (const action of actions as unknown as EngineAction[]) {
      switch (action.type) {
        case 'entered':
          this.log(row, now, 'move', action.params.nodeId, nodeId, null, null);
          nodeId = action.params.nodeId;
          break;
        case 'effect': {
          const node = compiled.nodes.get(action.params.nodeId);
          this.st.insertOutbox.run(
            row.id,
            action.params.nodeId,
            node?.node.type ?? 'unknown',
            `${row.id}:${action.params.key}`,
            '{}',
            now,
            isoDate(now),
          );
          break;
        }
        case 'timer':
          if (action.params) this.st.insertTimer.run(row.id, action.params.at, action.params.key, isoDate(now));
          break;
        case 'goal':
          goalAt = isoDate(now);
          this.log(row, now, 'goal', nodeId, null, null, null);
          break;
        case 'exited':
          exitReason = action.params.reason;
          break;
      }
    }
    // A wait that ended early leaves its timeout behind; drop it so the scheduler never reads it.
    if (ctxBefore.aw && ctxBefore.aw.k !== ctx.aw?.k && ctxBefore.aw.tp !== undefined) {
      this.st.deleteTimer.run(row.id, ctxBefore.aw.k);
    }

    let status = 'active';
    let endedAt: string | null = null;
    if (after.status === 'done') {
      const value = after.value;
      if (value === 'exited') status = 'exited';
      else if (value === 'completed') status = 'completed';
      else status = (nodeId && compiled.nodes.get(nodeId)?.definition.ends) || 'completed';
      endedAt = isoDate(now);
      if (status === 'exited') {
        const ending = nodeId ? compiled.nodes.get(nodeId) : undefined;
        exitReason = exitReason ?? ctx.x ?? ending?.definition.endReason?.(ending.config) ?? `node:${nodeId}`;
      }
      this.log(
        row,
        now,
        status === 'exited' ? 'exit' : 'complete',
        nodeId,
        null,
        null,
        exitReason ? { reason: exitReason } : null,
      );
      this.st.deleteTimersOf.run(row.id);
    }
    const waitingFor = ctx.aw && ctx.aw.e.length > 0 ? ctx.aw.e.map((e) => e.t).join(',') : null;
    this.st.updateInstance.run(stored, nodeId, waitingFor, status, exitReason, goalAt, isoDate(now), endedAt, row.id);
    row.snapshot = stored;
    row.nodeId = nodeId;
    row.status = status;
    row.waitingFor = waitingFor;
    return true;
  }

  log(
    row: InstanceRow,
    at: number,
    kind: string,
    nodeId: string | null,
    fromNodeId: string | null,
    port: string | null,
    detail: unknown,
  ): void {
    this.st.insertStep.run(
      row.id,
      row.journeyId,
      row.versionId,
      at,
      kind,
      nodeId,
      fromNodeId,
      port,
      detail === null || detail === undefined ? null : JSON.stringify(detail),
    );
  }
}
