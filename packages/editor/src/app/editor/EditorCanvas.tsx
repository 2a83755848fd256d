import {
  Background,
  type Connection,
  ControlButton,
  Controls,
  type EdgeChange,
  MiniMap,
  type NodeChange,
  ReactFlow,
  type ReactFlowInstance,
} from '@xyflow/react';
import { NODE_CARD_WIDTH } from '../../canvas/card-size.ts';
import { InsertableEdge } from '../../canvas/InsertableEdge.tsx';
import { JourneyNodeCard } from '../../canvas/JourneyNodeCard.tsx';
import { DRAG_MIME } from '../../canvas/Palette.tsx';
import { ResourceNamesProvider } from '../../canvas/resource-names.ts';
import { ZoomVariable } from '../../canvas/ZoomVariable.tsx';
import type { FlowEdge, FlowNode } from '../../model/flow-graph.ts';
import { useLocale } from '../i18n.ts';
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
  /** Follows the mouse over the canvas (pastes land there). */
  pointer: { onMouseMove: (e: React.MouseEvent) => void; onMouseLeave: () => void };
  /** The editor's readable fit (React Flow's own would zoom out until the text is unreadable). */
  onFitView: () => void;
  inspectorCollapsed: boolean;
  /** Folds the inspector away or back; no toggle while a side panel (simulation…) replaces it. */
  onToggleInspector?: () => void;
}

/**
 * The React Flow canvas: drop target for the palette, node cards, insertable edges, a minimap that
 * pans on drag and centres on click, and the inspector's fold toggle at its right edge. The view is
 * fitted by the editor (use-readable-fit.ts), never by React Flow itself: its `fitView` fitted a
 * journey that opened empty on the first drop, moving the view under the next one.
 */
export function EditorCanvas(props: EditorCanvasProps) {
  const { doc, flow } = props;
  const { t } = useLocale();
  return (
    <main
      className="canvas"
      {...props.pointer}
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
      }}
      onDrop={(e) => {
        const type = e.dataTransfer.getData(DRAG_MIME);
        if (!type) return;
        e.preventDefault();
        const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
        props.onDropNode(type, { x: p.x - NODE_CARD_WIDTH / 2, y: p.y - 30 });
      }}
    >
      <ResourceNamesProvider>
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
          minZoom={0.1}
          maxZoom={2}
          onlyRenderVisibleElements={doc.nodes.length > 120}
          proOptions={{ hideAttribution: true }}
        >
          <Background gap={20} size={1} />
          <MiniMap
            pannable
            zoomable
            nodeStrokeWidth={3}
            data-testid="minimap"
            onClick={(_, position) =>
              void flow.setCenter(position.x, position.y, { zoom: flow.getZoom(), duration: 200 })
            }
          />
          <Controls showInteractive={false} showFitView={false}>
            <ControlButton
              onClick={props.onFitView}
              title={t('editor:editorCanvas.fitView')}
              data-testid="controls-fit-view"
            >
              ⤢
            </ControlButton>
          </Controls>
          <ZoomVariable />
        </ReactFlow>
      </ResourceNamesProvider>
      {props.onToggleInspector && (
        <button
          type="button"
          className="inspector-toggle"
          data-testid="inspector-toggle"
          aria-expanded={!props.inspectorCollapsed}
          title={
            props.inspectorCollapsed
              ? t('editor:editorCanvas.showTheSidePanel')
              : t('editor:editorCanvas.hideTheSidePanel')
          }
          onClick={props.onToggleInspector}
        >
          {props.inspectorCollapsed ? '‹' : '›'}
        </button>
      )}
    </main>
  );
}
