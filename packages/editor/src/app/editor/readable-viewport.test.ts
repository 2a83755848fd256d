import { describe, expect, it } from 'vitest';
import { type Rect, readableViewport } from './readable-viewport.ts';

const card = (x: number, y: number): Rect => ({ x, y, width: 260, height: 120 });
const request = { width: 1000, height: 700, padding: 40, minZoom: 0.75, maxZoom: 1 };

describe('readableViewport', () => {
  it('centres a journey that fits, at most at 100 %', () => {
    const v = readableViewport({ ...request, nodes: [card(0, 0), card(400, 0)], start: [card(0, 0)] });
    expect(v?.zoom).toBe(1);
    // 660 wide, centred in 1000: 170 left and right.
    expect(v?.x).toBeCloseTo(170);
  });

  it('zooms out as far as the readable zoom to show everything', () => {
    const v = readableViewport({ ...request, nodes: [card(0, 0), card(900, 0)], start: [card(0, 0)] });
    expect(v?.zoom).toBeCloseTo(920 / 1160);
  });

  it('shows the start at the readable zoom when the journey is larger, never scrolled past its top', () => {
    const nodes = [
      card(0, 240),
      card(300, 0),
      card(300, 480),
      ...Array.from({ length: 8 }, (_, i) => card(600 + i * 300, 240)),
    ];
    const v = readableViewport({ ...request, nodes, start: [card(0, 240)] });
    expect(v?.zoom).toBe(0.75);
    // The entry's left edge at the padding.
    expect(v?.x).toBeCloseTo(40);
    // 600 high fits in (700 - 80) / 0.75: centred vertically.
    const tall = [...nodes, card(300, 2000)];
    const w = readableViewport({ ...request, nodes: tall, start: [card(0, 240)] });
    const top = (40 - (w?.y ?? 0)) / 0.75;
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThanOrEqual(240);
  });

  it('has nothing to fit on an empty canvas or one without a size', () => {
    expect(readableViewport({ ...request, nodes: [], start: [] })).toBeUndefined();
    expect(readableViewport({ ...request, width: 0, nodes: [card(0, 0)], start: [] })).toBeUndefined();
  });
});
