// Every examples/*/journey.json is a template `pnpm start` loads: it must parse as the loader's
// file format and validate against the runtime's node registry with no problem at all.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createNodeRegistryForRuntime } from '@siyu/runtime';
import { parseJourneyGraph, validateGraph } from '@siyu/shared';
import { describe, expect, it } from 'vitest';
import { EXAMPLES_DIR } from './playbook.ts';

const PLAYBOOKS = ['circle-layers', 'new-contact-reception', 'package-card', 'repurchase-cycle', 'sms-recall'];

const withJourney = readdirSync(EXAMPLES_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(EXAMPLES_DIR, d.name, 'journey.json')))
  .map((d) => d.name)
  .sort();

describe('example journeys', () => {
  it('the five playbooks are there', () => {
    expect(withJourney).toEqual(expect.arrayContaining(PLAYBOOKS));
  });

  it.each(withJourney)('%s/journey.json validates against the runtime registry', (folder) => {
    const file = JSON.parse(readFileSync(join(EXAMPLES_DIR, folder, 'journey.json'), 'utf8')) as {
      name?: unknown;
      description?: unknown;
      graph: unknown;
    };
    expect(typeof file.name).toBe('string');
    expect(typeof file.description).toBe('string');
    const graph = parseJourneyGraph(file.graph);
    const problems = validateGraph(graph, createNodeRegistryForRuntime());
    expect(problems.map((p) => `${p.nodeId ?? ''} ${p.path ?? ''} ${p.message.en}`)).toEqual([]);
    // Laid out left to right: every edge goes rightwards, and no two nodes share a position.
    const x = new Map(graph.nodes.map((n) => [n.id, n.position.x]));
    for (const edge of graph.edges) expect(x.get(edge.target)!, edge.id).toBeGreaterThan(x.get(edge.source)!);
    const spots = new Set(graph.nodes.map((n) => `${n.position.x},${n.position.y}`));
    expect(spots.size).toBe(graph.nodes.length);
    // zh-CN labels on every node, so the canvas reads in Chinese.
    for (const node of graph.nodes) expect(node.label ?? '', node.id).toMatch(/[\u4e00-\u9fff]/);
  });
});
