import {
  type JourneyGraph,
  type LocalizedText,
  migrateNodeConfig,
  type NodeRegistry,
  outputsOf,
  t,
} from '@siyu/shared';
import type { AppDatabase } from '../db/app-database.ts';

/** A node and the port it left by, as the canvas shows them (never the node id or port key alone). */
export interface NodeWords {
  nodeTitle: LocalizedText | null;
  portLabel: LocalizedText | null;
}

type Lookup = (versionId: string | null | undefined, nodeId: string | null, port?: string | null) => NodeWords;

/**
 * Words for the nodes of the given journey versions: the operator's name for a node (else its
 * type's name) and its ports' labels. A node or port not found (a version deleted, a package gone)
 * has null words, and the page says so in its own words.
 */
export async function nodeWordsFor(db: AppDatabase, registry: NodeRegistry, versionIds: string[]): Promise<Lookup> {
  const ids = [...new Set(versionIds)];
  const versions = ids.length
    ? await db.prisma.journeyVersion.findMany({ where: { id: { in: ids } }, select: { id: true, graph: true } })
    : [];
  const graphs = new Map(versions.map((v) => [v.id, JSON.parse(v.graph) as JourneyGraph]));
  return (versionId, nodeId, port) => {
    const node = versionId && nodeId ? graphs.get(versionId)?.nodes.find((n) => n.id === nodeId) : undefined;
    if (!node) return { nodeTitle: null, portLabel: null };
    const definition = registry.get(node.type);
    const nodeTitle = node.label ? t(node.label, node.label) : (definition?.label ?? null);
    let portLabel: LocalizedText | null = null;
    if (port && definition) {
      try {
        const { config } = migrateNodeConfig(definition, node);
        portLabel = outputsOf(definition, definition.config.parse(config)).find((p) => p.id === port)?.label ?? null;
      } catch {
        // A config that no longer parses: the port has no label to give.
      }
    }
    return { nodeTitle, portLabel };
  };
}
