import {
  type AnyNodeDefinition,
  type AwaitSpec,
  evaluateFilter,
  type Filter,
  hashToUnit,
  type JourneyGraph,
  type JourneyNode,
  migrateNodeConfig,
  type NodeContext,
  type NodeRegistry,
  outputsOf,
} from '@siyu/shared';
import { type AnyStateMachine, assign, setup } from 'xstate';
import { type JourneyRules, journeyRules } from './journey-rules.ts';
import { filterContext, type RunContext, type RunEvent } from './run-context.ts';

// Re-exported: the rest of the engine reads the run types from the compiler, as before.
export { filterContext, type RunContext, type RunEvent };

/**
 * Compiles a published journey graph into ONE XState machine. Every node becomes a state built
 * from the optional parts of its definition (decide → effect → await → leave by a port); there is
 * no switch over node types. The machine never executes anything itself: it asks for effects and
 * durable timers through named actions that the engine reads from XState's pure `transition`.
 */

/** Requests the engine reads from a transition's actions. */
export type EngineAction =
  | { type: 'entered'; params: { nodeId: string; visit: number } }
  /** Emitted on the transition out of a node, just before the next node's `entered`: the port taken. */
  | { type: 'left'; params: { nodeId: string; port: string } }
  | { type: 'effect'; params: { nodeId: string; key: string } }
  | { type: 'timer'; params: { key: string; at: number } }
  | { type: 'goal'; params: Record<string, never> }
  | { type: 'exited'; params: { reason: string } };

export interface CompiledNode {
  node: JourneyNode;
  definition: AnyNodeDefinition;
  config: unknown;
  ports: string[];
  /** Ports that have an edge: a failure port without one means "exit with a reason". */
  connected: Set<string>;
}

export interface CompiledJourney {
  versionId: string;
  machine: AnyStateMachine;
  graph: JourneyGraph;
  nodes: Map<string, CompiledNode>;
  entryNodeIds: string[];
  /**
   * Event-triggered entry nodes by event type, in graph order: an event looks up its own type
   * instead of asking every entry node of every live journey for its trigger.
   */
  eventEntries: ReadonlyMap<string, ReadonlyArray<{ nodeId: string; filter?: Filter }>>;
}

/** Why a version does not compile, for the reason a quarantined journey shows. */
export type CompileProblem = 'unknownType' | 'migration' | 'invalidConfig' | 'graph';

export class CompileError extends Error {
  constructor(
    message: string,
    readonly nodeId?: string,
    readonly problem: CompileProblem = 'graph',
  ) {
    super(nodeId ? `node ${nodeId}: ${message}` : message);
    this.name = 'CompileError';
  }
}

/** State ids: `n_<nodeId>` (node ids are plain `[A-Za-z0-9_-]`). */
export const stateOf = (nodeId: string) => `n_${nodeId}`;
export const visitKey = (nodeId: string, visit: number) => `${nodeId}:${visit}`;

/**
 * The parts of an effect's idempotency key, `<instance>:<node>:<visit>` (node ids hold no `:`);
 * undefined for a key the engine did not make (an API caller's, a node package's own).
 */
export function parseEffectKey(key: string): { instanceId: number; nodeId: string; visit: number } | undefined {
  // A prefix: whatever a caller appended after the visit does not change whose step it is.
  const match = /^(\d+):([^:]+):(\d+)/.exec(key);
  if (!match) return undefined;
  return { instanceId: Number(match[1]), nodeId: match[2] as string, visit: Number(match[3]) };
}

function nodeContext(nodeId: string, context: RunContext, event: RunEvent): NodeContext {
  const visit = context.v[nodeId] ?? 1;
  return {
    // Getters: the engine loads the customer only when a node reads it (a wait reads only `now`).
    get customer() {
      return event.customer;
    },
    now: new Date(event.now),
    get random() {
      return hashToUnit(`${event.customer.id}:${nodeId}`);
    },
    event: event.type === 'ext' || event.type === 'enroll' ? event.event : undefined,
    visitKey: visitKey(nodeId, visit),
    effectResult: context.er,
  };
}

/** Which port an external event opens for the current wait, if any. */
function awaitedPort(context: RunContext, event: RunEvent): string | undefined {
  if (event.type !== 'ext' || !context.aw) return undefined;
  for (const spec of context.aw.e) {
    if (spec.t !== event.event.type) continue;
    if (!spec.f || evaluateFilter(spec.f, filterContext(event.customer, event.event))) return spec.p;
  }
  return undefined;
}

