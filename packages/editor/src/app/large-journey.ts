import { type JourneyGraph, JourneyGraphSchema, type NodeRegistry, outputsOf } from '@siyu/shared';

/** A long generated journey (chains of non-entry nodes after one entry) for performance checks. */
export function largeJourney(registry: NodeRegistry, size: number): JourneyGraph {
  const entry = registry.list().find((d) => d.entry);
  const steps = registry.list().filter((d) => {
    const parsed = d.config.safeParse(d.defaultConfig);
    return !d.entry && parsed.success && outputsOf(d, parsed.data).length > 0;
  });
  if (!entry || steps.length === 0) return JourneyGraphSchema.parse({ nodes: [], edges: [] });
  const nodes: JourneyGraph['nodes'] = [
    {
      id: 'n0',
      type: entry.type,
      typeVersion: entry.version,
      config: structuredClone(entry.defaultConfig),
      position: { x: 0, y: 0 },
    },
  ];
  const edges: JourneyGraph['edges'] = [];
  const perRow = 20;
  for (let i = 1; i < size; i++) {
    const def = steps[i % steps.length]!;
    nodes.push({
      id: `n${i}`,
      type: def.type,
      typeVersion: def.version,
      config: structuredClone(def.defaultConfig),
      position: { x: (i % perRow) * 300, y: Math.floor(i / perRow) * 200 },
    });
    const prev = nodes[i - 1]!;
    const prevDef = registry.get(prev.type)!;
    const parsed = prevDef.config.safeParse(prev.config);
    const port = parsed.success ? outputsOf(prevDef, parsed.data)[0] : undefined;
    if (port) edges.push({ id: `e${i}`, source: prev.id, sourcePort: port.id, target: `n${i}` });
  }
  return JourneyGraphSchema.parse({ nodes, edges });
}
