import { type JourneyEdge, JourneyEdgeSchema, type JourneyNode, JourneyNodeSchema } from '@siyu/shared';
import { z } from 'zod';
import { edgeId, newId } from './ids.ts';

/** What copy puts on the clipboard: plain journey nodes/edges, so it pastes into any journey. */
export const ClipboardSchema = z.object({
  kind: z.literal('siyu.journey-fragment'),
  nodes: z.array(JourneyNodeSchema).min(1),
  edges: z.array(JourneyEdgeSchema),
});
export type ClipboardFragment = z.infer<typeof ClipboardSchema>;

/** Selected nodes plus only the edges that run between them. */
export function copyFragment(nodes: readonly JourneyNode[], edges: readonly JourneyEdge[]): ClipboardFragment {
  const ids = new Set(nodes.map((n) => n.id));
  return {
    kind: 'siyu.journey-fragment',
    nodes: nodes.map((n) => structuredClone(n)),
    edges: edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => ({ ...e })),
  };
}

/** Parses clipboard text; undefined when it is not a journey fragment (e.g. ordinary text). */
export function parseFragment(text: string): ClipboardFragment | undefined {
  try {
    const result = ClipboardSchema.safeParse(JSON.parse(text));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

/** Fresh ids for every pasted node (edges rewired to them), shifted so the copy is visible. */
export function instantiateFragment(
  fragment: ClipboardFragment,
  offset: { x: number; y: number },
): { nodes: JourneyNode[]; edges: JourneyEdge[] } {
  const idMap = new Map<string, string>();
  const nodes = fragment.nodes.map((n) => {
    const id = newId(n.type.split('.')[1] ?? 'node');
    idMap.set(n.id, id);
    return { ...structuredClone(n), id, position: { x: n.position.x + offset.x, y: n.position.y + offset.y } };
  });
  const edges = fragment.edges.flatMap((e) => {
    const source = idMap.get(e.source);
    const target = idMap.get(e.target);
    if (!source || !target) return [];
    return [{ id: edgeId(source, e.sourcePort, target), source, sourcePort: e.sourcePort, target }];
  });
  return { nodes, edges };
}