export function compileJourney(versionId: string, published: JourneyGraph, registry: NodeRegistry): CompiledJourney {
  const nodes = new Map<string, CompiledNode>();
  const migratedNodes: JourneyNode[] = [];
  for (const stored of published.nodes) {
    const definition = registry.get(stored.type);
    if (!definition) throw new CompileError(`unknown node type "${stored.type}"`, stored.id, 'unknownType');
    // A version stays pinned to the graph it was published with, but its node types move on:
    // configs written at an older type version are upgraded here, every time a version loads.
    let node: JourneyNode;
    try {
      node = migrateNodeConfig(definition, stored);
    } catch (error) {
      throw new CompileError(
        `cannot migrate config: ${error instanceof Error ? error.message : String(error)}`,
        stored.id,
        'migration',
      );
    }
    migratedNodes.push(node);
    const parsed = definition.config.safeParse(node.config);
    if (!parsed.success) throw new CompileError(`invalid config: ${parsed.error.message}`, node.id, 'invalidConfig');
    const ports = outputsOf(definition, parsed.data).map((p) => p.id);
    nodes.set(node.id, { node, definition, config: parsed.data, ports, connected: new Set() });
  }
  // The rest of the engine (settings, node titles, executors) reads the upgraded graph.
  const graph: JourneyGraph = { ...published, nodes: migratedNodes };
  const targets = new Map<string, string>(); // `${source}\u0000${port}` → target node id
  for (const edge of graph.edges) {
    if (!nodes.has(edge.source) || !nodes.has(edge.target)) {
      throw new CompileError(`edge ${edge.id} connects a node that does not exist`);
    }
    targets.set(`${edge.source}\u0000${edge.sourcePort}`, edge.target);
    nodes.get(edge.source)?.connected.add(edge.sourcePort);
  }
  const targetOf = (nodeId: string, port: string) => {
    const target = targets.get(`${nodeId}\u0000${port}`);
    // An unconnected optional port ends the run as completed.
    return target ? `#${stateOf(target)}` : '#completed';
  };

  const entryNodeIds = graph.nodes.filter((n) => nodes.get(n.id)?.definition.entry).map((n) => n.id);
  const eventEntries = new Map<string, Array<{ nodeId: string; filter?: Filter }>>();
  for (const nodeId of entryNodeIds) {
    const entry = nodes.get(nodeId);
    const trigger = entry?.definition.entry?.trigger(entry.config);
    if (trigger?.kind !== 'event') continue;
    const list = eventEntries.get(trigger.event) ?? [];
    list.push({ nodeId, filter: trigger.filter });
    eventEntries.set(trigger.event, list);
  }
  const rules = journeyRules(graph.settings);
  // biome-ignore lint/suspicious/noExplicitAny: transitions are built generically from settings.
  const topLevelExt: any[] = [...rules.exitTransitions];
  if (rules.goalTransition) topLevelExt.push(rules.goalTransition);
  const states: Record<string, unknown> = {};
  for (const compiled of nodes.values()) states[stateOf(compiled.node.id)] = nodeState(compiled, targetOf, rules);

  const machine = setup({
    types: {} as { context: RunContext; events: RunEvent },
    actions: {
      entered: () => {},
      left: () => {},
      effect: () => {},
      timer: () => {},
      goal: () => {},
      exited: () => {},
    },
    // biome-ignore lint/suspicious/noExplicitAny: state configs are built generically from node definitions.
  }).createMachine(<any>{
    id: `journey-${versionId}`,
    context: { v: {}, at: 0 },
    initial: 'idle',
    on: {
      ext: topLevelExt,
      exit: {
        target: '#exited',
        actions: [
          assign({ x: ({ event }: { event: RunEvent }) => (event.type === 'exit' ? event.reason : undefined) }),
          {
            type: 'exited',
            params: ({ event }: { event: RunEvent }) => ({ reason: event.type === 'exit' ? event.reason : 'exit' }),
          },
        ],
      },
      goto: [...nodes.keys()].map((nodeId) => ({
        guard: ({ event }: { event: RunEvent }) => event.type === 'goto' && event.nodeId === nodeId,
        target: `#${stateOf(nodeId)}`,
      })),
    },
    states: {
      idle: {
        on: {
          enroll: entryNodeIds.map((nodeId) => ({
            guard: ({ event }: { event: RunEvent }) => event.type === 'enroll' && event.entryNodeId === nodeId,
            target: `#${stateOf(nodeId)}`,
            actions: assign({ at: ({ event }: { event: RunEvent }) => event.now }),
          })),
        },
      },
      ...states,
      completed: { id: 'completed', type: 'final' },
      exited: { id: 'exited', type: 'final' },
    },
  });
  return { versionId, machine, graph, nodes, entryNodeIds, eventEntries };
}

type TargetOf = (nodeId: string, port: string) => string;

