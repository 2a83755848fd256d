import type { GraphProblem, NodeRegistry } from '@siyu/shared';
import { createContext, useContext } from 'react';
import type { FlowEdge, FlowNode, JourneyNodeData } from '../model/flow-graph.ts';

/** What canvas pieces (node cards, edges) need from the editor without prop drilling. */
export interface EditorApi {
  registry: NodeRegistry;
  problemsByNode: ReadonlyMap<string, GraphProblem[]>;
  insertOnEdge: (edge: FlowEdge, nodeType: string) => void;
  updateNode: (id: string, patch: Partial<JourneyNodeData>) => void;
  nodes: () => FlowNode[];
}

export const EditorContext = createContext<EditorApi | null>(null);

export function useEditor(): EditorApi {
  const api = useContext(EditorContext);
  if (!api) throw new Error('useEditor outside <EditorContext>');
  return api;
}
