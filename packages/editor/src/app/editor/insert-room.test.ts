import { describe, expect, it } from 'vitest';
import { INSERT_GAP, type Placed, placeOnEdge } from './insert-room.ts';

const card = (id: string, x: number, y: number): Placed => ({ id, x, y, width: 260, height: 120 });
const size = { width: 260, height: 120 };
const overlaps = (a: { x: number; y: number }, b: { x: number; y: number }) =>
  Math.abs(a.x - b.x) < 260 && Math.abs(a.y - b.y) < 120;

describe('placeOnEdge', () => {
  it('moves the target and what follows it right, so the new node overlaps nothing', () => {
    // entry → wait → exit, 90 apart (auto-layout), plus a branch off the wait below.
    const nodes = [card('entry', 0, 0), card('wait', 350, 0), card('exit', 700, 0), card('side', 700, 200)];
    const edges = [
      { source: 'entry', target: 'wait' },
      { source: 'wait', target: 'exit' },
      { source: 'wait', target: 'side' },
    ];
    const placed = placeOnEdge(nodes, edges, { source: 'entry', target: 'wait' }, size);
    expect(placed?.position).toEqual({ x: 260 + INSERT_GAP, y: 0 });
    const after = nodes.map((n) => placed?.moved.get(n.id) ?? n);
    expect(placed?.moved.get('entry')).toBeUndefined();
    expect(placed?.moved.get('side')?.x).toBeGreaterThan(700);
    const boxes = [...after, placed!.position];
    for (const [i, a] of boxes.entries()) for (const b of boxes.slice(i + 1)) expect(overlaps(a, b)).toBe(false);
  });

  it('uses the space there is without moving anything', () => {
    const nodes = [card('a', 0, 0), card('b', 1000, 0)];
    const placed = placeOnEdge(nodes, [{ source: 'a', target: 'b' }], { source: 'a', target: 'b' }, size);
    expect(placed?.moved.size).toBe(0);
    expect(placed?.position.x).toBe(500);
  });

  it('leaves a loop back to an earlier node where it is', () => {
    const nodes = [card('a', 0, 0), card('b', 350, 0)];
    const edges = [
      { source: 'a', target: 'b' },
      { source: 'b', target: 'a' },
    ];
    const placed = placeOnEdge(nodes, edges, { source: 'b', target: 'a' }, size);
    expect(placed?.moved.size).toBe(0);
  });
});
