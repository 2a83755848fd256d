import type { Logger } from '../logger.ts';
import { type DiscoveredPackage, discoverNodePackages } from '../node-packages/discovery.ts';
import { assembleExtensions } from '../node-packages/extension-assembly.ts';
import { DEFAULT_NODE_PACKAGE_LOCATIONS, type NodePackageLocations } from '../node-packages/package-finder.ts';
import { BUILT_IN_PACKAGES, createNodeRegistryForRuntime, createServerPackages } from '../node-packages/registry.ts';
import type { NodesFor } from './assemble.ts';

/**
 * Finds the marked node packages in the workspace folders and among the deployment's dependencies
 * (see node-packages/package-finder.ts; the editor's build looks at the same places). Broken ones are logged as
 * errors naming the package and what is wrong, and left out: the product still starts.
 */
export async function discoverRuntimeNodePackages(
  logger: Logger,
  locations: NodePackageLocations = DEFAULT_NODE_PACKAGE_LOCATIONS,
): Promise<DiscoveredPackage[]> {
  const { packages, problems, skipped } = await discoverNodePackages({ locations, builtIn: BUILT_IN_PACKAGES });
  for (const p of problems) logger.error(p, `node package ${p.package} not loaded: ${p.message}`);
  for (const p of skipped) logger.warn(p, `node package ${p.package} skipped: ${p.message}`);
  if (packages.length) {
    logger.info({ nodePackages: packages.map((p) => `${p.name} (${p.nodePackage.name})`) }, 'node packages discovered');
  }
  return packages;
}

/**
 * The node assembly `pnpm start` and the CLI use: the built-in packages from src/node-packages/registry.ts,
 * their server halves over the given database, plus the discovered packages (pass what
 * discoverRuntimeNodePackages found) with their generic extension services over the same database.
 */
export function runtimeNodes(logger: Logger, discovered: readonly DiscoveredPackage[] = []): NodesFor {
  return (db, clock, options) => {
    const credentials = options?.credentials;
    const extensions = assembleExtensions(discovered, { db, clock, logger, sandbox: options?.sandbox, credentials });
    for (const p of extensions.problems) logger.error(p, `node package ${p.package} not loaded: ${p.message}`);
    return {
      registry: createNodeRegistryForRuntime(extensions.nodePackages),
      serverPackages: createServerPackages(
        { db, clock, logger, sandbox: options?.sandbox, credentials },
        extensions.serverPackages,
      ),
    };
  };
}
