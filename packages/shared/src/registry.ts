import type { AnyNodeDefinition, NodeCategory, NodePackage } from './node-sdk.ts';

/** The node types a journey may use: built from packages, looked up by type. */
export interface NodeRegistry {
  get(type: string): AnyNodeDefinition | undefined;
  list(): AnyNodeDefinition[];
  byCategory(category: NodeCategory): AnyNodeDefinition[];
  packages: readonly NodePackage[];
}

export function createNodeRegistry(packages: readonly NodePackage[]): NodeRegistry {
  const byType = new Map<string, AnyNodeDefinition>();
  for (const pkg of packages) {
    for (const node of pkg.nodes) {
      const existing = byType.get(node.type);
      if (existing) {
        throw new Error(`node type "${node.type}" is defined twice (second time in package "${pkg.name}")`);
      }
      byType.set(node.type, node);
    }
  }
  const all = [...byType.values()];
  return {
    get: (type) => byType.get(type),
    list: () => all,
    byCategory: (category) => all.filter((n) => n.category === category),
    packages,
  };
}
