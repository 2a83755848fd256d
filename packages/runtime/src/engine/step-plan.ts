// The planner: turns one transition (the snapshot before and after, and the actions XState
// recorded) into the rows that step writes. Pure: it reads nothing and writes nothing, so a step
// is computed completely before any of it is stored (store/port.ts writes it).
import type { CustomerUpdate } from '@siyu/shared';
import type { AnyMachineSnapshot } from 'xstate';
import type { CompiledJourney, EngineAction, RunContext, RunEvent } from './compiler.ts';
import type { InstanceRow } from './store/port.ts';

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

export type LogRow = [
  kind: string,
  nodeId: string | null,
  fromNodeId: string | null,
  port: string | null,
  detail: unknown,
];

/** Everything one step writes, computed before anything is written. */
export interface StepPlan {
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
  /** Nodes the customer entered in this step (a pass-through chain enters several in one). */
  nodesEntered: number;
  /** Customer updates made in this step, in order (step-fusion.ts); written with it. */
  customerUpdates?: FusedUpdate[];
}

/** A node's customer update made inside the step instead of through the outbox (step-fusion.ts). */
export interface FusedUpdate {
  update: CustomerUpdate;
  /** The effect's key within the instance (node:visit), as an outbox row's would be. */
  key: string;
  /**
   * The step log's record of the result, as the dispatcher writes it; its `key` is completed with
   * the instance id when the step is written (an entry step is planned before its row exists).
   */
  detail: { key: string; status: 'done'; data?: Record<string, unknown>; result: string };
}

/** The compact stored form of a snapshot: state value and context only. */
export function storedSnapshot(snapshot: AnyMachineSnapshot): string {
  return JSON.stringify({ s: snapshot.value, c: snapshot.context });
}

/**
 * Plans one step from its transition. Returns undefined when the transition changed nothing
 * (a stale timer, an event the instance does not wait for): nothing is written then.
 */
export function planStep(
  compiled: CompiledJourney,
  row: InstanceRow,
  event: RunEvent,
  cause: StepCause,
  before: AnyMachineSnapshot,
  after: AnyMachineSnapshot,
  actions: readonly unknown[],
): StepPlan | undefined {
  const stored = storedSnapshot(after);
  if (stored === row.snapshot && actions.length === 0) return undefined;

  const ctxBefore = before.context as RunContext;
  const ctx = after.context as RunContext;
  let placing = cause.placedAt;
  const logs: LogRow[] = [];
  if (cause.kind === 'enter') logs.push(['enter', null, null, null, cause.detail]);
  else logs.push([cause.kind, placing ?? row.nodeId, null, cause.port ?? null, cause.detail]);

  const effects: StepPlan['effects'] = [];
  const timers: StepPlan['timers'] = [];
  let nodeId = row.nodeId;
  let port: string | null = null;
  let exitReason: string | null = null;
  let goal = false;
  let nodesEntered = 0;
  for (const action of actions as EngineAction[]) {
    switch (action.type) {
      case 'left':
        port = action.params.port;
        break;
      case 'entered':
        nodesEntered++;
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
  const dropTimer = staleWaitTimer(ctxBefore, ctx, event);

  let status = 'active';
  if (after.status === 'done') {
    status = endStatus(compiled, after.value, nodeId);
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
  return {
    stored,
    after,
    logs,
    effects,
    timers,
    dropTimer,
    nodeId,
    waitingFor,
    status,
    exitReason,
    goal,
    nodesEntered,
  };
}

/**
 * A wait that ended early leaves its timeout behind; its key is returned so the writer drops it
 * and the scheduler never reads it. (Not when that timer is what fired: the scheduler deleted it
 * before this step.)
 */
function staleWaitTimer(before: RunContext, after: RunContext, event: RunEvent): string | undefined {
  const wait = before.aw;
  if (!wait || wait.k === after.aw?.k || wait.tp === undefined) return undefined;
  if (event.type === 'timer.fired' && event.key === wait.k) return undefined;
  return wait.k;
}

/** How a finished run ended: its final state, else what its last node's definition says. */
function endStatus(compiled: CompiledJourney, value: unknown, nodeId: string | null): string {
  if (value === 'exited') return 'exited';
  if (value === 'completed') return 'completed';
  return (nodeId && compiled.nodes.get(nodeId)?.definition.ends) || 'completed';
}
