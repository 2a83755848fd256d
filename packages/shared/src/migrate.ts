import type { JourneyGraph, JourneyNode } from './graph.ts';
import type { AnyNodeDefinition } from './node-sdk.ts';
import type { NodeRegistry } from './registry.ts';

/**
 * Upgrades a node's config to its definition's current version by running the named migrations in
 * order. Throws when a step is missing or the node is newer than the definition.
 */
export function migrateNodeConfig(definition: AnyNodeDefinition, node: JourneyNode): JourneyNode {
  if (node.typeVersion === definition.version) return node;
  if (node.typeVersion > definition.version) {
    throw new Error(
      `node "${node.id}" uses ${node.type} v${node.typeVersion}, newer than the installed v${definition.version}`,
    );
  }
  let config = node.config;
  for (let from = node.typeVersion; from < definition.version; from++) {
    const step = definition.migrations?.find((m) => m.from === from);
    if (!step) throw new Error(`node "${node.id}": no migration for ${node.type} from v${from} to v${from + 1}`);
    config = step.up(config);
  }
  return { ...node, typeVersion: definition.version, config };
}

/** Upgrades every node whose type is known; unknown types are left for validation to report. */
export function migrateGraph(graph: JourneyGraph, registry: NodeRegistry): JourneyGraph {
  return {
    ...graph,
    nodes: graph.nodes.map((node) => {
      const definition = registry.get(node.type);
      return definition ? migrateNodeConfig(definition, node) : node;
    }),
  };
}

/**
 * Upgrades what can be upgraded and leaves the rest as stored, for showing a saved draft: a node
 * whose migration is missing or throws keeps its old config, and validation reports it.
 */
export function migrateGraphLeniently(graph: JourneyGraph, registry: NodeRegistry): JourneyGraph {
  return {
    ...graph,
    nodes: graph.nodes.map((node) => {
      const definition = registry.get(node.type);
      if (!definition) return node;
      try {
        return migrateNodeConfig(definition, node);
      } catch {
        return node;
      }
    }),
  };
}
