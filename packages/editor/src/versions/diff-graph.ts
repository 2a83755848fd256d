import type { JourneyGraph } from '@siyu/shared';

/**
 * One graph that shows both versions: everything in `to`, plus the nodes and edges `to` no longer
 * has, at their old places, so a removed node is visible (in red) where it used to be.
 */
export function unionGraph(from: JourneyGraph, to: JourneyGraph): JourneyGraph {
  const ids = new Set(to.nodes.map((n) => n.id));
  const key = (e: JourneyGraph['edges'][number]) => `${e.source}:${e.sourcePort}>${e.target}`;
  const kept = new Set(to.edges.map(key));
  return {
    ...to,
    nodes: [...to.nodes, ...from.nodes.filter((n) => !ids.has(n.id))],
    edges: [...to.edges, ...from.edges.filter((e) => !kept.has(key(e))).map((e) => ({ ...e, id: `removed:${e.id}` }))],
  };
}
