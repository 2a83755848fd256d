import type { JourneyEdge, JourneyGraph, JourneyNode } from '@siyu/shared';

export interface GraphDiff {
  addedNodes: JourneyNode[];
  removedNodes: JourneyNode[];
  /** Same id, different type/config/label (position-only moves are listed separately). */
  changedNodes: { id: string; before: JourneyNode; after: JourneyNode; fields: string[] }[];
  movedNodes: string[];
  addedEdges: JourneyEdge[];
  removedEdges: JourneyEdge[];
  settingsChanged: boolean;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const edgeKey = (e: JourneyEdge) => `${e.source}:${e.sourcePort}->${e.target}`;

/** Compares two graphs by node id and by edge (source, port, target), ignoring edge ids. */
export function diffGraphs(from: JourneyGraph, to: JourneyGraph): GraphDiff {
  const before = new Map(from.nodes.map((n) => [n.id, n]));
  const after = new Map(to.nodes.map((n) => [n.id, n]));
  const changedNodes: GraphDiff['changedNodes'] = [];
  const movedNodes: string[] = [];
  for (const [id, a] of after) {
    const b = before.get(id);
    if (!b) continue;
    const fields = (['type', 'typeVersion', 'config', 'label'] as const).filter((f) => !same(a[f], b[f]));
    if (fields.length > 0) changedNodes.push({ id, before: b, after: a, fields });
    else if (!same(a.position, b.position)) movedNodes.push(id);
  }
  const fromEdges = new Map(from.edges.map((e) => [edgeKey(e), e]));
  const toEdges = new Map(to.edges.map((e) => [edgeKey(e), e]));
  return {
    addedNodes: to.nodes.filter((n) => !before.has(n.id)),
    removedNodes: from.nodes.filter((n) => !after.has(n.id)),
    changedNodes,
    movedNodes,
    addedEdges: [...toEdges].filter(([k]) => !fromEdges.has(k)).map(([, e]) => e),
    removedEdges: [...fromEdges].filter(([k]) => !toEdges.has(k)).map(([, e]) => e),
    settingsChanged: !same(from.settings, to.settings),
  };
}
