// Where node packages are: the ONE list of folders that both the runtime (discovery.ts, at start-up)
// and the editor (its Vite plugin, at build time) load node packages from, so the palette and the
// engine always know the same packages. Node-only (fs, module resolution); loads no package code.
//
// Two kinds of place:
// - workspace folders: every direct sub-folder of `roots` (examples/*, packages/nodes/*);
// - npm dependencies of the deployment: every package named in `dependencies` /
//   `optionalDependencies` of a deployment's package.json (packages/runtime, the process that runs
//   the nodes, next to the built-in @siyu/nodes-*), located with Node's own module resolution from
//   that folder, so `pnpm --filter @siyu/runtime add @acme/siyu-node-x` is all it takes.
// Either kind counts only with the marker `"siyu": { "nodePackage": true }` in its package.json.
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { hasNodePackageMarker } from '@siyu/shared';
import { nearMissMarker } from './marker-near-miss.ts';

export interface NodePackageLocations {
  /** Folders whose direct sub-folders are node package candidates (the workspace kind). */
  roots: readonly string[];
  /** Folders whose package.json dependencies are node package candidates (the npm kind). */
  deployments: readonly string[];
}

const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..', '..');

/** What `pnpm start`, the CLI and `vite build` of the editor look at. */
export const DEFAULT_NODE_PACKAGE_LOCATIONS: NodePackageLocations = {
  roots: [resolve(REPO_ROOT, 'examples'), resolve(REPO_ROOT, 'packages', 'nodes')],
  deployments: [resolve(REPO_ROOT, 'packages', 'runtime')],
};

export interface FoundNodePackage {
  /** The npm name from package.json. */
  name: string;
  /** The package folder, symlinks resolved (pnpm links dependencies into node_modules). */
  dir: string;
  /** Absolute path of the browser-safe entry (exports["."]). */
  browserEntry: string;
  /** Absolute path of the server entry (exports["./server"]), when there is one. */
  serverEntry?: string;
  /** For messages and the editor's error screen: "examples/custom-node", "dependency of packages/runtime". */
  source: string;
}

export interface FinderProblem {
  /** The npm name when package.json could be read, else the folder. */
  package: string;
  dir: string;
  message: string;
}

export interface FinderResult {
  packages: FoundNodePackage[];
  /** Marked packages that cannot be loaded (bad package.json, missing entry). */
  problems: FinderProblem[];
  /** Not marked but looking as if meant to be (a typo in the marker), or declared but not installed. */
  skipped: FinderProblem[];
}

class ManifestProblem extends Error {}

function readManifest(dir: string): Record<string, unknown> | undefined {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ManifestProblem(`package.json is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ManifestProblem('package.json is not an object');
  }
  return raw as Record<string, unknown>;
}

/** `exports[key]` as a relative file: a string, or the `import` / `default` condition of an object. */
function exportTarget(exports: unknown, key: '.' | './server'): string | undefined {
  if (typeof exports !== 'object' || exports === null) return undefined;
  const value = (exports as Record<string, unknown>)[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    const conditions = value as Record<string, unknown>;
    const target = conditions.import ?? conditions.default;
    if (typeof target === 'string') return target;
  }
  return undefined;
}

/** The entries of a marked package; throws naming what is wrong in its package.json. */
function entriesOf(dir: string, raw: Record<string, unknown>): { browserEntry: string; serverEntry?: string } {
  if (typeof raw.name !== 'string' || raw.name.length === 0)
    throw new ManifestProblem('package.json: name: is missing');
  const browser = exportTarget(raw.exports, '.');
  if (!browser) {
    throw new ManifestProblem(
      'package.json: exports["."]: is missing; point it at the browser-safe entry, e.g. "./src/index.ts"',
    );
  }
  const server = exportTarget(raw.exports, './server');
  for (const [key, target] of [
    ['.', browser],
    ['./server', server],
  ] as const) {
    if (target === undefined) continue;
    if (!target.startsWith('./')) {
      throw new ManifestProblem(`package.json: exports["${key}"]: must be a path starting with "./" (got "${target}")`);
    }
    // The server entry is checked when the runtime loads it (the editor never does).
    if (key === '.' && !existsSync(resolve(dir, target))) {
      throw new ManifestProblem(`browser entry ${target} does not exist`);
    }
  }
  return { browserEntry: resolve(dir, browser), serverEntry: server ? resolve(dir, server) : undefined };
}

/** The folder Node's module resolution finds for `name` when required from `fromDir`, if installed. */
function locateDependency(name: string, fromDir: string): string | undefined {
  const lookup = createRequire(join(fromDir, 'package.json')).resolve.paths(name) ?? [];
  for (const modules of lookup) {
    const dir = join(modules, name);
    if (existsSync(join(dir, 'package.json'))) return realpathSync(dir);
  }
  return undefined;
}

/** Inside the repository: relative ("examples/custom-node"); elsewhere: absolute. */
function shown(dir: string): string {
  const path = relative(REPO_ROOT, dir);
  return path && !path.startsWith('..') ? path : dir;
}

interface Candidate {
  dir: string;
  source: string;
  dependency: boolean;
}

function candidates(locations: NodePackageLocations, skipped: FinderProblem[]): Candidate[] {
  const found: Candidate[] = [];
  for (const root of locations.roots) {
    if (!existsSync(root)) continue;
    const dirs = readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('.') && d.name !== 'node_modules')
      .map((d) => d.name)
      .sort();
    for (const name of dirs) {
      const dir = join(root, name);
      found.push({ dir: realpathSync(dir), source: shown(dir), dependency: false });
    }
  }
  for (const deployment of locations.deployments) {
    const manifest = readManifest(deployment);
    if (!manifest) continue;
    const source = `dependency of ${shown(deployment)}`;
    for (const field of ['dependencies', 'optionalDependencies'] as const) {
      const declared = manifest[field];
      if (typeof declared !== 'object' || declared === null) continue;
      for (const name of Object.keys(declared).sort()) {
        const dir = locateDependency(name, deployment);
        if (dir) found.push({ dir, source: `${name} (${source})`, dependency: true });
        else if (field === 'dependencies') {
          skipped.push({
            package: name,
            dir: deployment,
            message: `is in ${join(deployment, 'package.json')} but not installed: run pnpm install`,
          });
        }
      }
    }
  }
  return found;
}

/**
 * Every marked node package in `locations`, in a stable order (workspace folders by name, then
 * dependencies by name), each once even when reachable both ways (a workspace package that is also
 * a dependency of the deployment).
 */
export function findNodePackages(locations: NodePackageLocations = DEFAULT_NODE_PACKAGE_LOCATIONS): FinderResult {
  const result: FinderResult = { packages: [], problems: [], skipped: [] };
  const seen = new Set<string>();
  for (const { dir, source, dependency } of candidates(locations, result.skipped)) {
    if (seen.has(dir)) continue;
    seen.add(dir);
    let label = source;
    try {
      const raw = readManifest(dir);
      if (!raw) continue;
      if (typeof raw.name === 'string') label = raw.name;
      if (!hasNodePackageMarker(raw)) {
        // A deployment's dependencies are mostly ordinary libraries: only a "siyu" field there is a hint.
        const nearMiss = !dependency || 'siyu' in raw ? nearMissMarker(raw, dir) : undefined;
        if (nearMiss) result.skipped.push({ package: label, dir, message: nearMiss });
        continue;
      }
      result.packages.push({ name: label, dir, source, ...entriesOf(dir, raw) });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      result.problems.push({ package: label, dir, message });
    }
  }
  return result;
}
