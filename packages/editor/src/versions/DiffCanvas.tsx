import type { JourneyGraph } from '@siyu/shared';
import { Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, useNodesState } from '@xyflow/react';
import { useEffect, useMemo } from 'react';
import { type EditorApi, EditorContext } from '../app/editor-context.ts';
import { registry } from '../app/registry.ts';
import { InsertableEdge } from '../canvas/InsertableEdge.tsx';
import { JourneyNodeCard } from '../canvas/JourneyNodeCard.tsx';
import { ResourceNamesProvider } from '../canvas/resource-names.ts';
import { type FlowNode, graphToFlow } from '../model/flow-graph.ts';
import type { CanvasOverlay } from '../model/overlay.ts';

const nodeTypes = { journey: JourneyNodeCard };
const edgeTypes = { insertable: InsertableEdge };
const noProblems = new Map();

/** A read-only canvas (same node cards as the editor) with an overlay: the version diff. */
export function DiffCanvas({ graph, overlay }: { graph: JourneyGraph; overlay: CanvasOverlay }) {
  const flow = useMemo(() => {
    const { nodes, edges } = graphToFlow(graph);
    return { nodes, edges: edges.map((e) => ({ ...e, type: 'insertable' })) };
  }, [graph]);
  // Held as React Flow state: it measures the cards into them (node changes), and the minimap draws
  // only measured nodes — with the graph's nodes passed as they are it stayed empty.
  const [nodes, setNodes, onNodesChange] = useNodesState(flow.nodes);
  useEffect(() => setNodes(flow.nodes), [flow.nodes, setNodes]);
  const api = useMemo<EditorApi>(
    () => ({
      registry,
      problemsByNode: noProblems,
      insertOnEdge: () => {},
      updateNode: () => {},
      nodes: (): FlowNode[] => flow.nodes,
      overlay,
      readOnly: true,
    }),
    [flow, overlay],
  );
  return (
    <EditorContext.Provider value={api}>
      <ResourceNamesProvider>
        <ReactFlowProvider>
          <div className="diff-canvas" data-testid="diff-canvas">
            <ReactFlow
              nodes={nodes}
              edges={flow.edges}
              onNodesChange={onNodesChange}
              nodeTypes={nodeTypes}
              edgeTypes={edgeTypes}
              nodesDraggable={false}
              nodesConnectable={false}
              elementsSelectable={false}
              fitView
              fitViewOptions={{ maxZoom: 1, padding: 0.15 }}
              minZoom={0.1}
              proOptions={{ hideAttribution: true }}
            >
              <Background gap={20} size={1} />
              <MiniMap pannable zoomable nodeStrokeWidth={3} />
              <Controls showInteractive={false} />
            </ReactFlow>
          </div>
        </ReactFlowProvider>
      </ResourceNamesProvider>
    </EditorContext.Provider>
  );
}
