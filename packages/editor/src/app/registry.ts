import type { NodePackage } from '@siyu/shared';
import { buildEditorRegistry, type FoundPackage, sourceOf } from './registry-check.ts';

/**
 * Every node package in the workspace, found at build time: a new package under packages/nodes
 * shows up in the palette without any editor change. A package's browser-safe entry exports one
 * or more NodePackage values (anything with `name`, `label` and a `nodes` array).
 */
const builtIn = import.meta.glob<Record<string, unknown>>('../../../nodes/*/src/index.ts', { eager: true });

/**
 * Third-party packages under examples/* (examples/custom-node): those whose package.json carries
 * `"siyu": { "nodePackage": true }`, the marker the runtime discovers them by
 * (packages/runtime/src/nodes/discovery.ts). Journey examples have no src/index.ts.
 */
const exampleEntries = import.meta.glob<Record<string, unknown>>('../../../../examples/*/src/index.ts', {
  eager: true,
});
// Whole package.json files (`import: 'siyu'` fails the build for one without that field).
const exampleManifests = import.meta.glob<{ siyu?: { nodePackage?: unknown } }>('../../../../examples/*/package.json', {
  eager: true,
  import: 'default',
});
const thirdParty = Object.entries(exampleEntries).filter(
  ([path]) => exampleManifests[path.replace(/src\/index\.ts$/, 'package.json')]?.siyu?.nodePackage === true,
);
const modules = { ...builtIn, ...Object.fromEntries(thirdParty) };

function isNodePackage(value: unknown): value is NodePackage {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as NodePackage).name === 'string' &&
    Array.isArray((value as NodePackage).nodes) &&
    typeof (value as NodePackage).label === 'object'
  );
}

// Browser tests built with `vite build --mode e2e` also get the editor's small fixture package
// (types `fx.*`), so they can run while the real packages are still being written. Never in a
// normal build.
const fixtures =
  import.meta.env.MODE === 'e2e'
    ? import.meta.glob<Record<string, unknown>>('../model/fixture-registry.test-helper.ts', { eager: true })
    : {};
// The browser test of the error screen builds with `--mode e2e-clash`: a package that reuses a core type.
const clash =
  import.meta.env.MODE === 'e2e-clash'
    ? import.meta.glob<Record<string, unknown>>('../model/clash-fixture.test-helper.ts', { eager: true })
    : {};
const found: FoundPackage[] = Object.entries({ ...modules, ...fixtures, ...clash }).flatMap(([path, mod]) =>
  Object.values(mod)
    .filter(isNodePackage)
    .map((pkg) => ({ pkg, source: sourceOf(path) })),
);

const built = buildEditorRegistry(found);
/** Empty when `registryProblems` is not: main.tsx then shows BootError instead of the editor. */
export const registry = built.registry;
export const registryProblems = built.problems;
