import { type RefObject, useCallback } from 'react';
import { copyFragment, instantiateFragment, parseFragment } from '../../model/clipboard.ts';
import { flowToGraph, graphToFlow } from '../../model/flow-graph.ts';
import { type Doc, EDGE_TYPE } from './doc.ts';
import type { DocEdit } from './use-doc-history.ts';

/** Also kept in localStorage: pasting works within this browser when clipboard permission is denied. */
const CLIPBOARD_KEY = 'siyu.clipboard';

/** Copy the selected nodes (with the edges between them) and paste them, also across journeys. */
export function useClipboard(docRef: RefObject<Doc>, commit: (edit: DocEdit) => void) {
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
    const { nodes, edges } = instantiateFragment(fragment, { x: 60, y: 60 });
    const pasted = graphToFlow({ ...flowToGraph([], [], docRef.current.settings).graph, nodes, edges });
    commit((d) => ({
      ...d,
      nodes: [
        ...d.nodes.map((n) => ({ ...n, selected: false })),
        ...pasted.nodes.map((n) => ({ ...n, selected: true })),
      ],
      edges: [...d.edges, ...pasted.edges.map((e) => ({ ...e, type: EDGE_TYPE }))],
    }));
  }, [commit, docRef]);

  return { copySelection, paste };
}
