import { describe, expect, it } from 'vitest';
import { diffOverlay, edgeMark, edgeShares, pathOverlay } from './overlay.ts';

describe('canvas overlays', () => {
  it('labels each edge with its share of the source node’s departures', () => {
    const marks = edgeShares(
      [
        { source: 'branch', port: 'vip', target: 'a', count: 1 },
        { source: 'branch', port: 'else', target: 'b', count: 3 },
        { source: 'entry', port: '', target: 'branch', count: 4 },
      ],
      (share, count) => `${Math.round(share * 100)}% (${count})`,
    );
    const overlay = { nodes: new Map(), edges: marks };
    expect(edgeMark(overlay, { source: 'branch', sourceHandle: 'vip', target: 'a' })?.label).toBe('25% (1)');
    expect(edgeMark(overlay, { source: 'branch', sourceHandle: 'else', target: 'b' })?.label).toBe('75% (3)');
    // No port in the step log: found by its two ends.
    expect(edgeMark(overlay, { source: 'entry', sourceHandle: 'next', target: 'branch' })?.label).toBe('100% (4)');
    expect(edgeMark(overlay, { source: 'a', sourceHandle: 'next', target: 'b' })).toBeUndefined();
  });

  it('numbers the moves of a simulated run and marks the current node', () => {
    const overlay = pathOverlay(
      [
        { kind: 'enter', nodeId: 'entry', fromNodeId: null, port: null },
        { kind: 'move', nodeId: 'hello', fromNodeId: 'entry', port: null },
        { kind: 'effect', nodeId: 'hello', fromNodeId: null, port: null },
        { kind: 'move', nodeId: 'wait', fromNodeId: 'hello', port: 'sent' },
      ],
      'wait',
    );
    expect([...overlay.nodes]).toEqual([
      ['entry', 'on-path'],
      ['hello', 'on-path'],
      ['wait', 'on-path current'],
    ]);
    expect(edgeMark(overlay, { source: 'entry', sourceHandle: 'next', target: 'hello' })?.label).toBe('1');
    expect(edgeMark(overlay, { source: 'hello', sourceHandle: 'sent', target: 'wait' })?.label).toBe('2');
    expect(edgeMark(overlay, { source: 'hello', sourceHandle: 'failed', target: 'x' })).toBeUndefined();
  });

  it('colours a version diff', () => {
    const e = (source: string, sourcePort: string, target: string) => ({ source, sourcePort, target });
    const overlay = diffOverlay({
      addedNodes: [{ id: 'n' }],
      removedNodes: [{ id: 'o' }],
      changedNodes: [{ id: 'c' }],
      movedNodes: ['m'],
      addedEdges: [e('c', 'next', 'n')],
      removedEdges: [e('c', 'next', 'o')],
    });
    expect(Object.fromEntries(overlay.nodes)).toEqual({
      n: 'diff-added',
      o: 'diff-removed',
      c: 'diff-changed',
      m: 'diff-moved',
    });
    expect(edgeMark(overlay, { source: 'c', sourceHandle: 'next', target: 'n' })?.className).toBe('edge-added');
  });
});
