import type { GraphProblem, NodeRegistry } from '@siyu/shared';
import { createContext, useContext } from 'react';
import type { FlowEdge, FlowNode, JourneyNodeData } from '../model/flow-graph.ts';
import type { CanvasOverlay } from '../model/overlay.ts';

/**
 * Live counts per node, from the server's stats (absent when not live). Counts are of distinct
 * runs: a customer looping back or moved to a new version counts once.
 */
export interface NodeStats {
  entered: number;
  waiting: number;
  completed: number;
  /** Runs whose step failed here (a send refused: no phone number, an empty coupon batch…). */
  failed: number;
  /** Customers waiting because a send's outcome is unknown (an operator decides). */
  outcomeUnknown?: number;
}

/** What canvas pieces (node cards, edges) need from the editor without prop drilling. */
export interface EditorApi {
  stats?: ReadonlyMap<string, NodeStats>;
  registry: NodeRegistry;
  problemsByNode: ReadonlyMap<string, GraphProblem[]>;
  insertOnEdge: (edge: FlowEdge, nodeType: string) => void;
  updateNode: (id: string, patch: Partial<JourneyNodeData>) => void;
  nodes: () => FlowNode[];
  /** Live edge shares, a simulated path or a version diff painted over the canvas. */
  overlay?: CanvasOverlay;
  /** A canvas that only shows (version diff): no insert buttons. */
  readOnly?: boolean;
  /** Opens the list of customers now at a node (live journeys). */
  onNodeCustomers?: (nodeId: string) => void;
}

export const EditorContext = createContext<EditorApi | null>(null);

export function useEditor(): EditorApi {
  const api = useContext(EditorContext);
  if (!api) throw new Error('useEditor outside <EditorContext>');
  return api;
}
