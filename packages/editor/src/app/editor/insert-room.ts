// Where a node inserted on an edge goes. It used to land halfway between the edge's ends, on top of
// them when they were close (auto-layout leaves 90 units between columns); now it takes the place
// right after the source, and the target with everything downstream of it moves right to make room.

import type { Rect } from './readable-viewport.ts';

export interface Placed extends Rect {
  id: string;
}

export interface InsertPlacement {
  /** The new node's top-left corner. */
  position: { x: number; y: number };
  /** New positions of the nodes that move aside (the target and its downstream nodes). */
  moved: Map<string, { x: number; y: number }>;
}

/** Free space kept between the inserted node and its neighbours, in flow units. */
export const INSERT_GAP = 60;

/** Nodes reachable from `from` along edges, `from` included, never `stop`. */
function downstreamOf(from: string, stop: string, edges: readonly { source: string; target: string }[]): Set<string> {
  const seen = new Set([from]);
  const queue = [from];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const e of edges) {
      if (e.source === id && e.target !== stop && !seen.has(e.target)) {
        seen.add(e.target);
        queue.push(e.target);
      }
    }
  }
  return seen;
}

/**
 * Places a node of `size` on the edge `source → target`: on the target's row, right after the
 * source when the gap between them is too small, in the middle otherwise. Nodes downstream of the
 * target that lie right of the source shift right by what the gap lacks (loops back to the left
 * stay put), so nothing overlaps the new node and the journey keeps its shape.
 */
export function placeOnEdge(
  nodes: readonly Placed[],
  edges: readonly { source: string; target: string }[],
  edge: { source: string; target: string },
  size: { width: number; height: number },
): InsertPlacement | undefined {
  const source = nodes.find((n) => n.id === edge.source);
  const target = nodes.find((n) => n.id === edge.target);
  if (!source || !target) return undefined;
  const sourceRight = source.x + source.width;
  const room = target.x - sourceRight;
  const needed = size.width + 2 * INSERT_GAP;
  const moved = new Map<string, { x: number; y: number }>();
  if (room >= needed) {
    return { position: { x: sourceRight + (room - size.width) / 2, y: target.y }, moved };
  }
  const shift = needed - room;
  const downstream = downstreamOf(target.id, source.id, edges);
  for (const n of nodes) {
    if (downstream.has(n.id) && n.x >= source.x + source.width / 2) moved.set(n.id, { x: n.x + shift, y: n.y });
  }
  return { position: { x: sourceRight + INSERT_GAP, y: target.y }, moved };
}
