import { formatPath, type JourneyGraph, type JourneyNode } from './graph.ts';
import type { LocalizedText } from './i18n.ts';
import { migrateNodeConfig } from './migrate.ts';
import { type AnyNodeDefinition, type NodeContext, outputsOf, type PortSpec } from './node-sdk.ts';
import type { NodeRegistry } from './registry.ts';
import { PROBLEM_MESSAGES, type ProblemCode } from './validation-messages.ts';
import { zodIssueText } from './zod-issue-text.ts';

/** One thing wrong with a graph, tied to the node (and edge / config path) where it is. */
export interface GraphProblem {
  code: ProblemCode;
  nodeId?: string;
  edgeId?: string;
  /** Path inside the node's config, for invalid config, e.g. `variants[1].weight`. */
  path?: string;
  /** Machine-readable details (e.g. `{ kind: 'coupons.stock' }`), never shown as they are. */
  params?: Record<string, string>;
  message: LocalizedText;
  /** For invalid config: what is wrong with the value alone, for under its field ("请输入大于 0 的数字"). */
  detail?: LocalizedText;
}

interface ResolvedNode {
  node: JourneyNode;
  definition: AnyNodeDefinition;
  /** Undefined when the config is invalid (ports derived from config are then unknown). */
  ports?: PortSpec[];
  /** The parsed config, when valid. */
  config?: unknown;
}

/**
 * Checks a graph against the node registry and returns every problem found (empty = publishable).
 * It never throws on bad graphs: the editor shows all problems at once.
 */
export function validateGraph(graph: JourneyGraph, registry: NodeRegistry): GraphProblem[] {
  const problems: GraphProblem[] = [];
  const resolved = resolveNodes(graph, registry, problems);
  checkEdges(graph, resolved, problems);
  const entries = checkEntries(resolved, problems);
  checkReachability(graph, resolved, entries, problems);
  checkCyclesHaveWaits(graph, resolved, problems);
  checkFreshAfter(graph, resolved, entries, problems);
  return problems;
}

/** A node as the canvas titles it, in both languages: the operator's name, else its type's. */
function titleOf(resolved: ResolvedNode | null | undefined, nodeId: string): LocalizedText {
  if (resolved?.node.label) return { 'zh-CN': resolved.node.label, en: resolved.node.label };
  return resolved?.definition.label ?? { 'zh-CN': nodeId, en: nodeId };
}

function resolveNodes(graph: JourneyGraph, registry: NodeRegistry, problems: GraphProblem[]) {
  const resolved = new Map<string, ResolvedNode | null>();
  for (const raw of graph.nodes) {
    if (resolved.has(raw.id)) {
      problems.push({
        code: 'duplicateNodeId',
        nodeId: raw.id,
        message: PROBLEM_MESSAGES.duplicateNodeId({ nodeId: raw.id }),
      });
      continue;
    }
    const definition = registry.get(raw.type);
    if (!definition) {
      problems.push({
        code: 'unknownNodeType',
        nodeId: raw.id,
        message: PROBLEM_MESSAGES.unknownNodeType({ type: raw.type }),
      });
      resolved.set(raw.id, null);
      continue;
    }
    let node: JourneyNode;
    try {
      node = migrateNodeConfig(definition, raw);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      problems.push({
        code: 'unsupportedNodeVersion',
        nodeId: raw.id,
        message: PROBLEM_MESSAGES.unsupportedNodeVersion({ type: raw.type, detail }),
      });
      resolved.set(raw.id, null);
      continue;
    }
    const parsed = definition.config.safeParse(node.config);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = formatPath(issue.path);
        problems.push({
          code: 'invalidConfig',
          nodeId: raw.id,
          path,
          message: PROBLEM_MESSAGES.invalidConfig({ path, detail: zodIssueText(issue) }),
          detail: zodIssueText(issue),
        });
      }
      resolved.set(raw.id, { node, definition });
      continue;
    }
    resolved.set(raw.id, { node, definition, ports: outputsOf(definition, parsed.data), config: parsed.data });
  }
  return resolved;
}

