import ELK from 'elkjs/lib/elk.bundled.js';
import type { FlowEdge, FlowNode } from '../model/flow-graph.ts';

const elk = new ELK();

/** Left-to-right layered layout by ELK; returns the nodes with new positions. */
export async function autoLayout(nodes: FlowNode[], edges: FlowEdge[]): Promise<FlowNode[]> {
  const result = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': '90',
      'elk.spacing.nodeNode': '40',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
    },
    children: nodes.map((n) => ({ id: n.id, width: n.measured?.width ?? 240, height: n.measured?.height ?? 110 })),
    edges: edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  });
  const positions = new Map((result.children ?? []).map((c) => [c.id, { x: c.x ?? 0, y: c.y ?? 0 }]));
  return nodes.map((n) => ({ ...n, position: positions.get(n.id) ?? n.position }));
}
