import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Loads now and again every `intervalMs` while mounted (and while `enabled`): live pages (the
 * sandbox inbox, node counts, a node's customers) refresh without a reload. A failed poll keeps
 * the last value and reports the error; the next poll retries. `reload` loads at once.
 */
export function usePolling<T>(
  load: () => Promise<T>,
  intervalMs: number,
  deps: readonly unknown[],
  enabled = true,
): { data: T | undefined; error: string; reload: () => void } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState('');
  const loadRef = useRef(load);
  loadRef.current = load;
  const generation = useRef(0);
  const run = useCallback(() => {
    const mine = generation.current;
    loadRef.current().then(
      (value) => {
        if (mine !== generation.current) return;
        setData(value);
        setError('');
      },
      (e: Error) => {
        if (mine === generation.current) setError(e.message);
      },
    );
  }, []);
  // The caller's deps decide when to start over.
  useEffect(() => {
    generation.current++;
    if (!enabled) return;
    run();
    const timer = setInterval(run, intervalMs);
    return () => {
      generation.current++;
      clearInterval(timer);
    };
  }, [...deps, enabled, intervalMs, run]);
  return { data, error, reload: run };
}
