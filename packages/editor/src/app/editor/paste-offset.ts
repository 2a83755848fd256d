// Where pasted nodes go. Pasting always shifted copies by a fixed (60, 60), so pasting twice put the
// second copy exactly on the first. Now the copy's top-left corner goes to the mouse when it is over
// the canvas, and steps further down-right while a pasted node would sit exactly on an existing one.

type Point = { x: number; y: number };

/** How far each step moves a copy that would land on an existing node. */
export const PASTE_STEP = 40;
/** Two nodes closer than this are "on top of each other". */
const SAME_SPOT = 8;

/**
 * The offset to add to every copied node's position. `pointer` is the mouse in flow coordinates
 * (undefined when it is not over the canvas: the copy then lands one step from the original).
 */
export function pasteOffset(copied: readonly Point[], existing: readonly Point[], pointer?: Point): Point {
  if (copied.length === 0) return { x: 0, y: 0 };
  const left = Math.min(...copied.map((p) => p.x));
  const top = Math.min(...copied.map((p) => p.y));
  let offset = pointer ? { x: pointer.x - left, y: pointer.y - top } : { x: PASTE_STEP, y: PASTE_STEP };
  const stacked = (o: Point) =>
    copied.some((c) =>
      existing.some((e) => Math.abs(c.x + o.x - e.x) < SAME_SPOT && Math.abs(c.y + o.y - e.y) < SAME_SPOT),
    );
  // Bounded: each step moves past every node it could sit on.
  for (let i = 0; i <= existing.length && stacked(offset); i++) {
    offset = { x: offset.x + PASTE_STEP, y: offset.y + PASTE_STEP };
  }
  return offset;
}
