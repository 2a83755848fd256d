// A large journey shaped like the ones marketers build, for the editor benchmark: an entry, then
// chains of built-in steps where decisions (branch, A/B, random split, wait-for-event) open new
// branches, outcome ports such as "failed" or "skipped" rejoin the next step, and every branch ends
// at an exit. Laid out as a flow chart: depth to the right, one row per branch.
import { type JourneyGraph, JourneyGraphSchema, type NodeRegistry, outputsOf } from '@siyu/shared';

/** The steps in the order branches use them: mostly single-path, about one in four a decision. */
const STEP_CYCLE = [
  'core.wait',
  'wecom.welcome',
  'core.updateTags',
  'core.branch',
  'core.waitUntil',
  'wecom.markTags',
  'core.updateAttributes',
  'core.waitForEvent',
  'core.webhook',
  'core.goal',
  'wecom.massMessage',
  'core.abSplit',
  'core.staffTask',
  'core.randomSplit',
] as const;
/** Types whose every port is a path of its own; other types' extra ports rejoin the next step. */
const DECISIONS = new Set(['core.branch', 'core.abSplit', 'core.randomSplit', 'core.waitForEvent']);
const ENTRY = 'core.eventEntry';
const EXIT = 'core.exit';
/** A branch ends at an exit after this many steps while others wait for room. */
const MAX_BRANCH_STEPS = 9;
const COLUMN_PX = 320;
const ROW_PX = 190;

interface OpenPath {
  /** Ports that lead into the next node (one, or a step's main port plus its rejoining outcomes). */
  from: Array<{ node: string; port: string }>;
  depth: number;
  row: number;
}

/** A journey of exactly `size` nodes (size ≥ 2) over the built-in node types in `registry`. */
export function branchingJourney(registry: NodeRegistry, size: number): JourneyGraph {
  const nodes: JourneyGraph['nodes'] = [];
  const edges: JourneyGraph['edges'] = [];
  const portsOf = (type: string) => {
    const def = registry.get(type);
    if (!def) throw new Error(`branchingJourney: no node type ${type} in the registry`);
    return { def, ports: outputsOf(def, def.config.parse(def.defaultConfig)).map((p) => p.id) };
  };
  const place = (type: string, path: OpenPath) => {
    const { def, ports } = portsOf(type);
    const id = `n${nodes.length}`;
    nodes.push({
      id,
      type,
      typeVersion: def.version,
      config: structuredClone(def.defaultConfig as Record<string, unknown>),
      position: { x: path.depth * COLUMN_PX, y: path.row * ROW_PX },
    });
    for (const { node, port } of path.from)
      edges.push({ id: `e${edges.length}`, source: node, sourcePort: port, target: id });
    return { id, type, ports };
  };

  const entry = place(ENTRY, { from: [], depth: 0, row: 0 });
  const waiting: OpenPath[] = [{ from: [{ node: entry.id, port: entry.ports[0]! }], depth: 1, row: 0 }];
  let rows = 1;
  let step = 0;
  while (waiting.length > 0) {
    let path = waiting.shift()!;
    for (let length = 0; ; length++) {
      // Every waiting path still needs its exit: end this one when the rest of the budget is theirs.
      const room = size - nodes.length - waiting.length - 1;
      if (room < 1 || (length >= MAX_BRANCH_STEPS && waiting.length > 0)) {
        place(EXIT, path);
        break;
      }
      let type = STEP_CYCLE[step % STEP_CYCLE.length]!;
      // A decision opens paths that need exits too; with no room for them, the next plain step.
      while (DECISIONS.has(type) && room - (portsOf(type).ports.length - 1) < 1) {
        type = STEP_CYCLE[++step % STEP_CYCLE.length]!;
      }
      step++;
      const node = place(type, path);
      const [main, ...rest] = node.ports;
      const next: OpenPath = { from: [{ node: node.id, port: main! }], depth: path.depth + 1, row: path.row };
      for (const port of rest) {
        if (DECISIONS.has(type)) waiting.push({ from: [{ node: node.id, port }], depth: path.depth + 1, row: rows++ });
        else next.from.push({ node: node.id, port });
      }
      path = next;
    }
  }
  return JourneyGraphSchema.parse({ nodes, edges });
}
