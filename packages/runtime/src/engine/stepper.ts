import { type JourneyGraph, type NodeRegistry, parseJourneyGraph } from '@siyu/shared';
import type { AnyMachineSnapshot } from 'xstate';
import { isoDate } from '../db/iso-date.ts';
import { type CompiledJourney, MachineCache, type RunEvent } from './compiler.ts';
import { CustomerViews } from './customer-views.ts';
import { fuseCustomerUpdates } from './step-fusion.ts';
import { planStep, type StepCause, type StepPlan } from './step-plan.ts';
import type { EngineStore, InstanceRow } from './store/port.ts';
import { pureTransition, RecentSnapshots, type TransitionFn } from './transitions.ts';

export type { StepCause } from './step-plan.ts';

/**
 * Steps instances: restores the stored snapshot, runs the transition (transitions.ts), plans the
 * step's writes (step-plan.ts, pure) and hands them to the store (store/port.ts). Callers wrap
 * calls in one store batch, so a crash leaves either all of a step or none of it.
 */
export class Stepper {
  readonly machines: MachineCache;
  readonly customers: CustomerViews;
  /** Transitions computed since start (for the benchmark). */
  steps = 0;
  /**
   * Nodes customers entered since start (customer × node passed): the figure an operator knows,
   * beside transitions, which count a chain of pass-through nodes as one step.
   */
  nodeVisits = 0;
  /** Set while the engine re-runs a batch whose writes failed: one savepoint per step. */
  careful = false;
  private readonly recent = new RecentSnapshots();

  constructor(
    private readonly store: EngineStore,
    registry: NodeRegistry,
    private readonly onError: (instanceId: number, message: string) => void = () => {},
    private readonly transition: TransitionFn = pureTransition,
  ) {
    this.machines = new MachineCache(registry);
    this.customers = new CustomerViews((id) => store.customer(id));
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
      const graph = this.store.versionGraph(versionId);
      if (graph === undefined) throw new Error(`journey version ${versionId} does not exist`);
      return parseJourneyGraph(JSON.parse(graph)) as JourneyGraph;
    });
  }

  customerView(customerId: string) {
    return this.customers.view(customerId);
  }

  lazyCustomer(customerId: string) {
    return this.customers.lazy(customerId);
  }

  /** Creates an instance row and steps it into its entry node. Returns the instance id. */
  createInstance(
    compiled: CompiledJourney,
    journeyId: string,
    customer: { id: string },
    event: RunEvent & { type: 'enroll' },
    holdout: boolean,
  ): number {
    const now = event.now;
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
      enteredAt: isoDate(now),
    };
    const base = { journeyId, versionId: compiled.versionId, customerId: customer.id, at: now };
    if (holdout) {
      row.id = this.store.insertInstance({
        ...base,
        status: 'completed',
        holdout: true,
        snapshot: stored,
        nodeId: event.entryNodeId,
        waitingFor: null,
        exitReason: null,
        goal: false,
        ended: false,
      });
      // Held-out customers are counted as entering and then receive nothing.
      this.log(row, now, 'enter', event.entryNodeId, { holdout: true, event: event.event?.id });
      return row.id;
    }
    // The entry step is planned before the row exists, so the row is inserted once, already in
    // the state the step leads to (no insert-then-update); only the step's other rows need the id.
    const cause: StepCause = { kind: 'enter', detail: event.event ? { event: event.event.id } : undefined };
    let plan: StepPlan | undefined;
    try {
      plan = this.plan(row, event, cause, initial);
    } catch (error) {
      if (error instanceof JourneyHeld) throw error;
      // A first step that cannot be computed (a node's decide or customer update throws) fails this
      // customer's run alone, as stepSafely does for later steps, instead of the whole enrolment batch.
      row.id = this.store.insertInstance({
        ...base,
        status: 'active',
        holdout: false,
        snapshot: stored,
        nodeId: null,
        waitingFor: null,
        exitReason: null,
        goal: false,
        ended: false,
      });
      this.fail(row, now, cause, error);
      return row.id;
    }
    row.id = this.store.insertInstance({
      ...base,
      status: plan?.status ?? 'active',
      holdout: false,
      snapshot: plan?.stored ?? stored,
      nodeId: plan ? plan.nodeId : null,
      waitingFor: plan ? plan.waitingFor : null,
      exitReason: plan ? plan.exitReason : null,
      goal: plan?.goal ?? false,
      ended: plan !== undefined && plan.status !== 'active',
    });
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
      try {
        return this.store.savepoint(() => this.step(row, event, cause));
      } catch (error) {
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
    this.log(row, now, 'error', row.nodeId, { error: message, cause: cause.kind });
    this.store.failInstance(row, `error: ${message}`.slice(0, 500), now);
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

  /** Computes a step without writing anything: the transition, read into rows to write. */
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
    if (!compiled) throw new JourneyHeld(row.journeyId);
    const before = restored ?? this.recent.restore(compiled, row);
    const [after, actions] = this.transition(compiled, before, event);
    this.steps++;
    let plan = planStep(compiled, row, event, cause, before, after, actions);
    // Tag and attribute nodes take no round trip through the outbox (step-fusion.ts).
    if (plan) plan = fuseCustomerUpdates(compiled, row, event, plan, this.transition, () => this.steps++);
    if (plan) this.nodeVisits += plan.nodesEntered;
    return plan;
  }

  /** Hands a planned step to the store and keeps the in-memory row current. */
  private write(row: InstanceRow, plan: StepPlan, now: number, inserted = false): void {
    for (const fused of plan.customerUpdates ?? []) {
      fused.detail.key = `${row.id}:${fused.key}`;
      this.store.updateCustomer(row.customerId, fused.update, `journey:${row.journeyId}`, now);
    }
    this.store.writeStep(row, plan, now, inserted);
    this.recent.remember(row.id, plan.stored, plan.after);
    row.snapshot = plan.stored;
    row.nodeId = plan.nodeId;
    row.status = plan.status;
    row.waitingFor = plan.waitingFor;
  }

  private log(row: InstanceRow, at: number, kind: string, nodeId: string | null, detail: unknown): void {
    this.store.appendStepLog(row, at, kind, nodeId, null, null, JSON.stringify(detail));
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
      { cause },
    );
    this.name = 'StepWriteError';
  }
}
