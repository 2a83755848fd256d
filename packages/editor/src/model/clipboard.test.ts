import { describe, expect, it } from 'vitest';
import { copyFragment, instantiateFragment, parseFragment } from './clipboard.ts';

const a = { id: 'a', type: 'fx.entry', typeVersion: 1, config: { event: 'x' }, position: { x: 0, y: 0 } };
const b = { id: 'b', type: 'fx.exit', typeVersion: 1, config: {}, position: { x: 100, y: 0 } };
const edges = [
  { id: 'ab', source: 'a', sourcePort: 'next', target: 'b' },
  { id: 'ac', source: 'a', sourcePort: 'next', target: 'c' },
];

describe('clipboard fragments', () => {
  it('keeps only edges inside the selection', () => {
    expect(copyFragment([a, b], edges).edges.map((e) => e.id)).toEqual(['ab']);
  });

  it('survives JSON text (paste into another journey) and rejects other text', () => {
    const text = JSON.stringify(copyFragment([a, b], edges));
    expect(parseFragment(text)?.nodes).toHaveLength(2);
    expect(parseFragment('hello')).toBeUndefined();
    expect(parseFragment('{"kind":"other"}')).toBeUndefined();
  });

  it('gives pasted nodes fresh ids, rewires edges and shifts positions', () => {
    const pasted = instantiateFragment(copyFragment([a, b], edges), { x: 40, y: 40 });
    const [na, nb] = pasted.nodes;
    expect(na?.id).not.toBe('a');
    expect(nb?.position).toEqual({ x: 140, y: 40 });
    expect(pasted.edges).toEqual([expect.objectContaining({ source: na?.id, target: nb?.id, sourcePort: 'next' })]);
    expect(a.config).toEqual({ event: 'x' });
  });
});
