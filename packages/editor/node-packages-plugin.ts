// The editor's build-time node package discovery: a virtual module listing the browser entries of
// every node package the runtime's finder finds (workspace folders and the deployment's npm
// dependencies; packages/runtime/src/node-packages/package-finder.ts). The runtime loads from the same
// list at start-up, so the palette and the engine know the same packages.
//
// The virtual module imports each package by its npm name ("@siyu/nodes-core"), never by a path
// into its source: resolveId below sends that name to the file the package's own
// package.json exports as "." (read by the finder), the same entry Node resolves at run time. So
// examples/* packages, which the editor does not depend on, resolve the same way as the built-ins.
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
  /** npm name → its exports["."] file, for the imports the virtual module makes. */
  const entryByName = new Map<string, string>();
  return {
    name: 'siyu-node-packages',
    // Before Vite's own resolver, so a node package always resolves to what the finder found,
    // whether or not the editor itself depends on it.
    enforce: 'pre',
    resolveId(id, importer) {
      if (id === NODE_PACKAGES_MODULE) return RESOLVED;
      return importer === RESOLVED ? entryByName.get(id) : undefined;
    },
    async load(id) {
      if (id !== RESOLVED) return undefined;
      const finder = await loadFinder();
      const found = finder.findNodePackages(locations ?? finder.DEFAULT_NODE_PACKAGE_LOCATIONS);
      // What the runtime leaves out for a bad package.json is left out here too, with the same words.
      for (const p of found.problems) this.warn(`node package ${p.package} not loaded: ${p.message}`);
      for (const p of found.skipped) this.warn(`node package ${p.package} skipped: ${p.message}`);
      entryByName.clear();
      const specifiers = found.packages.map((p) => {
        // One npm name in two folders (a fork next to the original): the second is imported by
        // its path; the registry check then shows both on the error screen.
        if (entryByName.has(p.name)) return p.browserEntry;
        entryByName.set(p.name, p.browserEntry);
        return p.name;
      });
      const imports = specifiers.map((specifier, i) => `import * as m${i} from ${JSON.stringify(specifier)};`);
      const entries = found.packages.map((p, i) => `{ source: ${JSON.stringify(p.source)}, module: m${i} }`);
      return `${imports.join('\n')}\nexport default [${entries.join(', ')}];\n`;
    },
  };
}
