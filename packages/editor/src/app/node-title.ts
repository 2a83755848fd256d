import type { JourneyGraph, LocalizedText, NodeRegistry } from '@siyu/shared';

/**
 * What a marketer calls a node: the name given on the canvas, else its type's name in the chosen
 * language. Never the node's id, which is an internal key.
 */
export function nodeTitle(
  graph: JourneyGraph,
  nodeId: string,
  registry: Pick<NodeRegistry, 'get'>,
  loc: (text: LocalizedText) => string,
  unknown: string,
): string {
  const node = graph.nodes.find((n) => n.id === nodeId);
  if (!node) return unknown;
  if (node.label) return node.label;
  const definition = registry.get(node.type);
  return definition ? loc(definition.label) : unknown;
}
