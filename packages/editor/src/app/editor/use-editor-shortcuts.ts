import { useEffect } from 'react';
import { removeSelected, selectAll } from './doc.ts';
import type { DocEdit } from './use-doc-history.ts';

export interface ShortcutActions {
  undo: () => void;
  redo: () => void;
  copySelection: () => Promise<void>;
  paste: () => Promise<void>;
  commit: (edit: DocEdit) => void;
  replace: (edit: DocEdit) => void;
  layout: () => Promise<void>;
  fitView: () => void;
}

/**
 * Ctrl/⌘+Z undo, Ctrl/⌘+Y or Shift+Z redo, C copy, V paste, D duplicate, A select all; Delete or
 * Backspace removes the selection (React Flow's own delete key is off so this is one undo step);
 * Shift+L auto-layout, Shift+1 fit view. Ignored while typing in a form field.
 */
export function useEditorShortcuts(actions: ShortcutActions) {
  const { undo, redo, copySelection, paste, commit, replace, layout, fitView } = actions;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement;
      if (el.closest('input, textarea, select, [contenteditable]')) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 'z' && !e.shiftKey) undo();
      else if (mod && (key === 'y' || (key === 'z' && e.shiftKey))) redo();
      else if (mod && key === 'c') void copySelection();
      else if (mod && key === 'v') void paste();
      else if (key === 'delete' || key === 'backspace') commit(removeSelected);
      else if (mod && key === 'a') replace(selectAll);
      else if (mod && key === 'd') {
        void copySelection().then(paste);
      } else if (e.shiftKey && key === 'l') void layout();
      // Shift+1 types "!" (or another sign on other layouts): the key's code is the same everywhere.
      else if (e.shiftKey && (key === '1' || e.code === 'Digit1')) fitView();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undo, redo, copySelection, paste, replace, commit, layout, fitView]);
}
