import { type GraphProblem, type JourneyGraph, WORKSPACE_PROBLEM_CODES } from '@siyu/shared';
import { type RefObject, useEffect, useMemo, useRef, useState } from 'react';
import { registry } from '../registry.ts';
import { checkDoc, type Doc } from './doc.ts';

/**
 * Validates the doc and hands the graph to `onChange` (the autosave) 250 ms after the last edit,
 * so dragging 300 nodes stays smooth; leaving the editor inside the delay still saves the last
 * edit. Server problems only the server can find (a channel or coupon stock missing from the
 * workspace) join the local ones while their node still exists.
 */
/** How long after the last edit the graph goes to the autosave (use-draft-autosave waits it out). */
export const SAVE_DEBOUNCE_MS = 250;

export function useCheckedDoc(
  doc: Doc,
  docRef: RefObject<Doc>,
  onChange: (graph: JourneyGraph) => void,
  serverProblems: readonly GraphProblem[] | undefined,
) {
  const [checked, setChecked] = useState<{ graph: JourneyGraph; problems: GraphProblem[] }>(() =>
    checkDoc(doc, registry),
  );
  const pendingSave = useRef(false);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  useEffect(() => {
    pendingSave.current = true;
    const timer = setTimeout(() => {
      const result = checkDoc(doc, registry);
      setChecked(result);
      pendingSave.current = false;
      onChangeRef.current(result.graph);
    }, SAVE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [doc]);
  useEffect(
    () => () => {
      if (pendingSave.current) onChangeRef.current(checkDoc(docRef.current, registry).graph);
    },
    [docRef],
  );
  const problems = useMemo(() => {
    const nodeIds = new Set(checked.graph.nodes.map((n) => n.id));
    // A server problem about a node deleted since the last save is gone with it.
    const workspace = (serverProblems ?? []).filter(
      (p) => WORKSPACE_PROBLEM_CODES.has(p.code) && p.nodeId && nodeIds.has(p.nodeId),
    );
    return workspace.length ? [...checked.problems, ...workspace] : checked.problems;
  }, [checked, serverProblems]);
  const problemsByNode = useMemo(() => {
    const map = new Map<string, GraphProblem[]>();
    for (const p of problems) if (p.nodeId) map.set(p.nodeId, [...(map.get(p.nodeId) ?? []), p]);
    return map;
  }, [problems]);
  // The config schema of a node in the checked graph (the one the problems are about).
  const configOf = useMemo(() => {
    const types = new Map(checked.graph.nodes.map((n) => [n.id, n.type]));
    return (nodeId: string) => registry.get(types.get(nodeId) ?? '')?.config;
  }, [checked.graph]);
  return { checkedGraph: checked.graph, problems, problemsByNode, configOf };
}
