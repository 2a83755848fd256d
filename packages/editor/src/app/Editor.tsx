import {
  type GraphProblem,
  type JourneyGraph,
  type JourneySettings,
  validateGraph,
  WORKSPACE_PROBLEM_CODES,
} from '@siyu/shared';
import {
  applyEdgeChanges,
  applyNodeChanges,
  Background,
  type Connection,
  Controls,
  type EdgeChange,
  MiniMap,
  type NodeChange,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { InsertableEdge } from '../canvas/InsertableEdge.tsx';
import { JourneyNodeCard } from '../canvas/JourneyNodeCard.tsx';
import { autoLayout } from '../canvas/layout.ts';
import { DRAG_MIME, Palette } from '../canvas/Palette.tsx';
import { Inspector } from '../inspector/Inspector.tsx';
import { copyFragment, instantiateFragment, parseFragment } from '../model/clipboard.ts';
import {
  type FlowEdge,
  type FlowNode,
  flowToGraph,
  graphToFlow,
  INPUT_HANDLE,
  type JourneyNodeData,
  nodeToFlow,
  portsOf,
} from '../model/flow-graph.ts';
import { createHistory, type History, record, redo, undo } from '../model/history.ts';
import { edgeId, newId } from '../model/ids.ts';
import type { CanvasOverlay } from '../model/overlay.ts';
import { type EditorApi, EditorContext, type NodeStats } from './editor-context.ts';
import { useLocale } from './i18n.ts';
import { ProblemsPanel } from './ProblemsPanel.tsx';
import { registry } from './registry.ts';

interface Doc {
  nodes: FlowNode[];
  edges: FlowEdge[];
  settings: JourneySettings;
}

const nodeTypes = { journey: JourneyNodeCard };
const edgeTypes = { insertable: InsertableEdge };
const defaultEdgeOptions = { type: 'insertable' };
const CLIPBOARD_KEY = 'siyu.clipboard';

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

export function Editor(props: EditorProps) {
  return (
    <ReactFlowProvider>
      <EditorInner {...props} />
    </ReactFlowProvider>
  );
}

function docOf(graph: JourneyGraph): Doc {
  const { nodes, edges } = graphToFlow(graph);
  return { nodes, edges: edges.map((e) => ({ ...e, type: 'insertable' })), settings: graph.settings };
}

function EditorInner(props: EditorProps) {
  const { tr, locale, setLocale } = useLocale();
  const flow = useReactFlow<FlowNode, FlowEdge>();
  const [history, setHistory] = useState<History<Doc>>(() => createHistory(docOf(props.graph)));
  const doc = history.present;
  const dragStart = useRef<Doc | null>(null);
  const docRef = useRef(doc);
  docRef.current = doc;

  /** Applies an edit as one undoable step. */
  const commit = useCallback((edit: (doc: Doc) => Doc) => setHistory((h) => record(h, edit(h.present))), []);
  /** Applies a transient change (drag frames, selection) without an undo step. */
  const replace = useCallback((edit: (doc: Doc) => Doc) => setHistory((h) => ({ ...h, present: edit(h.present) })), []);

  // Validation and autosave run on a short delay so dragging 300 nodes stays smooth.
  const [checked, setChecked] = useState<{ graph: JourneyGraph; problems: GraphProblem[] }>(() => check(doc));
  const pendingSave = useRef(false);
  const onChangeRef = useRef(props.onChange);
  onChangeRef.current = props.onChange;
  useEffect(() => {
    pendingSave.current = true;
    const timer = setTimeout(() => {
      const result = check(doc);
      setChecked(result);
      pendingSave.current = false;
      onChangeRef.current(result.graph);
    }, 250);
    return () => clearTimeout(timer);
  }, [doc]);
  // Leaving the editor inside the delay still saves the last edit.
  useEffect(
    () => () => {
      if (pendingSave.current) onChangeRef.current(check(docRef.current).graph);
    },
    [],
  );
  const problems = useMemo(() => {
    const nodeIds = new Set(checked.graph.nodes.map((n) => n.id));
    // A server problem about a node deleted since the last save is gone with it.
    const workspace = (props.serverProblems ?? []).filter(
      (p) => WORKSPACE_PROBLEM_CODES.has(p.code) && p.nodeId && nodeIds.has(p.nodeId),
    );
    return workspace.length ? [...checked.problems, ...workspace] : checked.problems;
  }, [checked, props.serverProblems]);
  const problemsByNode = useMemo(() => {
    const map = new Map<string, GraphProblem[]>();
    for (const p of problems) if (p.nodeId) map.set(p.nodeId, [...(map.get(p.nodeId) ?? []), p]);
    return map;
  }, [problems]);

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      const structural = changes.some((c) => c.type === 'remove' || c.type === 'add');
      (structural ? commit : replace)((d) => {
        const nodes = applyNodeChanges(changes, d.nodes);
        if (!structural) return { ...d, nodes };
        const ids = new Set(nodes.map((n) => n.id));
        return { ...d, nodes, edges: d.edges.filter((e) => ids.has(e.source) && ids.has(e.target)) };
      });
    },
    [commit, replace],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange<FlowEdge>[]) => {
      const structural = changes.some((c) => c.type === 'remove' || c.type === 'add');
      (structural ? commit : replace)((d) => ({ ...d, edges: applyEdgeChanges(changes, d.edges) }));
    },
    [commit, replace],
  );
  const onConnect = useCallback(
    (c: Connection) => {
      if (!c.sourceHandle || c.source === c.target) return;
      commit((d) => ({
        ...d,
        // One connection per output port: a new one replaces the old.
        edges: [
          ...d.edges.filter((e) => !(e.source === c.source && e.sourceHandle === c.sourceHandle)),
          {
            id: edgeId(c.source, c.sourceHandle ?? '', c.target),
            source: c.source,
            sourceHandle: c.sourceHandle,
            target: c.target,
            targetHandle: INPUT_HANDLE,
            type: 'insertable',
          },
        ],
      }));
    },
    [commit],
  );

  const createNode = useCallback((type: string, position: { x: number; y: number }): FlowNode | undefined => {
    const definition = registry.get(type);
    if (!definition) return undefined;
    return {
      ...nodeToFlow({
        id: newId(type.split('.')[1] ?? 'node'),
        type,
        typeVersion: definition.version,
        config: structuredClone(definition.defaultConfig as Record<string, unknown>),
        position,
      }),
      selected: true,
    };
  }, []);

  const addNode = useCallback(
    (type: string, position?: { x: number; y: number }) => {
      const where = position ?? flow.screenToFlowPosition({ x: window.innerWidth / 2, y: window.innerHeight / 2 });
      const node = createNode(type, where);
      if (!node) return;
      commit((d) => ({ ...d, nodes: [...d.nodes.map((n) => ({ ...n, selected: false })), node] }));
    },
    [commit, createNode, flow],
  );

  const insertOnEdge = useCallback<EditorApi['insertOnEdge']>(
    (edge, type) => {
      const d = docRef.current;
      const source = d.nodes.find((n) => n.id === edge.source);
      const target = d.nodes.find((n) => n.id === edge.target);
      if (!source || !target || !edge.sourceHandle) return;
      const node = createNode(type, {
        x: (source.position.x + target.position.x) / 2,
        y: (source.position.y + target.position.y) / 2 + 40,
      });
      if (!node) return;
      const firstPort = portsOf(registry.get(type), node.data.config)[0];
      commit((doc) => ({
        ...doc,
        nodes: [...doc.nodes.map((n) => ({ ...n, selected: false })), node],
        edges: [
          ...doc.edges.filter((e) => e.id !== edge.id),
          {
            id: edgeId(source.id, edge.sourceHandle ?? '', node.id),
            source: source.id,
            sourceHandle: edge.sourceHandle,
            target: node.id,
            targetHandle: INPUT_HANDLE,
            type: 'insertable',
          },
          ...(firstPort
            ? [
                {
                  id: edgeId(node.id, firstPort.id, target.id),
                  source: node.id,
                  sourceHandle: firstPort.id,
                  target: target.id,
                  targetHandle: INPUT_HANDLE,
                  type: 'insertable',
                },
              ]
            : []),
        ],
      }));
    },
    [commit, createNode],
  );

  const updateNode = useCallback<EditorApi['updateNode']>(
    (id, patch) => {
      commit((d) => ({
        ...d,
        nodes: d.nodes.map((n) => {
          if (n.id !== id) return n;
          const data: JourneyNodeData = { ...n.data, ...patch };
          if (patch.label === undefined && 'label' in patch) delete data.label;
          return { ...n, data };
        }),
        // Ports can disappear when config changes (a removed variant): drop their edges.
        edges: d.edges.filter((e) => {
          if (e.source !== id || !patch.config) return true;
          const node = d.nodes.find((n) => n.id === id);
          const ports = portsOf(node && registry.get(node.data.nodeType), patch.config);
          return ports.length === 0 || ports.some((p) => p.id === e.sourceHandle);
        }),
      }));
    },
    [commit],
  );

  const selectNode = useCallback(
    (nodeId: string) => {
      replace((d) => ({ ...d, nodes: d.nodes.map((n) => ({ ...n, selected: n.id === nodeId })) }));
      const node = docRef.current.nodes.find((n) => n.id === nodeId);
      if (node) void flow.setCenter(node.position.x + 120, node.position.y + 50, { zoom: 1.1, duration: 300 });
    },
    [replace, flow],
  );

  const copySelection = useCallback(async () => {
    const d = docRef.current;
    const selected = d.nodes.filter((n) => n.selected);
    if (selected.length === 0) return;
    const { graph } = flowToGraph(selected, d.edges, d.settings);
    const text = JSON.stringify(copyFragment(graph.nodes, flowToGraph(d.nodes, d.edges, d.settings).graph.edges));
    localStorage.setItem(CLIPBOARD_KEY, text);
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Clipboard permission denied: the localStorage copy still pastes within this browser.
    }
  }, []);

  const paste = useCallback(async () => {
    let text: string | null = null;
    try {
      text = await navigator.clipboard.readText();
    } catch {
      text = null;
    }
    const fragment = parseFragment(text ?? '') ?? parseFragment(localStorage.getItem(CLIPBOARD_KEY) ?? '');
    if (!fragment) return;
    const { nodes, edges } = instantiateFragment(fragment, { x: 60, y: 60 });
    const pasted = graphToFlow({ ...flowToGraph([], [], docRef.current.settings).graph, nodes, edges });
    commit((d) => ({
      ...d,
      nodes: [
        ...d.nodes.map((n) => ({ ...n, selected: false })),
        ...pasted.nodes.map((n) => ({ ...n, selected: true })),
      ],
      edges: [...d.edges, ...pasted.edges.map((e) => ({ ...e, type: 'insertable' }))],
    }));
  }, [commit]);

  const layout = useCallback(async () => {
    const d = docRef.current;
    const nodes = await autoLayout(
      d.nodes.map((n) => flow.getNode(n.id) ?? n),
      d.edges,
    );
    commit((doc) => ({
      ...doc,
      nodes: doc.nodes.map((n, i) => ({ ...n, position: nodes[i]?.position ?? n.position })),
    }));
    requestAnimationFrame(() => void flow.fitView({ duration: 300, padding: 0.15, maxZoom: 1 }));
  }, [commit, flow]);

  // Keyboard shortcuts (ignored while typing in a form field).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement;
      if (el.closest('input, textarea, select, [contenteditable]')) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 'z' && !e.shiftKey) setHistory(undo);
      else if (mod && (key === 'y' || (key === 'z' && e.shiftKey))) setHistory(redo);
      else if (mod && key === 'c') void copySelection();
      else if (mod && key === 'v') void paste();
      else if (key === 'delete' || key === 'backspace') commit(removeSelected);
      else if (mod && key === 'a') replace((d) => ({ ...d, nodes: d.nodes.map((n) => ({ ...n, selected: true })) }));
      else if (mod && key === 'd') {
        void copySelection().then(paste);
      } else if (e.shiftKey && key === 'l') void layout();
      else if (e.shiftKey && key === '1') void flow.fitView({ duration: 300, maxZoom: 1, padding: 0.2 });
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [copySelection, paste, replace, commit, layout, flow]);

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
    [problemsByNode, insertOnEdge, updateNode, props.stats, props.overlay, props.onNodeCustomers],
  );
  const selectedNodes = doc.nodes.filter((n) => n.selected);
  const inspected = selectedNodes.length === 1 ? selectedNodes[0] : undefined;
  const errorCount = problems.length;
  // The config schema of a node in the checked graph (the one the problems are about).
  const configOf = useMemo(() => {
    const types = new Map(checked.graph.nodes.map((n) => [n.id, n.type]));
    return (nodeId: string) => registry.get(types.get(nodeId) ?? '')?.config;
  }, [checked.graph]);

  return (
    <EditorContext.Provider value={api}>
      <div className="editor">
        <header className="toolbar">
          <div className="toolbar-title">{props.title}</div>
          <button
            type="button"
            onClick={() => setHistory(undo)}
            disabled={history.past.length === 0}
            title="Ctrl+Z"
            data-testid="undo"
          >
            ↶ {tr('撤销', 'Undo')}
          </button>
          <button
            type="button"
            onClick={() => setHistory(redo)}
            disabled={history.future.length === 0}
            title="Ctrl+Shift+Z"
            data-testid="redo"
          >
            ↷ {tr('重做', 'Redo')}
          </button>
          <button type="button" onClick={() => void layout()} title="Shift+L" data-testid="layout">
            🧭 {tr('自动布局', 'Auto-layout')}
          </button>
          <button
            type="button"
            onClick={() => void flow.fitView({ duration: 300, maxZoom: 1, padding: 0.2 })}
            title="Shift+1"
          >
            ⤢ {tr('适应画布', 'Fit view')}
          </button>
          {props.toolbarExtra}
          <span className="spacer" />
          <span className={errorCount ? 'status bad' : 'status ok'} data-testid="status">
            {errorCount ? tr(`${errorCount} 个问题`, `${errorCount} problem(s)`) : tr('可以发布', 'Ready')}
          </span>
          <button
            type="button"
            className="primary"
            disabled={errorCount > 0}
            title={errorCount ? tr('请先修复所有问题', 'Fix every problem first') : ''}
            onClick={() => props.onPublish(checked.graph)}
            data-testid="publish"
          >
            {tr('发布', 'Publish')}
          </button>
          <button type="button" onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')} data-testid="locale">
            {locale === 'en' ? '中文' : 'EN'}
          </button>
        </header>
        {props.banner}
        <div className="workspace">
          <Palette onAdd={(type) => addNode(type)} />
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
              addNode(type, { x: p.x - 110, y: p.y - 30 });
            }}
          >
            <ReactFlow<FlowNode, FlowEdge>
              nodes={doc.nodes}
              edges={doc.edges}
              nodeTypes={nodeTypes}
              edgeTypes={edgeTypes}
              defaultEdgeOptions={defaultEdgeOptions}
              onNodesChange={onNodesChange}
              onEdgesChange={onEdgesChange}
              onConnect={onConnect}
              onNodeDragStart={() => {
                dragStart.current = docRef.current;
              }}
              onNodeDragStop={() => {
                const before = dragStart.current;
                dragStart.current = null;
                if (before)
                  setHistory((h) => ({ past: [...h.past, before].slice(-100), present: h.present, future: [] }));
              }}
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
          {props.sidePanel ?? (
            <Inspector
              node={inspected}
              problems={inspected ? (problemsByNode.get(inspected.id) ?? []) : []}
              settings={doc.settings}
              onSettings={(settings) => commit((d) => ({ ...d, settings }))}
            />
          )}
        </div>
        <ProblemsPanel problems={problems} onSelect={selectNode} configOf={configOf} />
      </div>
    </EditorContext.Provider>
  );
}

/** Deletes the selected nodes (with their edges) and selected edges, as one undo step. */
function removeSelected(doc: Doc): Doc {
  const gone = new Set(doc.nodes.filter((n) => n.selected).map((n) => n.id));
  if (gone.size === 0 && !doc.edges.some((e) => e.selected)) return doc;
  return {
    ...doc,
    nodes: doc.nodes.filter((n) => !gone.has(n.id)),
    edges: doc.edges.filter((e) => !e.selected && !gone.has(e.source) && !gone.has(e.target)),
  };
}

function check(doc: Doc): { graph: JourneyGraph; problems: GraphProblem[] } {
  const { graph, errors } = flowToGraph(doc.nodes, doc.edges, doc.settings);
  const problems = validateGraph(graph, registry);
  for (const e of errors) {
    problems.push({
      code: 'invalidConfig',
      nodeId: e.nodeId,
      edgeId: e.edgeId,
      message: { 'zh-CN': `无法保存：${e.message}`, en: `Cannot save: ${e.message}` },
    });
  }
  return { graph, problems };
}
