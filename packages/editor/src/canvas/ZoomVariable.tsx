import { useStore, useStoreApi } from '@xyflow/react';
import { useEffect } from 'react';

/**
 * Publishes the canvas zoom as the CSS variable `--canvas-zoom` on the React Flow element, so
 * controls drawn in flow units (the edge "+") can keep a constant size on screen when zoomed out
 * without re-rendering every edge on each zoom step. Render inside <ReactFlow>.
 */
export function ZoomVariable() {
  const zoom = useStore((s) => s.transform[2]);
  const store = useStoreApi();
  useEffect(() => {
    store.getState().domNode?.style.setProperty('--canvas-zoom', String(zoom));
  }, [zoom, store]);
  return null;
}
