import {
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type EdgeChange,
  type NodeChange,
  type ReactFlowInstance,
} from '@xyflow/react';
import { type RefObject, useCallback } from 'react';
import { NODE_CARD_HEIGHT, NODE_CARD_WIDTH } from '../../canvas/card-size.ts';
import { autoLayout } from '../../canvas/layout.ts';
import {
  type FlowEdge,
  type FlowNode,
  INPUT_HANDLE,
  type JourneyNodeData,
  nodeToFlow,
  portsOf,
} from '../../model/flow-graph.ts';
import { edgeId, newId } from '../../model/ids.ts';
import type { EditorApi } from '../editor-context.ts';
import { registry } from '../registry.ts';
import { type Doc, EDGE_TYPE } from './doc.ts';
import { placeOnEdge } from './insert-room.ts';
import { pasteOffset } from './paste-offset.ts';
import type { DocEdit } from './use-doc-history.ts';

type Flow = ReactFlowInstance<FlowNode, FlowEdge>;

/** A new node of `type` with its definition's default config, selected. */
function createNode(type: string, position: { x: number; y: number }): FlowNode | undefined {
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
}

/**
 * What the canvas, the palette, node cards and the inspector do to the doc: React Flow's changes
 * (removals and additions are undo steps, moves and selection are not), connecting, adding,
 * inserting on an edge, patching a node, selecting one from the problems list, auto-layout.
 */
export function useDocEdits(
  flow: Flow,
  docRef: RefObject<Doc>,
  commit: (e: DocEdit) => void,
  replace: (e: DocEdit) => void,
) {
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
            type: EDGE_TYPE,
          },
        ],
      }));
    },
    [commit],
  );

  /** Adds a node where dropped, or in the middle of the screen (palette double-click). */
  const addNode = useCallback(
    (type: string, position?: { x: number; y: number }) => {
      // A drop lands where it was dropped; a palette double-click lands at the view's centre, stepping
      // down-right past a node already there (adding twice used to stack the two exactly).
      const doc = docRef.current;
      const where = position ?? centreClearOf(doc, flow);
      const node = createNode(type, where);
      if (!node) return;
      commit((d) => ({ ...d, nodes: [...d.nodes.map((n) => ({ ...n, selected: false })), node] }));
    },
    [commit, flow, docRef],
  );

  const insertOnEdge = useCallback<EditorApi['insertOnEdge']>(
    (edge, type) => {
      const d = docRef.current;
      const source = d.nodes.find((n) => n.id === edge.source);
      const target = d.nodes.find((n) => n.id === edge.target);
      if (!source || !target || !edge.sourceHandle) return;
      const boxes = d.nodes.map((n) => ({
        id: n.id,
        ...n.position,
        width: n.measured?.width ?? NODE_CARD_WIDTH,
        height: n.measured?.height ?? NODE_CARD_HEIGHT,
      }));
      const placed = placeOnEdge(boxes, d.edges, edge, { width: NODE_CARD_WIDTH, height: NODE_CARD_HEIGHT });
      const node = placed && createNode(type, placed.position);
      if (!node) return;
      const firstPort = portsOf(registry.get(type), node.data.config)[0];
      commit((doc) => ({
        ...doc,
        nodes: [
          ...doc.nodes.map((n) => ({ ...n, position: placed.moved.get(n.id) ?? n.position, selected: false })),
          node,
        ],
        edges: [
          ...doc.edges.filter((e) => e.id !== edge.id),
          {
            id: edgeId(source.id, edge.sourceHandle ?? '', node.id),
            source: source.id,
            sourceHandle: edge.sourceHandle,
            target: node.id,
            targetHandle: INPUT_HANDLE,
            type: EDGE_TYPE,
          },
          ...(firstPort
            ? [
                {
                  id: edgeId(node.id, firstPort.id, target.id),
                  source: node.id,
                  sourceHandle: firstPort.id,
                  target: target.id,
                  targetHandle: INPUT_HANDLE,
                  type: EDGE_TYPE,
                },
              ]
            : []),
        ],
      }));
    },
    [commit, docRef],
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

  /** Selects a node and centres the canvas on it (a click in the problems list). */
  const selectNode = useCallback(
    (nodeId: string) => {
      replace((d) => ({ ...d, nodes: d.nodes.map((n) => ({ ...n, selected: n.id === nodeId })) }));
      const node = docRef.current.nodes.find((n) => n.id === nodeId);
      if (node)
        void flow.setCenter(node.position.x + NODE_CARD_WIDTH / 2, node.position.y + 50, { zoom: 1.1, duration: 300 });
    },
    [replace, flow, docRef],
  );

  /**
   * ELK layout of every node (measured sizes where React Flow has them), as one undo step. Returns
   * the laid-out nodes: the caller fits the view to them (React Flow has not rendered them yet).
   */
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
    return nodes;
  }, [commit, flow, docRef]);

  return { onNodesChange, onEdgesChange, onConnect, addNode, insertOnEdge, updateNode, selectNode, layout };
}

function centreClearOf(
  doc: Doc,
  flow: { screenToFlowPosition: (p: { x: number; y: number }) => { x: number; y: number } },
) {
  const centre = flow.screenToFlowPosition({ x: window.innerWidth / 2, y: window.innerHeight / 2 });
  const offset = pasteOffset(
    [centre],
    doc.nodes.map((n) => n.position),
    centre,
  );
  return { x: centre.x + offset.x, y: centre.y + offset.y };
}
