import type { JourneyGraph } from '@siyu/shared';

/**
 * Node ids in reading order: breadth-first from the entry nodes (nodes no edge points to), each
 * node's edges in the order the graph lists them, then anything unreachable in graph order. A
 * journey branches, so this is the order a funnel lists steps in, not a single path.
 */
export function graphOrder(graph: JourneyGraph): string[] {
  const targets = new Set(graph.edges.map((e) => e.target));
  const queue = graph.nodes.filter((n) => !targets.has(n.id)).map((n) => n.id);
  const seen = new Set<string>(queue);
  for (let i = 0; i < queue.length; i++) {
    for (const edge of graph.edges) {
      if (edge.source !== queue[i] || seen.has(edge.target)) continue;
      seen.add(edge.target);
      queue.push(edge.target);
    }
  }
  for (const n of graph.nodes) if (!seen.has(n.id)) queue.push(n.id);
  return queue;
}