/** One node's state, composed from whichever parts its definition has. */
function nodeState(compiled: CompiledNode, targetOf: TargetOf, rules: JourneyRules): unknown {
  const { node, definition, config, ports } = compiled;
  const id = node.id;
  const enter = [
    assign({
      v: ({ context }: { context: RunContext }) => ({ ...context.v, [id]: (context.v[id] ?? 0) + 1 }),
      p: undefined,
      er: undefined,
      aw: undefined,
    }),
    { type: 'entered', params: ({ context }: { context: RunContext }) => ({ nodeId: id, visit: context.v[id] }) },
  ];
  if (definition.reachesGoal) enter.push(rules.recordGoalOnce as never);
  if (ports.length === 0) return { id: stateOf(id), type: 'final', entry: enter };

  const key = (context: RunContext) => visitKey(id, context.v[id] ?? 1);
  /**
   * Leaves the node by whichever port `portOf` names: one guarded transition per port, straight
   * to its target (no extra microstep), then the first port for anything unexpected.
   */
  type Guard = (args: { context: RunContext; event: RunEvent }) => boolean;
  const first = ports[0] as string;
  // The step log records the port of every move (per-edge counts, A/B reports).
  const left = (port: string) => ({ type: 'left', params: { nodeId: id, port } });
  const leave = (
    portOf: (context: RunContext, event: RunEvent) => string | undefined,
    also?: Guard,
    before: unknown[] = [],
  ) => [
    ...ports.map((port) => ({
      guard: (args: { context: RunContext; event: RunEvent }) =>
        (!also || also(args)) && portOf(args.context, args.event) === port,
      target: targetOf(id, port),
      actions: [...before, left(port)],
    })),
    also
      ? { guard: also, target: targetOf(id, first), actions: [...before, left(first)] }
      : { target: targetOf(id, first), actions: [...before, left(first)] },
  ];
  const hasEffect = definition.effect !== undefined;
  const awaitOf = definition.await;
  const substates: Record<string, unknown> = {};
  const decide = definition.decide;
  const decided = (context: RunContext, event: RunEvent) =>
    decide ? decide(config, nodeContext(id, context, event)) : undefined;

  if (decide && (hasEffect || awaitOf)) {
    // The decided port is kept for after the effect / wait.
    substates.deciding = {
      always: {
        target: hasEffect ? 'acting' : 'awaiting',
        actions: assign({
          p: ({ context, event }: { context: RunContext; event: RunEvent }) => decided(context, event),
        }),
      },
    };
  }
  if (hasEffect) {
    const isMine = ({ context, event }: { context: RunContext; event: RunEvent }) =>
      event.type === 'effect.result' && event.key === key(context);
    const resultPort = (_: RunContext, event: RunEvent) => (event.type === 'effect.result' ? event.port : undefined);
    substates.acting = {
      entry: { type: 'effect', params: ({ context }: { context: RunContext }) => ({ nodeId: id, key: key(context) }) },
      on: {
        'effect.result': awaitOf
          ? {
              guard: isMine,
              target: 'awaiting',
              actions: assign(({ event }: { event: RunEvent }) =>
                event.type === 'effect.result' ? { p: event.port, er: { port: event.port, data: event.data } } : {},
              ),
            }
          : leave(resultPort, isMine),
      },
    };
  }
  if (awaitOf) {
    substates.awaiting = {
      entry: [
        assign({
          aw: ({ context, event }: { context: RunContext; event: RunEvent }) =>
            compactAwait(awaitOf(config, nodeContext(id, context, event)), key(context)),
        }),
        {
          type: 'timer',
          params: ({ context, event }: { context: RunContext; event: RunEvent }) => {
            // Recomputed only to read the instant; `aw` keeps what guards need.
            const spec = awaitOf(config, nodeContext(id, context, event));
            return spec.timeout ? { key: key(context), at: spec.timeout.at.getTime() } : undefined;
          },
        },
      ],
      on: {
        // Exit conditions first, and the goal is recorded even when this wait consumes the event.
        ext: [
          ...rules.exitTransitions,
          ...leave(
            awaitedPort,
            ({ context, event }) => awaitedPort(context, event) !== undefined,
            rules.recordGoalIfReached ? [rules.recordGoalIfReached] : [],
          ),
        ],
        'timer.fired': leave(
          (context) => context.aw?.tp,
          ({ context, event }) =>
            event.type === 'timer.fired' && context.aw?.k === event.key && context.aw.tp !== undefined,
        ),
      },
    };
  }
  let initial: string;
  if (substates.deciding) initial = 'deciding';
  else if (hasEffect) initial = 'acting';
  else if (awaitOf) initial = 'awaiting';
  else {
    // Decide-only or pass-through nodes leave at once.
    substates.leaving = { always: decide ? leave(decided) : [{ target: targetOf(id, first), actions: left(first) }] };
    initial = 'leaving';
  }
  return { id: stateOf(id), entry: enter, initial, states: substates };
}

function compactAwait(spec: AwaitSpec, key: string): RunContext['aw'] {
  return {
    k: key,
    e: (spec.events ?? []).map((e) => (e.filter ? { t: e.type, p: e.port, f: e.filter } : { t: e.type, p: e.port })),
    tp: spec.timeout?.port,
  };
}

/** Per-version cache: a version is immutable, so its machine is compiled once. */
export class MachineCache {
  private readonly cache = new Map<string, CompiledJourney>();
  constructor(private readonly registry: NodeRegistry) {}
  get(versionId: string, loadGraph: () => JourneyGraph): CompiledJourney {
    let compiled = this.cache.get(versionId);
    if (!compiled) {
      compiled = compileJourney(versionId, loadGraph(), this.registry);
      this.cache.set(versionId, compiled);
    }
    return compiled;
  }
}