function checkEdges(graph: JourneyGraph, resolved: Map<string, ResolvedNode | null>, problems: GraphProblem[]) {
  const usedPorts = new Set<string>();
  for (const edge of graph.edges) {
    const source = resolved.get(edge.source);
    if (source === undefined) {
      problems.push({
        code: 'edgeMissingSource',
        edgeId: edge.id,
        nodeId: edge.source,
        message: PROBLEM_MESSAGES.edgeMissingSource({ nodeId: edge.source }),
      });
    }
    const target = resolved.get(edge.target);
    if (target === undefined) {
      problems.push({
        code: 'edgeMissingTarget',
        edgeId: edge.id,
        nodeId: edge.source,
        message: PROBLEM_MESSAGES.edgeMissingTarget({ nodeId: edge.target }),
      });
    } else if (target?.definition.entry) {
      problems.push({
        code: 'edgeIntoEntry',
        edgeId: edge.id,
        nodeId: edge.target,
        message: PROBLEM_MESSAGES.edgeIntoEntry(),
      });
    }
    if (source?.ports && !source.ports.some((p) => p.id === edge.sourcePort)) {
      problems.push({
        code: 'unknownPort',
        edgeId: edge.id,
        nodeId: edge.source,
        message: PROBLEM_MESSAGES.unknownPort({ port: edge.sourcePort }),
      });
    }
    const portKey = `${edge.source}\u0000${edge.sourcePort}`;
    if (usedPorts.has(portKey)) {
      problems.push({
        code: 'portConnectedTwice',
        edgeId: edge.id,
        nodeId: edge.source,
        params: { port: edge.sourcePort },
        message: PROBLEM_MESSAGES.portConnectedTwice({
          port: source?.ports?.find((p) => p.id === edge.sourcePort)?.label ?? edge.sourcePort,
        }),
      });
    }
    usedPorts.add(portKey);
  }
  for (const [nodeId, entry] of resolved) {
    for (const port of entry?.ports ?? []) {
      if (port.required === false) continue;
      if (!usedPorts.has(`${nodeId}\u0000${port.id}`)) {
        problems.push({
          code: 'unconnectedOutput',
          nodeId,
          params: { port: port.id },
          message: PROBLEM_MESSAGES.unconnectedOutput({ port: port.label }),
        });
      }
    }
  }
}

function checkEntries(resolved: Map<string, ResolvedNode | null>, problems: GraphProblem[]): string[] {
  const entries: string[] = [];
  const countByType = new Map<string, string[]>();
  for (const [nodeId, entry] of resolved) {
    if (!entry?.definition.entry) continue;
    entries.push(nodeId);
    const list = countByType.get(entry.definition.type) ?? [];
    list.push(nodeId);
    countByType.set(entry.definition.type, list);
  }
  if (entries.length === 0) problems.push({ code: 'missingEntry', message: PROBLEM_MESSAGES.missingEntry() });
  for (const nodeIds of countByType.values()) {
    const { definition } = resolved.get(nodeIds[0] as string) as ResolvedNode;
    const max = definition.entry?.maxPerJourney;
    if (max !== undefined && nodeIds.length > max) {
      for (const nodeId of nodeIds.slice(max)) {
        // The entry by its type's name (API 入口), not its type id.
        const message = PROBLEM_MESSAGES.tooManyEntries({ type: definition.label, max });
        problems.push({ code: 'tooManyEntries', nodeId, message });
      }
    }
  }
  return entries;
}

function successors(graph: JourneyGraph): Map<string, string[]> {
  const next = new Map<string, string[]>();
  for (const edge of graph.edges) {
    const list = next.get(edge.source) ?? [];
    list.push(edge.target);
    next.set(edge.source, list);
  }
  return next;
}

function checkReachability(
  graph: JourneyGraph,
  resolved: Map<string, ResolvedNode | null>,
  entries: string[],
  problems: GraphProblem[],
) {
  if (entries.length === 0) return; // missingEntry already says it; every node would be "unreachable"
  const next = successors(graph);
  const seen = new Set(entries);
  const stack = [...entries];
  while (stack.length > 0) {
    for (const target of next.get(stack.pop() as string) ?? []) {
      if (!seen.has(target) && resolved.has(target)) {
        seen.add(target);
        stack.push(target);
      }
    }
  }
  for (const nodeId of resolved.keys()) {
    if (!seen.has(nodeId)) problems.push({ code: 'unreachable', nodeId, message: PROBLEM_MESSAGES.unreachable() });
  }
}

/** Tarjan's strongly connected components, iteratively (journeys can have thousands of nodes). */
function stronglyConnectedComponents(nodeIds: string[], next: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const root of nodeIds) {
    if (index.has(root)) continue;
    const work: Array<{ node: string; i: number }> = [{ node: root, i: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: string; i: number };
      const targets = next.get(frame.node) ?? [];
      if (frame.i < targets.length) {
        const target = targets[frame.i++] as string;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, i: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node) as number, index.get(target) as number));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node) as number, low.get(frame.node) as number));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component);
      }
    }
  }
  return components;
}

function checkCyclesHaveWaits(
  graph: JourneyGraph,
  resolved: Map<string, ResolvedNode | null>,
  problems: GraphProblem[],
) {
  const known = [...resolved.keys()];
  const next = new Map<string, string[]>();
  for (const [source, targets] of successors(graph)) {
    if (resolved.has(source))
      next.set(
        source,
        targets.filter((t) => resolved.has(t)),
      );
  }
  for (const component of stronglyConnectedComponents(known, next)) {
    const isCycle = component.length > 1 || (next.get(component[0] as string) ?? []).includes(component[0] as string);
    if (!isCycle) continue;
    // Only a node that waits (timer or event) lets time pass between laps; an effect alone would
    // message the customer in a tight loop.
    const yields = component.some((id) => resolved.get(id)?.definition.await !== undefined);
    if (yields) continue;
    const ordered = component.slice().reverse();
    const titles = ordered.map((id) => titleOf(resolved.get(id), id));
    problems.push({
      code: 'cycleWithoutWait',
      nodeId: ordered[0],
      // By the titles the canvas shows: a node id means nothing to the operator.
      message: PROBLEM_MESSAGES.cycleWithoutWait({
        nodes: {
          'zh-CN': titles.map((title) => title['zh-CN']).join(' → '),
          en: titles.map((title) => title.en).join(' → '),
        },
      }),
    });
  }
}

