import discovered from 'virtual:siyu-node-packages';
import { isNodePackage } from '@siyu/shared';
import { buildEditorRegistry, type FoundPackage, fixtureSource } from './registry-check.ts';

/**
 * Every node package, found at build time by the same finder the runtime uses at start-up
 * (../../node-packages-plugin.ts): the four built-ins and any package marked
 * `"siyu": { "nodePackage": true }` under examples/* or packages/nodes/*, or installed as a
 * dependency of packages/runtime. A new package shows up in the palette without an editor change.
 * A package's browser-safe entry exports one or more NodePackage values.
 */
const modules = Object.fromEntries(discovered.map((entry) => [entry.source, entry.module]));

// The browser test of the error screen builds with `--mode e2e-clash`: a package that reuses a core type.
const clash =
  import.meta.env.MODE === 'e2e-clash'
    ? import.meta.glob<Record<string, unknown>>('../model/clash-fixture.test-helper.ts', { eager: true })
    : {};
const testOnly = Object.fromEntries(Object.entries(clash).map(([path, mod]) => [fixtureSource(path), mod]));
const found: FoundPackage[] = Object.entries({ ...modules, ...testOnly }).flatMap(([source, mod]) =>
  Object.values(mod)
    .filter(isNodePackage)
    .map((pkg) => ({ pkg, source })),
);

const built = buildEditorRegistry(found);
/** Empty when `registryProblems` is not: main.tsx then shows BootError instead of the editor. */
export const registry = built.registry;
export const registryProblems = built.problems;
