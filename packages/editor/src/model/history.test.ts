import { describe, expect, it } from 'vitest';
import { createHistory, record, redo, undo } from './history.ts';

describe('undo/redo history', () => {
  it('undoes and redoes in order, and a new edit drops the redo branch', () => {
    let h = createHistory(1);
    h = record(h, 2);
    h = record(h, 3);
    h = undo(h);
    expect(h.present).toBe(2);
    h = undo(h);
    expect(h.present).toBe(1);
    expect(undo(h)).toBe(h);
    h = redo(h);
    expect(h.present).toBe(2);
    h = record(h, 9);
    expect(h.future).toEqual([]);
    expect(redo(h)).toBe(h);
    expect(undo(h).present).toBe(2);
  });
});
