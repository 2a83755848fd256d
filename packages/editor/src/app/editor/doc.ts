// The document the editor edits (React Flow's nodes and edges plus the journey settings) and the
// pure functions between it and a JourneyGraph. Undo/redo keeps snapshots of this shape.
import {
  type GraphProblem,
  type JourneyGraph,
  type JourneySettings,
  type NodeRegistry,
  validateGraph,
} from '@siyu/shared';
import { tFor } from '../../locales/catalogs.ts';
import { type FlowEdge, type FlowNode, flowToGraph, graphToFlow } from '../../model/flow-graph.ts';

export interface Doc {
  nodes: FlowNode[];
  edges: FlowEdge[];
  settings: JourneySettings;
}

/** Every edge on the canvas is drawn by InsertableEdge (its "+" inserts a node on it). */
export const EDGE_TYPE = 'insertable';

export function docOf(graph: JourneyGraph): Doc {
  const { nodes, edges } = graphToFlow(graph);
  return { nodes, edges: edges.map((e) => ({ ...e, type: EDGE_TYPE })), settings: graph.settings };
}

/** The graph a doc stands for and everything wrong with it (conversion errors included). */
export function checkDoc(doc: Doc, registry: NodeRegistry): { graph: JourneyGraph; problems: GraphProblem[] } {
  const { graph, errors } = flowToGraph(doc.nodes, doc.edges, doc.settings);
  const problems = validateGraph(graph, registry);
  for (const e of errors) {
    problems.push({
      code: 'invalidConfig',
      nodeId: e.nodeId,
      edgeId: e.edgeId,
      message: {
        'zh-CN': tFor('zh-CN')('app:doc.cannotSave', { message: e.message }),
        en: tFor('en')('app:doc.cannotSave', { message: e.message }),
      },
    });
  }
  return { graph, problems };
}

/** Deletes the selected nodes (with their edges) and selected edges, as one undo step. */
export function removeSelected(doc: Doc): Doc {
  const gone = new Set(doc.nodes.filter((n) => n.selected).map((n) => n.id));
  if (gone.size === 0 && !doc.edges.some((e) => e.selected)) return doc;
  return {
    ...doc,
    nodes: doc.nodes.filter((n) => !gone.has(n.id)),
    edges: doc.edges.filter((e) => !e.selected && !gone.has(e.source) && !gone.has(e.target)),
  };
}

export function selectAll(doc: Doc): Doc {
  return { ...doc, nodes: doc.nodes.map((n) => ({ ...n, selected: true })) };
}
