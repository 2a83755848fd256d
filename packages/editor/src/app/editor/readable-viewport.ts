// Where "fit the view" puts the camera. Fitting a whole journey into the window made templates open
// at ~31 % with unreadable text; the fit never zooms below READABLE_ZOOM and, when the journey is
// larger than the window at that zoom, shows its start (the entry nodes, top-left) so the user pans
// from there, as one reads a flow chart.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

export interface FitRequest {
  /** Every node's box in flow units. */
  nodes: readonly Rect[];
  /** Where the journey starts (its entry nodes); the whole journey when empty. */
  start: readonly Rect[];
  /** The canvas's size on screen, in pixels. */
  width: number;
  height: number;
  /** Space kept free at the canvas's edges, in pixels. */
  padding: number;
  minZoom: number;
  maxZoom: number;
}

function boundsOf(rects: readonly Rect[]): Rect {
  const left = Math.min(...rects.map((r) => r.x));
  const top = Math.min(...rects.map((r) => r.y));
  const right = Math.max(...rects.map((r) => r.x + r.width));
  const bottom = Math.max(...rects.map((r) => r.y + r.height));
  return { x: left, y: top, width: right - left, height: bottom - top };
}

const clamp = (value: number, low: number, high: number) => Math.max(low, Math.min(high, value));

/**
 * The viewport that shows the whole journey when it fits at a readable zoom (centred, at most
 * `maxZoom`), else the journey's start at `minZoom`: entry nodes at the left edge, vertically as
 * much of the journey around them as fits, never scrolled past the journey's top.
 * Undefined when there is nothing to fit or the canvas has no size yet.
 */
export function readableViewport(request: FitRequest): Viewport | undefined {
  const { nodes, width, height, padding, minZoom, maxZoom } = request;
  const innerWidth = width - 2 * padding;
  const innerHeight = height - 2 * padding;
  if (nodes.length === 0 || innerWidth <= 0 || innerHeight <= 0) return undefined;
  const all = boundsOf(nodes);
  const fitZoom = Math.min(innerWidth / Math.max(all.width, 1), innerHeight / Math.max(all.height, 1), maxZoom);
  const zoom = Math.max(fitZoom, minZoom);
  const visibleWidth = innerWidth / zoom;
  const visibleHeight = innerHeight / zoom;
  const start = boundsOf(request.start.length > 0 ? request.start : nodes);
  // Flow coordinates shown at the padded top-left corner.
  const left = all.width <= visibleWidth ? all.x - (visibleWidth - all.width) / 2 : start.x;
  const top =
    all.height <= visibleHeight
      ? all.y - (visibleHeight - all.height) / 2
      : Math.min(
          start.y,
          clamp(start.y + start.height / 2 - visibleHeight / 2, all.y, all.y + all.height - visibleHeight),
        );
  return { zoom, x: padding - left * zoom, y: padding - top * zoom };
}
