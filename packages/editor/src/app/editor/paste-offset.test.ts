import { describe, expect, it } from 'vitest';
import { PASTE_STEP, pasteOffset } from './paste-offset.ts';

describe('pasteOffset', () => {
  const copied = [
    { x: 100, y: 50 },
    { x: 400, y: 50 },
  ];

  it("puts the copy's top-left corner at the mouse", () => {
    expect(pasteOffset(copied, copied, { x: 700, y: 500 })).toEqual({ x: 600, y: 450 });
  });

  it('never stacks copies exactly: each paste without a mouse steps further', () => {
    const existing = [...copied];
    for (let i = 1; i <= 3; i++) {
      const o = pasteOffset(copied, existing);
      expect(o).toEqual({ x: PASTE_STEP * i, y: PASTE_STEP * i });
      existing.push(...copied.map((c) => ({ x: c.x + o.x, y: c.y + o.y })));
    }
  });

  it('steps aside when pasting twice at the same mouse position', () => {
    const first = pasteOffset(copied, copied, { x: 700, y: 500 });
    const existing = [...copied, ...copied.map((c) => ({ x: c.x + first.x, y: c.y + first.y }))];
    expect(pasteOffset(copied, existing, { x: 700, y: 500 })).toEqual({ x: 600 + PASTE_STEP, y: 450 + PASTE_STEP });
  });
});
