import type { z } from 'zod';
import type { JourneyGraphInput } from './graph.ts';
import { migrateNodeConfig } from './migrate.ts';
import type { AnyNodeDefinition } from './node-sdk.ts';

/**
 * Test helpers for a node package's config migrations. A package that bumps a node's `version`
 * proves its migration by writing configs and graphs as they were saved at the old version and
 * checking what the runtime will make of them (the runtime upgrades on load and on publish).
 */

/**
 * The graph as it was saved when `types` were at the given versions: every node of such a type
 * gets that `typeVersion` (configs are taken as given, i.e. already in the old shape).
 *
 * @example
 * const saved = graphAtTypeVersions(graph, { 'lottery.draw': 1 });
 */
export function graphAtTypeVersions(
  graph: JourneyGraphInput,
  types: Readonly<Record<string, number>>,
): JourneyGraphInput {
  return {
    ...graph,
    nodes: graph.nodes.map((node) => {
      const version = types[node.type];
      return version === undefined ? node : { ...node, typeVersion: version };
    }),
  };
}

/**
 * Runs `definition`'s migrations on a config saved at `fromVersion` and parses the result with the
 * current schema, the way the compiler does. Throws naming the node type and the versions when a
 * step is missing or the upgraded config does not fit the schema.
 *
 * @example
 * expect(migrateConfigFrom(draw, 1, { prize: '券' })).toEqual({ prizes: [{ name: '券', weight: 1 }] });
 */
export function migrateConfigFrom<D extends AnyNodeDefinition>(
  definition: D,
  fromVersion: number,
  config: Record<string, unknown>,
): z.output<D['config']> {
  const node = migrateNodeConfig(definition, {
    id: 'migrated',
    type: definition.type,
    typeVersion: fromVersion,
    config,
    position: { x: 0, y: 0 },
  });
  const parsed = definition.config.safeParse(node.config);
  if (!parsed.success) {
    throw new Error(
      `${definition.type} v${fromVersion} → v${definition.version}: the upgraded config does not fit the schema: ${parsed.error.message}`,
    );
  }
  return parsed.data;
}
