import { type AnyNodeDefinition, type JourneyEdge, type JourneyGraph, type JourneyNode, type JourneySettings, type NodeRegistry, type PortSpec } from '@siyu/shared';
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
export declare const INPUT_HANDLE = "in";
/** A canvas element that cannot become part of a journey graph, named by the node it belongs to. */
export interface ConversionError {
    nodeId?: string;
    edgeId?: string;
    message: string;
}
export declare function graphToFlow(graph: JourneyGraph): {
    nodes: FlowNode[];
    edges: FlowEdge[];
};
export declare function nodeToFlow(node: JourneyNode): FlowNode;
export declare function edgeToFlow(edge: JourneyEdge): FlowEdge;
/**
 * Turns the canvas back into a journey graph. Problems that make an element impossible to
 * represent (an edge without a port, a node id the graph schema rejects) are returned with the
 * node they belong to, and the element is left out, so the editor can point at it.
 */
export declare function flowToGraph(nodes: readonly FlowNode[], edges: readonly FlowEdge[], settings: JourneySettings): {
    graph: JourneyGraph;
    errors: ConversionError[];
};
/** Output ports of a canvas node, or none when its config does not parse (ports may depend on it). */
export declare function portsOf(definition: AnyNodeDefinition | undefined, config: Record<string, unknown>): PortSpec[];
export declare function nodeDefinition(registry: NodeRegistry, node: FlowNode): AnyNodeDefinition | undefined;
