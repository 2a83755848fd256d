import { BaseEdge, EdgeLabelRenderer, type EdgeProps, getBezierPath } from '@xyflow/react';
import { useState } from 'react';
import { useEditor } from '../app/editor-context.ts';
import { useLocale } from '../app/i18n.ts';
import { edgeMark } from '../model/overlay.ts';
import { iconFor } from './icons.ts';

/**
 * An edge with a "+" in the middle that inserts a node between its two ends. The "+" is a faint dot
 * until the edge is hovered or selected, then a button at least 24 px across on screen at any zoom
 * (styles/editor.css scales it by `--canvas-zoom`, see ZoomVariable.tsx).
 */
export function InsertableEdge(props: EdgeProps) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, markerEnd, style, selected } = props;
  const { registry, insertOnEdge, overlay, readOnly } = useEditor();
  const { loc, t } = useLocale();
  const [open, setOpen] = useState(false);
  const [hovered, setHovered] = useState(false);
  const hover = { onMouseEnter: () => setHovered(true), onMouseLeave: () => setHovered(false) };
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const candidates = registry.list().filter((d) => !d.entry);
  const mark = edgeMark(overlay, { source: props.source, sourceHandle: props.sourceHandleId, target: props.target });
  return (
    <>
      <g {...hover}>
        <BaseEdge
          id={id}
          path={path}
          markerEnd={markerEnd}
          className={mark?.className}
          style={{ ...style, stroke: selected ? '#2563eb' : undefined }}
          interactionWidth={24}
        />
      </g>
      <EdgeLabelRenderer>
        {mark?.label && (
          <div
            className={`edge-label ${mark.className ?? ''}`}
            data-testid="edge-label"
            style={{ transform: `translate(-50%, -130%) translate(${labelX}px,${labelY}px)` }}
          >
            {mark.label}
          </div>
        )}
        {!readOnly && (
          <div
            {...hover}
            className={`edge-plus nodrag nopan${hovered || selected || open ? ' edge-plus-shown' : ''}`}
            data-testid="edge-plus"
            style={{
              transform: `translate(-50%, -50%) translate(${labelX}px,${labelY}px) scale(var(--edge-plus-scale, 1))`,
            }}
          >
            <button
              type="button"
              title={t('canvas:insertableEdge.insertANodeHere')}
              aria-label={t('canvas:insertableEdge.insertANodeHere')}
              onClick={() => setOpen((o) => !o)}
            >
              +
            </button>
            {open && (
              <div className="edge-menu">
                {candidates.map((d) => (
                  <button
                    type="button"
                    key={d.type}
                    data-node-type={d.type}
                    onClick={() => {
                      setOpen(false);
                      insertOnEdge(
                        { id, source: props.source, target: props.target, sourceHandle: props.sourceHandleId },
                        d.type,
                      );
                    }}
                  >
                    {iconFor(d.icon, d.category)} {loc(d.label)}
                  </button>
                ))}
              </div>
            )}
          </div>
        )}
      </EdgeLabelRenderer>
    </>
  );
}
