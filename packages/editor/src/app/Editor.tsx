import type { GraphProblem, JourneyGraph } from '@siyu/shared';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useCallback, useMemo, useRef, useState } from 'react';
import { Palette } from '../canvas/Palette.tsx';
import { Inspector } from '../inspector/Inspector.tsx';
import type { FlowEdge, FlowNode } from '../model/flow-graph.ts';
import type { CanvasOverlay } from '../model/overlay.ts';
import { EditorCanvas } from './editor/EditorCanvas.tsx';
import { EditorToolbar } from './editor/EditorToolbar.tsx';
import { useCanvasPointer } from './editor/use-canvas-pointer.ts';
import { useCheckedDoc } from './editor/use-checked-doc.ts';
import { useClipboard } from './editor/use-clipboard.ts';
import { useDocEdits } from './editor/use-doc-edits.ts';
import { useDocHistory } from './editor/use-doc-history.ts';
import { useEditorShortcuts } from './editor/use-editor-shortcuts.ts';
import { useInspectorCollapsed } from './editor/use-inspector-collapsed.ts';
import { useFitOnOpen, useReadableFit } from './editor/use-readable-fit.ts';
import { type EditorApi, EditorContext, type NodeStats } from './editor-context.ts';
import { ProblemsPanel } from './ProblemsPanel.tsx';
import { registry } from './registry.ts';

export interface EditorProps {
  stats?: ReadonlyMap<string, NodeStats>;
  graph: JourneyGraph;
  onChange: (graph: JourneyGraph) => void;
  /**
   * The server's problems with the saved draft. Those only the server can find (a channel or
   * coupon stock that does not exist in the workspace) join the local ones.
   */
  serverProblems?: readonly GraphProblem[];
  onPublish: (graph: JourneyGraph) => void;
  title: React.ReactNode;
  /** Painted over the canvas: live edge shares, a simulated path. */
  overlay?: CanvasOverlay;
  /** More toolbar buttons (simulation, versions) from the server editor. */
  toolbarExtra?: React.ReactNode;
  /** Between the toolbar and the canvas (why the engine paused the journey). */
  banner?: React.ReactNode;
  /** Shown instead of the inspector while set (the simulation panel, a node's customers). */
  sidePanel?: React.ReactNode;
  onNodeCustomers?: (nodeId: string) => void;
}

/**
 * The journey editor: toolbar, palette, canvas, inspector and problems list over one undoable
 * document. Its parts live in ./editor/ (the doc, its history, edits, clipboard, shortcuts).
 */
export function Editor(props: EditorProps) {
  return (
    <ReactFlowProvider>
      <EditorInner {...props} />
    </ReactFlowProvider>
  );
}

function EditorInner(props: EditorProps) {
  const flow = useReactFlow<FlowNode, FlowEdge>();
  const history = useDocHistory(props.graph);
  const { doc, docRef, commit, replace } = history;
  const { checkedGraph, problems, problemsByNode, configOf } = useCheckedDoc(
    doc,
    docRef,
    props.onChange,
    props.serverProblems,
  );
  const edits = useDocEdits(flow, docRef, commit, replace);
  const pointer = useCanvasPointer(flow);
  const { copySelection, paste } = useClipboard(docRef, commit, pointer.flowPoint);
  const fit = useReadableFit(flow);
  const fitView = useCallback(() => fit(), [fit]);
  useFitOnOpen(fit, props.graph.nodes.length > 0);
  const editsLayout = edits.layout;
  // ELK loads on the first layout and takes a moment on a big journey: the button says it is
  // working, and a second press (or Shift+L) while it works does not start another layout.
  const [layingOut, setLayingOut] = useState(false);
  const layoutRunning = useRef(false);
  const layout = useCallback(async () => {
    if (layoutRunning.current) return;
    layoutRunning.current = true;
    setLayingOut(true);
    try {
      fit(300, await editsLayout());
    } finally {
      layoutRunning.current = false;
      setLayingOut(false);
    }
  }, [editsLayout, fit]);
  const inspectorFold = useInspectorCollapsed();
  const inspectorCollapsed = inspectorFold.collapsed && !props.sidePanel;
  useEditorShortcuts({
    undo: history.undo,
    redo: history.redo,
    copySelection,
    paste,
    commit,
    replace,
    layout,
    fitView,
  });

  const { insertOnEdge, updateNode } = edits;
  const api = useMemo<EditorApi>(
    () => ({
      registry,
      problemsByNode,
      insertOnEdge,
      updateNode,
      nodes: () => docRef.current.nodes,
      stats: props.stats,
      overlay: props.overlay,
      onNodeCustomers: props.onNodeCustomers,
    }),
    [problemsByNode, insertOnEdge, updateNode, docRef, props.stats, props.overlay, props.onNodeCustomers],
  );
  const selectedNodes = doc.nodes.filter((n) => n.selected);
  const inspected = selectedNodes.length === 1 ? selectedNodes[0] : undefined;

  return (
    <EditorContext.Provider value={api}>
      <div className="editor">
        <EditorToolbar
          title={props.title}
          extra={props.toolbarExtra}
          canUndo={history.canUndo}
          canRedo={history.canRedo}
          onUndo={history.undo}
          onRedo={history.redo}
          onLayout={() => void layout()}
          layingOut={layingOut}
          onFitView={fitView}
          problemCount={problems.length}
          onPublish={() => props.onPublish(checkedGraph)}
        />
        {props.banner}
        <div className={`workspace${inspectorCollapsed ? ' inspector-collapsed' : ''}`}>
          <Palette onAdd={(type) => edits.addNode(type)} />
          <EditorCanvas
            doc={doc}
            flow={flow}
            onNodesChange={edits.onNodesChange}
            onEdgesChange={edits.onEdgesChange}
            onConnect={edits.onConnect}
            onNodeDragStart={history.onNodeDragStart}
            onNodeDragStop={history.onNodeDragStop}
            onDropNode={edits.addNode}
            pointer={pointer.track}
            onFitView={fitView}
            inspectorCollapsed={inspectorCollapsed}
            onToggleInspector={props.sidePanel ? undefined : inspectorFold.toggle}
          />
          {props.sidePanel ??
            (!inspectorCollapsed && (
              <Inspector
                node={inspected}
                problems={inspected ? (problemsByNode.get(inspected.id) ?? []) : []}
                settings={doc.settings}
                onSettings={(settings) => commit((d) => ({ ...d, settings }))}
              />
            ))}
        </div>
        <ProblemsPanel
          problems={problems}
          onSelect={(nodeId) => {
            // A problem is fixed in the inspector: unfold it.
            inspectorFold.expand();
            edits.selectNode(nodeId);
          }}
          configOf={configOf}
          graph={checkedGraph}
        />
      </div>
    </EditorContext.Provider>
  );
}
