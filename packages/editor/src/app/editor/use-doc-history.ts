import type { JourneyGraph } from '@siyu/shared';
import { useCallback, useRef, useState } from 'react';
import { createHistory, type History, record, redo, undo } from '../../model/history.ts';
import { type Doc, docOf } from './doc.ts';

export type DocEdit = (doc: Doc) => Doc;

/**
 * The editor's document with undo/redo. `commit` records one undoable step; `replace` changes the
 * present without one (drag frames, selection). A node drag is one step from drag start to stop.
 * `docRef` reads the latest doc inside callbacks without making them change on every edit.
 */
export function useDocHistory(graph: JourneyGraph) {
  const [history, setHistory] = useState<History<Doc>>(() => createHistory(docOf(graph)));
  const doc = history.present;
  const dragStart = useRef<Doc | null>(null);
  const docRef = useRef(doc);
  docRef.current = doc;

  /** Applies an edit as one undoable step. */
  const commit = useCallback((edit: DocEdit) => setHistory((h) => record(h, edit(h.present))), []);
  /** Applies a transient change (drag frames, selection) without an undo step. */
  const replace = useCallback((edit: DocEdit) => setHistory((h) => ({ ...h, present: edit(h.present) })), []);
  const undoStep = useCallback(() => setHistory(undo), []);
  const redoStep = useCallback(() => setHistory(redo), []);
  const onNodeDragStart = useCallback(() => {
    dragStart.current = docRef.current;
  }, []);
  const onNodeDragStop = useCallback(() => {
    const before = dragStart.current;
    dragStart.current = null;
    if (before) setHistory((h) => ({ past: [...h.past, before].slice(-100), present: h.present, future: [] }));
  }, []);

  return {
    doc,
    docRef,
    canUndo: history.past.length > 0,
    canRedo: history.future.length > 0,
    commit,
    replace,
    undo: undoStep,
    redo: redoStep,
    onNodeDragStart,
    onNodeDragStop,
  };
}
