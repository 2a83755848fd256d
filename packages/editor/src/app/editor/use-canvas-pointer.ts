import type { ReactFlowInstance } from '@xyflow/react';
import { useCallback, useMemo, useRef } from 'react';
import type { FlowEdge, FlowNode } from '../../model/flow-graph.ts';

/**
 * Where the mouse is over the canvas, so a paste lands there. `track` goes on the canvas element;
 * `flowPoint` is the last position in flow coordinates, undefined once the mouse has left.
 */
export function useCanvasPointer(flow: ReactFlowInstance<FlowNode, FlowEdge>) {
  const last = useRef<{ x: number; y: number } | undefined>(undefined);
  const track = useMemo(
    () => ({
      onMouseMove: (e: React.MouseEvent) => {
        last.current = { x: e.clientX, y: e.clientY };
      },
      onMouseLeave: () => {
        last.current = undefined;
      },
    }),
    [],
  );
  const flowPoint = useCallback(() => (last.current ? flow.screenToFlowPosition(last.current) : undefined), [flow]);
  return { track, flowPoint };
}
