import type { GraphProblem, NodeRegistry } from '@siyu/shared';
import type { FlowEdge, FlowNode, JourneyNodeData } from '../model/flow-graph.ts';
/** What canvas pieces (node cards, edges) need from the editor without prop drilling. */
export interface EditorApi {
    registry: NodeRegistry;
    problemsByNode: ReadonlyMap<string, GraphProblem[]>;
    insertOnEdge: (edge: FlowEdge, nodeType: string) => void;
    updateNode: (id: string, patch: Partial<JourneyNodeData>) => void;
    nodes: () => FlowNode[];
}
export declare const EditorContext: import("react").Context<EditorApi | null>;
export declare function useEditor(): EditorApi;