/**
 * Nodes that work only right after an event (definition.freshAfter): refused when some path from an
 * entry reaches them through a wait that did not end by one of those events. Breadth-first over
 * (node, the wait that made the path stale or none); each node is visited at most twice.
 */
function checkFreshAfter(
  graph: JourneyGraph,
  resolved: Map<string, ResolvedNode | null>,
  entries: string[],
  problems: GraphProblem[],
) {
  const targets = [...resolved.entries()].flatMap(([nodeId, r]) =>
    r?.definition.freshAfter ? [[nodeId, r.definition.freshAfter] as const] : [],
  );
  if (targets.length === 0 || entries.length === 0) return;
  const out = new Map<string, JourneyGraph['edges']>();
  for (const edge of graph.edges) {
    const list = out.get(edge.source);
    if (list) list.push(edge);
    else out.set(edge.source, [edge]);
  }
  // One walk per set of events (every welcome node shares one), not one per node.
  const walks = new Map<string, Map<string, string>>();
  for (const [nodeId, { events, arrival, why }] of targets) {
    const key = [...events].sort().join('\u0000');
    let staleVia = walks.get(key);
    if (!staleVia) {
      staleVia = staleWalk(resolved, out, entries, events);
      walks.set(key, staleVia);
    }
    const via = staleVia.get(nodeId);
    if (via === undefined) continue;
    const title = titleOf(resolved.get(via), via);
    problems.push(
      resolved.get(via)?.definition.entry
        ? {
            code: 'entryBeforeFresh',
            nodeId,
            message: PROBLEM_MESSAGES.entryBeforeFresh({ entry: title, arrival, why }),
          }
        : { code: 'waitBeforeFresh', nodeId, message: PROBLEM_MESSAGES.waitBeforeFresh({ wait: title, why }) },
    );
  }
}

/**
 * Every node some path reaches "stale" for `events`, with the entry or wait that made it so: a wait
 * that did not end by one of them, or an entry whose customers come in some other way.
 */
function staleWalk(
  resolved: Map<string, ResolvedNode | null>,
  out: Map<string, JourneyGraph['edges']>,
  entries: string[],
  events: readonly string[],
): Map<string, string> {
  const staleVia = new Map<string, string>();
  const fresh = new Set<string>();
  const endings = new Map<string, Map<string, string>>();
  const queue: Array<[string, string | null]> = entries.map((id) => [
    id,
    entryBrings(resolved.get(id), events) === false ? id : null,
  ]);
  for (let head = 0; head < queue.length; head++) {
    const [id, via] = queue[head] as [string, string | null];
    if (via === null ? fresh.has(id) : staleVia.has(id)) continue;
    if (via === null) fresh.add(id);
    else staleVia.set(id, via);
    const node = resolved.get(id);
    const waits = node?.definition.await !== undefined;
    // A node is walked at most twice (fresh, stale): its await spec is read once.
    let ends = waits && node ? endings.get(id) : undefined;
    if (waits && node && !ends) {
      ends = waitEndings(node);
      endings.set(id, ends);
    }
    for (const edge of out.get(id) ?? []) {
      if (!resolved.has(edge.target)) continue;
      // Leaving a wait: fresh again if it ended by one of the events, else stale because of it.
      const event = ends?.get(edge.sourcePort);
      const next = !waits ? via : event !== undefined && events.includes(event) ? null : id;
      queue.push([edge.target, next]);
    }
  }
  return staleVia;
}

/**
 * Whether an entry's customers arrive by one of `events`: false when its trigger says otherwise (an
 * API call, a segment, another event), undefined when it cannot be read.
 */
function entryBrings(node: ResolvedNode | null | undefined, events: readonly string[]): boolean | undefined {
  try {
    const trigger = node?.definition.entry?.trigger(node.config);
    if (!trigger) return undefined;
    return trigger.kind === 'event' && events.includes(trigger.event);
  } catch {
    return undefined;
  }
}

/**
 * Which event each port of a waiting node stands for, from its own await spec read with a
 * stand-in context (now = the epoch). A node whose spec cannot be read so ends by no known event.
 */
function waitEndings(node: ResolvedNode): Map<string, string> {
  try {
    const spec = node.definition.await?.(node.config, { now: new Date(0) } as NodeContext);
    return new Map((spec?.events ?? []).map((e) => [e.port, e.type]));
  } catch {
    return new Map();
  }
}
