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
import { type InstanceRow, isoDate, STEP_LOG_COLUMNS, STEP_ROWS_PER_INSERT, type Statements } from './statements.ts';

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

/** Snapshots kept for instances that are likely to step again soon (a few MB). */
const RECENT_SNAPSHOTS = 4096;

/** What a step was caused by, for the step log. */
export interface StepCause {
  kind: 'enter' | 'event' | 'timer' | 'effect' | 'error' | 'migrate' | 'retry' | 'exit';
  port?: string;
  detail?: unknown;
  /**
   * The node the customer is put at (migration to another version, an operator's retry). The step
   * log gets one row of `kind` naming that node, and no `move` row for the jump: it is not an edge
   * the customer took, and counting it as one doubled node counts and skewed edge shares.
   */
  placedAt?: string;
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
  /** Set while the engine re-runs a batch whose writes failed: one savepoint per step. */
  careful = false;

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
          left: record('left'),
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

  /**
   * Set by the engine: the version if its journey may run now, else undefined (the journey is held,
   * see isolation.ts). Without it every version is compiled and a failure throws.
   */
  guard?: (journeyId: string, versionId: string) => CompiledJourney | undefined;

  /** The version an instance runs on, or undefined when its journey is held. */
  usable(row: Pick<InstanceRow, 'journeyId' | 'versionId'>): CompiledJourney | undefined {
    return this.guard ? this.guard(row.journeyId, row.versionId) : this.compiled(row.versionId);
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
      displayName: row.displayName ?? undefined,
      ownerUserId: row.ownerUserId ?? undefined,
      // Refreshed by the engine (rfm-refresh.ts); no orders reads as the "noOrders" segment.
      rfm: row.rfm ? (JSON.parse(row.rfm) as RfmScore) : NO_ORDERS_RFM,
      erased: row.erasedAt !== null,
    };
  }

  /**
   * The customer as a step sees it, read from the database only when a node's logic looks at it
   * (a branch on tags does; a wait or an effect's result usually does not). Read at most once.
   */
  lazyCustomer(customerId: string): CustomerView {
    // No named helper closure here: under tsx every named function created per call is also
    // given its name with Object.defineProperty, a measurable cost at thousands of steps a second.
    let view: CustomerView | undefined;
    const stepper = this;
    return {
      id: customerId,
      get tags() {
        view ??= stepper.loadCustomer(customerId);
        return view.tags;
      },
      get attributes() {
        view ??= stepper.loadCustomer(customerId);
        return view.attributes;
      },
      get identities() {
        view ??= stepper.loadCustomer(customerId);
        return view.identities;
      },
      get channel() {
        view ??= stepper.loadCustomer(customerId);
        return view.channel;
      },
      get displayName() {
        view ??= stepper.loadCustomer(customerId);
        return view.displayName;
      },
      get ownerUserId() {
        view ??= stepper.loadCustomer(customerId);
        return view.ownerUserId;
      },
      get rfm() {
        view ??= stepper.loadCustomer(customerId);
        return view.rfm;
      },
    };
  }

  private loadCustomer(customerId: string): CustomerView {
    const view = this.customerView(customerId);
    if (!view) throw new Error(`customer ${customerId} does not exist`);
    return view;
  }

  /**
   * The snapshots of recently stepped instances, by id. An instance usually steps again soon (an
   * effect's result follows its step within the same tick), and then the stored JSON need not be
   * parsed and resolved again. An entry counts only while the row still holds exactly the JSON it
   * was stored as, so a rolled-back batch or a change by anyone else simply misses.
   */
  private readonly recent = new Map<number, { stored: string; snapshot: AnyMachineSnapshot }>();

  private restoreRow(compiled: CompiledJourney, row: InstanceRow): AnyMachineSnapshot {
    const hit = this.recent.get(row.id);
    if (hit && hit.stored === row.snapshot && hit.snapshot.machine === compiled.machine) return hit.snapshot;
    return this.restore(compiled, row.snapshot);
  }

  private remember(id: number, stored: string, snapshot: AnyMachineSnapshot): void {
    this.recent.delete(id);
    if (snapshot.status !== 'active') return;
    this.recent.set(id, { stored, snapshot });
    if (this.recent.size > RECENT_SNAPSHOTS) this.recent.delete(this.recent.keys().next().value as number);
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
    const at = isoDate(now);
    const initial = compiled.machine.resolveState({ value: 'idle', context: { v: {}, at: now } });
    const stored = JSON.stringify({ s: 'idle', c: initial.context });
    const row: InstanceRow = {
      id: 0,
      journeyId,
      versionId: compiled.versionId,
      customerId: customer.id,
      status: 'active',
      holdout: holdout ? 1 : 0,
      snapshot: stored,
      nodeId: null,
      waitingFor: null,
      enteredAt: at,
    };
    if (holdout) {
      const info = this.st.insertInstance.run(
        journeyId,
        compiled.versionId,
        customer.id,
        'completed',
        1,
        stored,
        event.entryNodeId,
        null,
        null,
        null,
        at,
        at,
        null,
      );
      row.id = Number(info.lastInsertRowid);
      // Held-out customers are counted as entering and then receive nothing.
      this.log(row, now, 'enter', event.entryNodeId, null, null, { holdout: true, event: event.event?.id });
      return row.id;
    }
    // The entry step is planned before the row exists, so the row is inserted once, already in
    // the state the step leads to (no insert-then-update); only the step's other rows need the id.
    const cause: StepCause = { kind: 'enter', detail: event.event ? { event: event.event.id } : undefined };
    const plan = this.plan(row, event, cause, initial);
    const ended = plan !== undefined && plan.status !== 'active';
    const info = this.st.insertInstance.run(
      journeyId,
      compiled.versionId,
      customer.id,
      plan?.status ?? 'active',
      0,
      plan?.stored ?? stored,
      plan ? plan.nodeId : null,
      plan ? plan.waitingFor : null,
      plan ? plan.exitReason : null,
      plan?.goal ? at : null,
      at,
      at,
      ended ? at : null,
    );
    row.id = Number(info.lastInsertRowid);
    if (plan) this.write(row, plan, now, true);
    return row.id;
  }

  /**
   * A step that cannot poison a batch: if computing it throws (a version that no longer compiles,
   * a node that throws in `decide`), nothing of it is written, the instance is marked failed with
   * the reason, and the batch goes on. Everything a step writes is computed first (`plan`), so the
   * common case needs no savepoint per step; a step whose writes fail throws StepWriteError, and the
   * engine re-runs that batch in careful mode, where each step gets its own savepoint.
   */
  stepSafely(row: InstanceRow, event: RunEvent, cause: StepCause): boolean {
    if (this.careful) {
      const mark = this.logMark();
      try {
        return this.savepoint(() => this.step(row, event, cause))();
      } catch (error) {
        this.truncateLog(mark);
        if (!(error instanceof JourneyHeld)) this.fail(row, event.now, cause, error);
        return false;
      }
    }
    let plan: StepPlan | undefined;
    try {
      plan = this.plan(row, event, cause);
    } catch (error) {
      // A held journey's customers wait where they are (not failed): it runs again once fixed.
      if (!(error instanceof JourneyHeld)) this.fail(row, event.now, cause, error);
      return false;
    }
    if (!plan) return false;
    try {
      this.write(row, plan, event.now);
    } catch (error) {
      throw new StepWriteError(row.id, error);
    }
    return true;
  }

  private fail(row: InstanceRow, now: number, cause: StepCause, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.log(row, now, 'error', row.nodeId, null, null, { error: message, cause: cause.kind });
    const at = isoDate(now);
    this.st.updateInstance.run(
      row.snapshot,
      row.nodeId,
      null,
      'failed',
      `error: ${message}`.slice(0, 500),
      null,
      at,
      at,
      row.id,
    );
    this.st.deleteTimersOf.run(row.id);
    row.status = 'failed';
    this.onError(row.id, message);
  }

  /**
   * One step of one instance. Returns false (and writes nothing) when the event changes nothing,
   * e.g. a stale timer or an event the instance does not wait for.
   */
  step(row: InstanceRow, event: RunEvent, cause: StepCause): boolean {
    const plan = this.plan(row, event, cause);
    if (!plan) return false;
    this.write(row, plan, event.now);
    return true;
  }

  /** Computes a step without writing anything: XState's pure transition, read into rows to write. */
  private plan(
    row: InstanceRow,
    event: RunEvent,
    cause: StepCause,
    restored?: AnyMachineSnapshot,
  ): StepPlan | undefined {
    if (row.status !== 'active') return undefined;
    // Moving customers to another version is how an operator fixes a paused journey: it may run
    // while the journey is held (what it schedules is held again at the next touch).
    const compiled = cause.kind === 'migrate' ? this.compiled(row.versionId) : this.usable(row);
    let placing = cause.placedAt;
    if (!compiled) throw new JourneyHeld(row.journeyId);
    const before = restored ?? this.restoreRow(compiled, row);
    const [after, actions] = this.transitionOf(compiled, before, event);
    this.steps++;
    const stored = JSON.stringify({ s: after.value, c: after.context });
    if (stored === row.snapshot && actions.length === 0) return undefined;

    const ctxBefore = before.context as RunContext;
    const ctx = after.context as RunContext;
    const logs: LogRow[] = [];
    if (cause.kind === 'enter') logs.push(['enter', null, null, null, cause.detail]);
    else logs.push([cause.kind, placing ?? row.nodeId, null, cause.port ?? null, cause.detail]);

    const effects: StepPlan['effects'] = [];
    const timers: StepPlan['timers'] = [];
    let nodeId = row.nodeId;
    let port: string | null = null;
    let exitReason: string | null = null;
    let goal = false;
    for (const action of actions as unknown as EngineAction[]) {
      switch (action.type) {
        case 'left':
          port = action.params.port;
          break;
        case 'entered':
          if (placing === action.params.nodeId) placing = undefined;
          else logs.push(['move', action.params.nodeId, nodeId, port, null]);
          nodeId = action.params.nodeId;
          port = null;
          break;
        case 'effect':
          effects.push([
            action.params.nodeId,
            compiled.nodes.get(action.params.nodeId)?.node.type ?? 'unknown',
            action.params.key,
          ]);
          break;
        case 'timer':
          if (action.params) timers.push([action.params.at, action.params.key]);
          break;
        case 'goal':
          goal = true;
          logs.push(['goal', nodeId, null, null, null]);
          break;
        case 'exited':
          exitReason = action.params.reason;
          break;
      }
    }
    // A wait that ended early leaves its timeout behind; drop it so the scheduler never reads it.
    // (Not when that timer is what fired: the scheduler deleted it before this step.)
    const dropTimer =
      ctxBefore.aw &&
      ctxBefore.aw.k !== ctx.aw?.k &&
      ctxBefore.aw.tp !== undefined &&
      !(event.type === 'timer.fired' && event.key === ctxBefore.aw.k)
        ? ctxBefore.aw.k
        : undefined;

    let status = 'active';
    if (after.status === 'done') {
      const value = after.value;
      if (value === 'exited') status = 'exited';
      else if (value === 'completed') status = 'completed';
      else status = (nodeId && compiled.nodes.get(nodeId)?.definition.ends) || 'completed';
      if (status === 'exited') {
        const ending = nodeId ? compiled.nodes.get(nodeId) : undefined;
        exitReason = exitReason ?? ctx.x ?? ending?.definition.endReason?.(ending.config) ?? `node:${nodeId}`;
      }
      logs.push([
        status === 'exited' ? 'exit' : 'complete',
        nodeId,
        null,
        null,
        exitReason ? { reason: exitReason } : null,
      ]);
    }
    const waitingFor = ctx.aw && ctx.aw.e.length > 0 ? ctx.aw.e.map((e) => e.t).join(',') : null;
    return { stored, after, logs, effects, timers, dropTimer, nodeId, waitingFor, status, exitReason, goal };
  }

  /**
   * Writes a planned step: instance row, outbox rows, timers and step log. `inserted`: the row was
   * just inserted in the planned state (a new instance), so it needs no update and has no timers.
   */
  private write(row: InstanceRow, plan: StepPlan, now: number, inserted = false): void {
    const at = isoDate(now);
    for (const [kind, nodeId, fromNodeId, port, detail] of plan.logs)
      this.log(row, now, kind, nodeId, fromNodeId, port, detail);
    for (const [nodeId, nodeType, key] of plan.effects)
      this.st.insertOutbox.run(row.id, nodeId, nodeType, `${row.id}:${key}`, '{}', now, at);
    for (const [dueAt, key] of plan.timers) this.st.insertTimer.run(row.id, dueAt, key, at);
    if (plan.dropTimer && !inserted) this.st.deleteTimer.run(row.id, plan.dropTimer);
    const ended = plan.status !== 'active';
    if (ended && !inserted) this.st.deleteTimersOf.run(row.id);
    if (inserted) {
      // Nothing to update.
    } else if (!ended && !plan.goal) {
      // Most steps move an active instance from node to node: status, goal and end stay as they
      // are, and leaving them out of the SET spares SQLite the (versionId, status) index update.
      this.st.moveInstance.run(plan.stored, plan.nodeId, plan.waitingFor, at, row.id);
    } else {
      this.st.updateInstance.run(
        plan.stored,
        plan.nodeId,
        plan.waitingFor,
        plan.status,
        plan.exitReason,
        plan.goal ? at : null,
        at,
        ended ? at : null,
        row.id,
      );
    }
    if (!this.actorPerEvent) this.remember(row.id, plan.stored, plan.after);
    row.snapshot = plan.stored;
    row.nodeId = plan.nodeId;
    row.status = plan.status;
    row.waitingFor = plan.waitingFor;
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
    const json = detail === null || detail === undefined ? null : JSON.stringify(detail);
    if (this.pendingLog) {
      this.pendingLog.push(row.id, row.journeyId, row.versionId, at, kind, nodeId, fromNodeId, port, json);
      return;
    }
    this.st.insertStep.run(row.id, row.journeyId, row.versionId, at, kind, nodeId, fromNodeId, port, json);
  }

  /**
   * Step-log rows of the open batch transaction, written together (multi-row INSERTs) by
   * `flushLog` before it commits. Undefined outside a batch: rows are then written at once.
   */
  private pendingLog: unknown[] | undefined;

  /** Starts collecting step-log rows; false if a batch is already collecting (a nested one). */
  beginLog(): boolean {
    if (this.pendingLog) return false;
    this.pendingLog = [];
    return true;
  }

  /** Writes the collected rows (inside the batch transaction) and stops collecting. */
  flushLog(): void {
    const values = this.pendingLog;
    if (!values) return;
    const width = STEP_LOG_COLUMNS * STEP_ROWS_PER_INSERT;
    let i = 0;
    for (; i + width <= values.length; i += width) this.st.insertSteps.run(...values.slice(i, i + width));
    for (; i < values.length; i += STEP_LOG_COLUMNS) this.st.insertStep.run(...values.slice(i, i + STEP_LOG_COLUMNS));
    this.pendingLog = undefined;
  }

  /** Stops collecting without writing (the batch rolled back). */
  dropLog(): void {
    this.pendingLog = undefined;
  }

  /** Position in the collected rows, to undo a nested part that rolled back. */
  logMark(): number {
    return this.pendingLog?.length ?? 0;
  }

  truncateLog(mark: number): void {
    if (this.pendingLog) this.pendingLog.length = mark;
  }
}

