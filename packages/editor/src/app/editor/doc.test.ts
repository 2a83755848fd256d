import { JourneySettingsSchema } from '@siyu/shared';
import { sampleRegistry } from '@siyu/shared/testing';
import { describe, expect, it } from 'vitest';
import type { FlowEdge, FlowNode } from '../../model/flow-graph.ts';
import { checkDoc, type Doc, docOf, removeSelected, selectAll } from './doc.ts';

const settings = JourneySettingsSchema.parse({});

function node(id: string, type: string, selected = false): FlowNode {
  return {
    id,
    type: 'journey',
    position: { x: 0, y: 0 },
    selected,
    data: { nodeType: type, typeVersion: 1, config: type === 'sample.eventEntry' ? { event: 'order.placed' } : {} },
  } as FlowNode;
}

function edge(source: string, target: string, selected = false): FlowEdge {
  return { id: `${source}-${target}`, source, sourceHandle: 'next', target, targetHandle: 'in', selected };
}

describe('the editor document', () => {
  it('deletes the selected nodes with their edges and the selected edges, in one step', () => {
    const doc: Doc = {
      nodes: [node('a', 'sample.eventEntry'), node('b', 'sample.wait', true), node('c', 'sample.exit')],
      edges: [edge('a', 'b'), edge('b', 'c'), edge('a', 'c', true)],
      settings,
    };
    const after = removeSelected(doc);
    expect(after.nodes.map((n) => n.id)).toEqual(['a', 'c']);
    expect(after.edges).toEqual([]);
  });

  it('leaves the doc itself when nothing is selected (no empty undo step)', () => {
    const doc: Doc = { nodes: [node('a', 'sample.eventEntry')], edges: [], settings };
    expect(removeSelected(doc)).toBe(doc);
    expect(selectAll(doc).nodes.every((n) => n.selected)).toBe(true);
  });

  it('round-trips a graph and reports its problems with node ids', () => {
    const doc: Doc = { nodes: [node('a', 'sample.eventEntry')], edges: [], settings };
    const { graph, problems } = checkDoc(doc, sampleRegistry);
    expect(graph.nodes.map((n) => n.id)).toEqual(['a']);
    expect(docOf(graph).nodes.map((n) => n.id)).toEqual(['a']);
    expect(docOf(graph).edges).toEqual([]);
    expect(Array.isArray(problems)).toBe(true);
  });
});
