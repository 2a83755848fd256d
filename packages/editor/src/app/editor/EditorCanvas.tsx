import {
  Background,
  type Connection,
  Controls,
  type EdgeChange,
  MiniMap,
  type NodeChange,
  ReactFlow,
  type ReactFlowInstance,
} from '@xyflow/react';
import { InsertableEdge } from '../../canvas/InsertableEdge.tsx';
import { JourneyNodeCard } from '../../canvas/JourneyNodeCard.tsx';
import { DRAG_MIME } from '../../canvas/Palette.tsx';
import type { FlowEdge, FlowNode } from '../../model/flow-graph.ts';
import { type Doc, EDGE_TYPE } from './doc.ts';

const nodeTypes = { journey: JourneyNodeCard };
const edgeTypes = { [EDGE_TYPE]: InsertableEdge };
const defaultEdgeOptions = { type: EDGE_TYPE };

export interface EditorCanvasProps {
  doc: Doc;
  flow: ReactFlowInstance<FlowNode, FlowEdge>;
  onNodesChange: (changes: NodeChange<FlowNode>[]) => void;
  onEdgesChange: (changes: EdgeChange<FlowEdge>[]) => void;
  onConnect: (connection: Connection) => void;
  onNodeDragStart: () => void;
  onNodeDragStop: () => void;
  /** A palette item dropped on the canvas, at that point. */
  onDropNode: (type: string, position: { x: number; y: number }) => void;
}

/** The React Flow canvas: drop target for the palette, node cards, insertable edges, minimap. */
export function EditorCanvas(props: EditorCanvasProps) {
  const { doc, flow } = props;
  return (
    <main
      className="canvas"
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
      }}
      onDrop={(e) => {
        const type = e.dataTransfer.getData(DRAG_MIME);
        if (!type) return;
        e.preventDefault();
        const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
        props.onDropNode(type, { x: p.x - 110, y: p.y - 30 });
      }}
    >
      <ReactFlow<FlowNode, FlowEdge>
        nodes={doc.nodes}
        edges={doc.edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        defaultEdgeOptions={defaultEdgeOptions}
        onNodesChange={props.onNodesChange}
        onEdgesChange={props.onEdgesChange}
        onConnect={props.onConnect}
        onNodeDragStart={props.onNodeDragStart}
        onNodeDragStop={props.onNodeDragStop}
        // Delete is the editor's shortcut (one undo step for nodes and edges together).
        deleteKeyCode={null}
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        selectionOnDrag={false}
        fitView
        fitViewOptions={{ maxZoom: 1, padding: 0.2 }}
        minZoom={0.1}
        maxZoom={2}
        onlyRenderVisibleElements={doc.nodes.length > 120}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} size={1} />
        <MiniMap pannable zoomable nodeStrokeWidth={3} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </main>
  );
}
