import { useCallback, useState } from 'react';

/** Remembered per browser: a marketer who folds the inspector away for a big canvas keeps it folded. */
const KEY = 'siyu.inspectorCollapsed';

/** Whether the inspector is folded away (the canvas takes its width), and the toggle. */
export function useInspectorCollapsed(): [boolean, () => void] {
  const [collapsed, setCollapsed] = useState(() => localStorage.getItem(KEY) === '1');
  const toggle = useCallback(() => {
    setCollapsed((was) => {
      localStorage.setItem(KEY, was ? '0' : '1');
      return !was;
    });
  }, []);
  return [collapsed, toggle];
}
