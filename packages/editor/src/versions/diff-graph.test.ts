import type { JourneyGraph } from '@siyu/shared';
import { describe, expect, it } from 'vitest';
import { unionGraph } from './diff-graph.ts';

const node = (id: string, x = 0) => ({ id, type: 't.x', typeVersion: 1, config: {}, position: { x, y: 0 } });
const edge = (source: string, target: string) => ({ id: `${source}-${target}`, source, sourcePort: 'next', target });
const graph = (nodes: string[], edges: [string, string][]) =>
  ({
    schemaVersion: 1,
    nodes: nodes.map((n) => node(n)),
    edges: edges.map(([a, b]) => edge(a, b)),
    settings: {},
  }) as unknown as JourneyGraph;

describe('diff union graph', () => {
  it('keeps the new version and adds back what was removed, with distinct edge ids', () => {
    const from = graph(
      ['a', 'b', 'old'],
      [
        ['a', 'old'],
        ['old', 'b'],
      ],
    );
    const to = graph(
      ['a', 'b', 'new'],
      [
        ['a', 'new'],
        ['new', 'b'],
      ],
    );
    const u = unionGraph(from, to);
    expect(u.nodes.map((n) => n.id)).toEqual(['a', 'b', 'new', 'old']);
    expect(u.edges.map((e) => e.id)).toEqual(['a-new', 'new-b', 'removed:a-old', 'removed:old-b']);
    // Nothing removed: the same graph.
    expect(unionGraph(to, to).edges).toHaveLength(2);
  });
});
