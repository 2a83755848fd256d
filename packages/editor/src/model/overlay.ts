/**
 * What the canvas paints on top of the journey: live shares on edges, the path a simulated
 * customer took, what changed between two versions. Pure functions from server answers to
 * per-node classes and per-edge labels, keyed the way canvas edges know themselves.
 */

/** An edge as the canvas knows it: source node, source port, target node. */
export interface EdgeRef {
  source: string;
  sourceHandle?: string | null;
  target: string;
}

export interface EdgeMark {
  className?: string;
  label?: string;
}

export interface CanvasOverlay {
  nodes: ReadonlyMap<string, string>;
  edges: ReadonlyMap<string, EdgeMark>;
}

const byPort = (source: string, port: string) => `${source}:${port}`;
const byTarget = (source: string, target: string) => `${source}>${target}`;

/** The mark for one canvas edge: by port when known, else by its two ends. */
export function edgeMark(overlay: CanvasOverlay | undefined, edge: EdgeRef): EdgeMark | undefined {
  if (!overlay) return undefined;
  return (
    (edge.sourceHandle ? overlay.edges.get(byPort(edge.source, edge.sourceHandle)) : undefined) ??
    overlay.edges.get(byTarget(edge.source, edge.target))
  );
}

/**
 * Share of a node's customers that left by each edge: count / (all counted departures from the
 * same node), so the shares of one node's ports add up to 100 %. Edges without a port (older step
 * logs) are keyed by their two ends.
 */
export function edgeShares(
  edges: readonly { source: string; port: string; target: string; count: number }[],
  format: (share: number, count: number) => string,
): Map<string, EdgeMark> {
  const out = new Map<string, EdgeMark>();
  const totals = new Map<string, number>();
  for (const e of edges) totals.set(e.source, (totals.get(e.source) ?? 0) + e.count);
  for (const e of edges) {
    const total = totals.get(e.source) ?? 0;
    if (!total) continue;
    const mark = { label: format(e.count / total, e.count), className: 'edge-live' };
    out.set(e.port ? byPort(e.source, e.port) : byTarget(e.source, e.target), mark);
  }
  return out;
}

/** The nodes a (simulated) customer visited and the moves between them, from a run's step log. */
export function pathOverlay(
  steps: readonly { kind: string; nodeId?: string | null; fromNodeId?: string | null; port?: string | null }[],
  currentNodeId: string | null,
): CanvasOverlay {
  const nodes = new Map<string, string>();
  const edges = new Map<string, EdgeMark>();
  let order = 0;
  for (const s of steps) {
    if (s.nodeId && !nodes.has(s.nodeId)) nodes.set(s.nodeId, 'on-path');
    if (s.fromNodeId && s.nodeId) {
      const mark = { className: 'edge-path', label: String(++order) };
      edges.set(s.port ? byPort(s.fromNodeId, s.port) : byTarget(s.fromNodeId, s.nodeId), mark);
    }
  }
  if (currentNodeId) nodes.set(currentNodeId, 'on-path current');
  return { nodes, edges };
}

export interface DiffLike {
  addedNodes: readonly { id: string }[];
  removedNodes: readonly { id: string }[];
  changedNodes: readonly { id: string }[];
  movedNodes: readonly string[];
  addedEdges: readonly { source: string; sourcePort: string; target: string }[];
  removedEdges: readonly { source: string; sourcePort: string; target: string }[];
}

/** Added nodes/edges green, removed red, changed amber, only moved grey. */
export function diffOverlay(diff: DiffLike): CanvasOverlay {
  const nodes = new Map<string, string>();
  for (const n of diff.addedNodes) nodes.set(n.id, 'diff-added');
  for (const n of diff.removedNodes) nodes.set(n.id, 'diff-removed');
  for (const n of diff.changedNodes) nodes.set(n.id, 'diff-changed');
  for (const id of diff.movedNodes) nodes.set(id, 'diff-moved');
  // By both ends: a port re-wired to another node is one removed and one added edge.
  const edges = new Map<string, EdgeMark>();
  for (const e of diff.addedEdges) edges.set(byTarget(e.source, e.target), { className: 'edge-added' });
  for (const e of diff.removedEdges) edges.set(byTarget(e.source, e.target), { className: 'edge-removed' });
  return { nodes, edges };
}
