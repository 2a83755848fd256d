import {
  type AnyNodeDefinition,
  GRAPH_SCHEMA_VERSION,
  type JourneyEdge,
  type JourneyGraph,
  JourneyGraphSchema,
  type JourneyNode,
  type JourneySettings,
  type NodeRegistry,
  outputsOf,
  type PortSpec,
} from '@siyu/shared';
import type { Edge, Node } from '@xyflow/react';

/** What a canvas node carries: the journey node's own fields, minus id and position. */
export type JourneyNodeData = {
  nodeType: string;
  typeVersion: number;
  config: Record<string, unknown>;
  label?: string;
};
export type FlowNode = Node<JourneyNodeData, 'journey'>;
export type FlowEdge = Edge;

/** Handle id of every node's single input. */
export const INPUT_HANDLE = 'in';

/** A canvas element that cannot become part of a journey graph, named by the node it belongs to. */
export interface ConversionError {
  nodeId?: string;
  edgeId?: string;
  message: string;
}

export function graphToFlow(graph: JourneyGraph): { nodes: FlowNode[]; edges: FlowEdge[] } {
  return {
    nodes: graph.nodes.map(nodeToFlow),
    edges: graph.edges.map(edgeToFlow),
  };
}

export function nodeToFlow(node: JourneyNode): FlowNode {
  const data: JourneyNodeData = { nodeType: node.type, typeVersion: node.typeVersion, config: node.config };
  if (node.label !== undefined) data.label = node.label;
  return { id: node.id, type: 'journey', position: { ...node.position }, data };
}

export function edgeToFlow(edge: JourneyEdge): FlowEdge {
  return {
    id: edge.id,
    source: edge.source,
    sourceHandle: edge.sourcePort,
    target: edge.target,
    targetHandle: INPUT_HANDLE,
  };
}

/**
 * Turns the canvas back into a journey graph. Problems that make an element impossible to
 * represent (an edge without a port, a node id the graph schema rejects) are returned with the
 * node they belong to, and the element is left out, so the editor can point at it.
 */
export function flowToGraph(
  nodes: readonly FlowNode[],
  edges: readonly FlowEdge[],
  settings: JourneySettings,
): { graph: JourneyGraph; errors: ConversionError[] } {
  const errors: ConversionError[] = [];
  const ids = new Set(nodes.map((n) => n.id));
  const graphNodes: JourneyNode[] = nodes.map((n) => {
    const node: JourneyNode = {
      id: n.id,
      type: n.data.nodeType,
      typeVersion: n.data.typeVersion,
      config: n.data.config,
      position: { x: round(n.position.x), y: round(n.position.y) },
    };
    if (n.data.label) node.label = n.data.label;
    return node;
  });
  const graphEdges: JourneyEdge[] = [];
  for (const e of edges) {
    if (!e.sourceHandle) {
      errors.push({ nodeId: e.source, edgeId: e.id, message: 'connection has no output port' });
      continue;
    }
    if (!ids.has(e.source) || !ids.has(e.target)) {
      errors.push({ nodeId: e.source, edgeId: e.id, message: 'connection points to a node that is not on the canvas' });
      continue;
    }
    graphEdges.push({ id: e.id, source: e.source, sourcePort: e.sourceHandle, target: e.target });
  }
  const candidate = { schemaVersion: GRAPH_SCHEMA_VERSION, nodes: graphNodes, edges: graphEdges, settings };
  const parsed = JourneyGraphSchema.safeParse(candidate);
  if (parsed.success) return { graph: parsed.data, errors };
  // Map each schema issue back to the node or edge it is about, then drop those elements.
  const badNodes = new Set<number>();
  const badEdges = new Set<number>();
  for (const issue of parsed.error.issues) {
    const [list, index] = issue.path;
    if (list === 'nodes' && typeof index === 'number') {
      badNodes.add(index);
      errors.push({ nodeId: graphNodes[index]?.id, message: `${issue.path.slice(2).join('.')}: ${issue.message}` });
    } else if (list === 'edges' && typeof index === 'number') {
      badEdges.add(index);
      errors.push({ nodeId: graphEdges[index]?.source, edgeId: graphEdges[index]?.id, message: issue.message });
    } else {
      errors.push({ message: `${issue.path.join('.')}: ${issue.message}` });
    }
  }
  const keptNodes = graphNodes.filter((_, i) => !badNodes.has(i));
  const keptIds = new Set(keptNodes.map((n) => n.id));
  const keptEdges = graphEdges.filter((e, i) => !badEdges.has(i) && keptIds.has(e.source) && keptIds.has(e.target));
  const retry = JourneyGraphSchema.safeParse({ ...candidate, nodes: keptNodes, edges: keptEdges });
  if (!retry.success) {
    return { graph: { schemaVersion: GRAPH_SCHEMA_VERSION, nodes: [], edges: [], settings }, errors };
  }
  return { graph: retry.data, errors };
}

/** Output ports of a canvas node, or none when its config does not parse (ports may depend on it). */
export function portsOf(definition: AnyNodeDefinition | undefined, config: Record<string, unknown>): PortSpec[] {
  if (!definition) return [];
  const parsed = definition.config.safeParse(config);
  if (parsed.success) return outputsOf(definition, parsed.data);
  return typeof definition.outputs === 'function' ? [] : [...definition.outputs];
}

export function nodeDefinition(registry: NodeRegistry, node: FlowNode): AnyNodeDefinition | undefined {
  return registry.get(node.data.nodeType);
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
