import { type JourneyGraph, JourneySettingsSchema, validateGraph } from '@siyu/shared';
import { sampleRegistry, split } from '@siyu/shared/testing';
import { describe, expect, it } from 'vitest';
import { type FlowEdge, type FlowNode, flowToGraph, graphToFlow, INPUT_HANDLE, portsOf } from './flow-graph.ts';

const settings = JourneySettingsSchema.parse({});

const graph: JourneyGraph = {
  schemaVersion: 1,
  nodes: [
    {
      id: 'entry',
      type: 'sample.eventEntry',
      typeVersion: 1,
      config: { event: 'order.placed' },
      position: { x: 0, y: 0 },
    },
    {
      id: 'split',
      type: 'sample.split',
      typeVersion: 1,
      label: '试验',
      config: split.defaultConfig,
      position: { x: 300, y: 0 },
    },
    { id: 'exitA', type: 'sample.exit', typeVersion: 1, config: {}, position: { x: 600, y: -100 } },
    { id: 'exitB', type: 'sample.exit', typeVersion: 1, config: {}, position: { x: 600, y: 100 } },
  ],
  edges: [
    { id: 'e1', source: 'entry', sourcePort: 'next', target: 'split' },
    { id: 'e2', source: 'split', sourcePort: 'a', target: 'exitA' },
    { id: 'e3', source: 'split', sourcePort: 'b', target: 'exitB' },
  ],
  settings,
};

describe('graph ⇄ canvas conversion', () => {
  it('round-trips a graph unchanged', () => {
    const { nodes, edges } = graphToFlow(graph);
    const back = flowToGraph(nodes, edges, settings);
    expect(back.errors).toEqual([]);
    expect(back.graph).toEqual(graph);
    expect(validateGraph(back.graph, sampleRegistry)).toEqual([]);
  });

  it('maps ports to source handles and every target to the input handle', () => {
    const { edges } = graphToFlow(graph);
    expect(edges[1]).toMatchObject({ source: 'split', sourceHandle: 'a', target: 'exitA', targetHandle: INPUT_HANDLE });
  });

  it('reports an edge without a port with its node id and leaves it out', () => {
    const { nodes, edges } = graphToFlow(graph);
    const broken: FlowEdge[] = [...edges, { id: 'x', source: 'exitA', target: 'exitB', sourceHandle: null }];
    const result = flowToGraph(nodes, broken, settings);
    expect(result.errors).toEqual([expect.objectContaining({ nodeId: 'exitA', edgeId: 'x' })]);
    expect(result.graph.edges).toHaveLength(3);
  });

  it('reports a node id the graph schema rejects, names it, and keeps the rest', () => {
    const { nodes, edges } = graphToFlow(graph);
    const bad: FlowNode = { ...nodes[2]!, id: 'has space' };
    const result = flowToGraph([...nodes, bad], edges, settings);
    expect(result.errors[0]?.nodeId).toBe('has space');
    expect(result.graph.nodes.map((n) => n.id)).toEqual(['entry', 'split', 'exitA', 'exitB']);
  });

  it('reports an edge to a node that is gone', () => {
    const { nodes, edges } = graphToFlow(graph);
    const result = flowToGraph(nodes.slice(0, 3), edges, settings);
    expect(result.errors).toEqual([expect.objectContaining({ nodeId: 'split', edgeId: 'e3' })]);
  });

  it('derives ports from config, and none when a config-dependent config is invalid', () => {
    expect(portsOf(split, split.defaultConfig).map((p) => p.id)).toEqual(['a', 'b']);
    expect(portsOf(split, { variants: [] })).toEqual([]);
  });
});