/** The instance's journey is held (isolation.ts): the step is not taken and nothing is written. */
export class JourneyHeld extends Error {
  constructor(readonly journeyId: string) {
    super(`journey ${journeyId} is paused until it can run again`);
    this.name = 'JourneyHeld';
  }
}

/** A step's writes failed (not its computation): the batch is rolled back and re-run carefully. */
export class StepWriteError extends Error {
  constructor(
    readonly instanceId: number,
    cause: unknown,
  ) {
    super(
      `instance ${instanceId}: step could not be written: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
    this.name = 'StepWriteError';
  }
}

type LogRow = [kind: string, nodeId: string | null, fromNodeId: string | null, port: string | null, detail: unknown];

/** Everything one step writes, computed before anything is written. */
interface StepPlan {
  stored: string;
  after: AnyMachineSnapshot;
  logs: LogRow[];
  /** [nodeId, nodeType, key within the instance (node:visit)] per outbox row. */
  effects: Array<[string, string, string]>;
  /** [dueAt, key] per durable timer. */
  timers: Array<[number, string]>;
  /** Key of a wait's timeout that is no longer needed. */
  dropTimer: string | undefined;
  nodeId: string | null;
  waitingFor: string | null;
  status: string;
  exitReason: string | null;
  goal: boolean;
}
