import type { FlowEdge, FlowNode } from '../model/flow-graph.ts';
/** Left-to-right layered layout by ELK; returns the nodes with new positions. */
export declare function autoLayout(nodes: FlowNode[], edges: FlowEdge[]): Promise<FlowNode[]>;
