import type { ELK } from 'elkjs/lib/elk-api.js';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import type { FlowEdge, FlowNode } from '../model/flow-graph.ts';

let elk: Promise<ELK> | undefined;

/**
 * ELK is about half of the editor's JavaScript (1.6 MB), so it loads only when someone asks for a
 * layout, and runs in a Web Worker so a large journey's layout does not freeze the page. The worker
 * is elkjs's own script emitted as a file of the build (`?url`): the CSP (`script-src 'self'`)
 * allows workers from our origin, not from blob: URLs.
 */
function loadElk(): Promise<ELK> {
  elk ??= import('elkjs/lib/elk-api.js').then(
    (api) => new api.default({ workerUrl: elkWorkerUrl }),
    (error: unknown) => {
      elk = undefined; // a failed download (offline, new deploy) is retried on the next click
      throw error;
    },
  );
  return elk;
}

/** Left-to-right layered layout by ELK; returns the nodes with new positions. */
export async function autoLayout(nodes: FlowNode[], edges: FlowEdge[]): Promise<FlowNode[]> {
  const result = await (await loadElk()).layout({
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
