// The editor's build-time node package discovery: a virtual module listing the browser entries of
// every node package the runtime's finder finds (workspace folders and the deployment's npm
// dependencies; packages/runtime/src/node-packages/package-finder.ts). The runtime loads from the same
// list at start-up, so the palette and the engine know the same packages.
import type { NodePackageLocations } from '@siyu/runtime/node-package-finder';
import type { Plugin } from 'vite';

export const NODE_PACKAGES_MODULE = 'virtual:siyu-node-packages';
const RESOLVED = `\0${NODE_PACKAGES_MODULE}`;

type Finder = typeof import('@siyu/runtime/node-package-finder');

/**
 * The finder is TypeScript in a workspace package, which Vite's config loader leaves to Node
 * (it externalises every bare import) and Node 20 cannot run; tsx loads it (and @siyu/shared
 * behind it) the way `pnpm start` runs the runtime.
 */
async function loadFinder(): Promise<Finder> {
  const { tsImport } = await import('tsx/esm/api');
  return (await tsImport('@siyu/runtime/node-package-finder', import.meta.url)) as Finder;
}

/** `locations` only differs in tests (a scratch workspace); `vite build` uses the finder's defaults. */
export function nodePackagesPlugin(locations?: NodePackageLocations): Plugin {
  return {
    name: 'siyu-node-packages',
    resolveId: (id) => (id === NODE_PACKAGES_MODULE ? RESOLVED : undefined),
    async load(id) {
      if (id !== RESOLVED) return undefined;
      const finder = await loadFinder();
      const found = finder.findNodePackages(locations ?? finder.DEFAULT_NODE_PACKAGE_LOCATIONS);
      // What the runtime leaves out for a bad package.json is left out here too, with the same words.
      for (const p of found.problems) this.warn(`node package ${p.package} not loaded: ${p.message}`);
      for (const p of found.skipped) this.warn(`node package ${p.package} skipped: ${p.message}`);
      const imports = found.packages.map((p, i) => `import * as m${i} from ${JSON.stringify(p.browserEntry)};`);
      const entries = found.packages.map((p, i) => `{ source: ${JSON.stringify(p.source)}, module: m${i} }`);
      return `${imports.join('\n')}\nexport default [${entries.join(', ')}];\n`;
    },
  };
}
