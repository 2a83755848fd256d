import { type RefObject, useCallback } from 'react';
import { copyFragment, instantiateFragment, parseFragment } from '../../model/clipboard.ts';
import { flowToGraph, graphToFlow } from '../../model/flow-graph.ts';
import { type Doc, EDGE_TYPE } from './doc.ts';
import { pasteOffset } from './paste-offset.ts';
import type { DocEdit } from './use-doc-history.ts';

/** Also kept in localStorage: pasting works within this browser when clipboard permission is denied. */
const CLIPBOARD_KEY = 'siyu.clipboard';

/**
 * Copy the selected nodes (with the edges between them) and paste them, also across journeys: at
 * the mouse (`pointer`, in flow coordinates, when it is over the canvas), never exactly on top of
 * existing nodes (see paste-offset.ts).
 */
export function useClipboard(
  docRef: RefObject<Doc>,
  commit: (edit: DocEdit) => void,
  pointer: () => { x: number; y: number } | undefined,
) {
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
  }, [docRef]);

  const paste = useCallback(async () => {
    let text: string | null = null;
    try {
      text = await navigator.clipboard.readText();
    } catch {
      text = null;
    }
    const fragment = parseFragment(text ?? '') ?? parseFragment(localStorage.getItem(CLIPBOARD_KEY) ?? '');
    if (!fragment) return;
    const offset = pasteOffset(
      fragment.nodes.map((n) => n.position),
      docRef.current.nodes.map((n) => n.position),
      pointer(),
    );
    const { nodes, edges } = instantiateFragment(fragment, offset);
    const pasted = graphToFlow({ ...flowToGraph([], [], docRef.current.settings).graph, nodes, edges });
    commit((d) => ({
      ...d,
      nodes: [
        ...d.nodes.map((n) => ({ ...n, selected: false })),
        ...pasted.nodes.map((n) => ({ ...n, selected: true })),
      ],
      edges: [...d.edges, ...pasted.edges.map((e) => ({ ...e, type: EDGE_TYPE }))],
    }));
  }, [commit, docRef, pointer]);

  return { copySelection, paste };
}
