import { useCallback, useState } from 'react';

/** Remembered per browser: a marketer who folds the inspector away for a big canvas keeps it folded. */
const KEY = 'siyu.inspectorCollapsed';

/** Whether the inspector is folded away (the canvas takes its width); `toggle` folds or unfolds it, `expand` unfolds it. */
export function useInspectorCollapsed() {
  const [collapsed, setCollapsed] = useState(() => localStorage.getItem(KEY) === '1');
  const remember = useCallback((next: boolean) => {
    localStorage.setItem(KEY, next ? '1' : '0');
    setCollapsed(next);
  }, []);
  const toggle = useCallback(() => remember(!collapsed), [remember, collapsed]);
  const expand = useCallback(() => remember(false), [remember]);
  return { collapsed, toggle, expand };
}
