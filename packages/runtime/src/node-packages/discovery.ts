// Loads the third-party node packages that package-finder.ts finds (workspace folders and npm
// dependencies of the deployment marked `"siyu": { "nodePackage": true }`) so a brand's package is
// registered without a change anywhere else. Its "." entry must export exactly one NodePackage; its
// optional "./server" entry exports a ServerPackageFactory. A broken package is reported (named,
// with what is wrong) and left out; the others still load, so one bad package never takes the
// server down. The editor builds its palette from the same finder (packages/editor/node-packages.ts).
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  isNodePackage,
  LocalizedTextSchema,
  NODE_CATEGORIES,
  type NodePackage,
  type ServerNodePackage,
  type ServerPackageFactory,
} from '@siyu/shared';
import { z } from 'zod';
import { findNodePackages, type NodePackageLocations } from './package-finder.ts';

export interface DiscoveredPackage {
  /** The npm name from package.json, e.g. "@siyu-example/lottery". */
  name: string;
  dir: string;
  nodePackage: NodePackage;
  /** From "./server": `createServerPackage`, or the default export (a factory or a package object). */
  createServer?: ServerPackageFactory;
}

export interface DiscoveryProblem {
  /** The npm name when package.json could be read, else the folder. */
  package: string;
  dir: string;
  message: string;
}

export interface Discovery {
  packages: DiscoveredPackage[];
  problems: DiscoveryProblem[];
  /** Folders skipped whose package.json almost carries the marker (a typo), or that look like node packages. */
  skipped: DiscoveryProblem[];
}

/** Node package names are URL segments (/webhooks/<name>) and node-type prefixes. */
const PackageNameSchema = z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, {
  message: 'must be 2–40 lower-case letters, digits or "-", starting with a letter',
});

const zodSchemaLike = z.custom<z.ZodType>(
  (value) => typeof value === 'object' && value !== null && typeof (value as z.ZodType).safeParse === 'function',
  { message: 'must be a zod schema' },
);

const NodeDefinitionShape = z.looseObject({
  type: z.string().min(1),
  version: z.number().int().min(1),
  category: z.enum(NODE_CATEGORIES),
  label: LocalizedTextSchema,
  icon: z.string().min(1),
  config: zodSchemaLike,
  defaultConfig: z.unknown(),
  outputs: z.union([z.array(z.looseObject({ id: z.string().min(1), label: LocalizedTextSchema })), z.function()]),
});

const NodePackageShape = z.looseObject({
  name: PackageNameSchema,
  label: LocalizedTextSchema,
  nodes: z.array(NodeDefinitionShape).min(1, { message: 'must contain at least one node definition' }),
});

class PackageProblem extends Error {}

/** `exports["."]`, `nodes[0].type`: keys that are not identifiers in brackets, so "." stays readable. */
function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) =>
      typeof key === 'number'
        ? `[${key}]`
        : /^[A-Za-z_$][\w$]*$/.test(String(key))
          ? `${i === 0 ? '' : '.'}${String(key)}`
          : `[${JSON.stringify(String(key))}]`,
    )
    .join('');
}

/** "pkg.nodes[0].type: message; …" — every issue, each with where it is under `prefix`. */
function describeIssues(error: z.ZodError, prefix: string): string {
  return error.issues
    .map((issue) => {
      const path = pathText(issue.path);
      const where = prefix && path && !path.startsWith('[') ? `${prefix}.${path}` : `${prefix}${path}`;
      return `${where || '(root)'}: ${issue.message}`;
    })
    .join('; ');
}

async function importEntry(dir: string, file: string, what: string): Promise<Record<string, unknown>> {
  const entry = `./${relative(dir, file)}`;
  if (!existsSync(file)) throw new PackageProblem(`${what} entry ${entry} does not exist`);
  try {
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new PackageProblem(`${what} entry ${entry} failed to load: ${(error as Error).message ?? String(error)}`);
  }
}

/** Checks a package's definitions against the ones already registered; returns the NodePackage. */
function checkNodePackage(module: Record<string, unknown>, entry: string, taken: Map<string, string>): NodePackage {
  const candidates = Object.entries(module).filter(([, value]) => isNodePackage(value));
  if (candidates.length !== 1) {
    throw new PackageProblem(
      candidates.length === 0
        ? `${entry} exports no NodePackage (export const myPackage = defineNodePackage({ name, label, nodes }))`
        : `${entry} exports ${candidates.length} NodePackages (${candidates.map(([k]) => k).join(', ')}); export exactly one`,
    );
  }
  const [exportName, value] = candidates[0] as [string, unknown];
  const shape = NodePackageShape.safeParse(value);
  if (!shape.success) throw new PackageProblem(describeIssues(shape.error, exportName));
  const pkg = value as NodePackage;
  const owner = taken.get(`package:${pkg.name}`);
  if (owner) throw new PackageProblem(`package name "${pkg.name}" is already used by ${owner}`);
  const problems: string[] = [];
  pkg.nodes.forEach((node, index) => {
    const where = `${exportName}.nodes[${index}] (${node.type})`;
    if (!node.type.startsWith(`${pkg.name}.`)) {
      problems.push(`${where}: type must start with "${pkg.name}." so it cannot clash with other packages`);
    }
    const typeOwner = taken.get(`type:${node.type}`);
    if (typeOwner) problems.push(`${where}: type is already defined by ${typeOwner}`);
    const parsed = node.config.safeParse(node.defaultConfig);
    if (!parsed.success) problems.push(describeIssues(parsed.error, `${where}.defaultConfig`));
    problems.push(...customerUpdateProblems(node, where));
  });
  const seen = new Set<string>();
  for (const node of pkg.nodes) {
    if (seen.has(node.type)) problems.push(`node type "${node.type}" is defined twice`);
    seen.add(node.type);
  }
  if (problems.length) throw new PackageProblem(problems.join('; '));
  return pkg;
}

/**
 * A `customerUpdate` runs only as a node's effect, and outside the dispatcher's delivery rules: a
 * node without an effect would never apply it, and one with a channel or quiet hours would be run
 * through the outbox anyway (the engine does not apply those in the step), so both are mistakes.
 */
function customerUpdateProblems(node: NodePackage['nodes'][number], where: string): string[] {
  if (node.customerUpdate === undefined) return [];
  if (typeof node.customerUpdate !== 'function') return [`${where}.customerUpdate: must be a function`];
  if (!node.effect) return [`${where}.customerUpdate: the node has no effect (add effect: {}), so it would never run`];
  if (node.effect.channel !== undefined || node.effect.quietHours) {
    return [
      `${where}.customerUpdate: not for a node with a channel or quiet hours (the step applies it outside delivery rules); send through its executor instead`,
    ];
  }
  return [];
}

function serverFactoryOf(module: Record<string, unknown>): ServerPackageFactory {
  const candidate = module.createServerPackage ?? module.default;
  if (typeof candidate === 'function') return candidate as ServerPackageFactory;
  if (typeof candidate === 'object' && candidate !== null) return () => candidate as ServerNodePackage;
  throw new PackageProblem(
    'server entry exports neither createServerPackage(deps) nor a default ServerNodePackage or factory',
  );
}

/**
 * Loads every node package the finder finds in `locations` (workspace folders under `roots`,
 * dependencies of `deployments`). `builtIn` are the packages already registered: a marked package
 * that only re-exports one of them (the four built-ins are marked too, for the editor) is skipped,
 * and no discovered package may reuse their names or node types.
 */
export async function discoverNodePackages(options: {
  locations: NodePackageLocations;
  builtIn: readonly NodePackage[];
}): Promise<Discovery> {
  const taken = new Map<string, string>();
  for (const pkg of options.builtIn) {
    taken.set(`package:${pkg.name}`, `built-in package "${pkg.name}"`);
    for (const node of pkg.nodes) taken.set(`type:${node.type}`, `built-in package "${pkg.name}"`);
  }
  const found = findNodePackages(options.locations);
  const result: Discovery = { packages: [], problems: [...found.problems], skipped: [...found.skipped] };
  for (const { name, dir, browserEntry, serverEntry } of found.packages) {
    try {
      const browser = await importEntry(dir, browserEntry, 'browser');
      if (Object.values(browser).some((value) => options.builtIn.includes(value as NodePackage))) continue;
      const nodePackage = checkNodePackage(browser, `./${relative(dir, browserEntry)}`, taken);
      const createServer = serverEntry ? serverFactoryOf(await importEntry(dir, serverEntry, 'server')) : undefined;
      taken.set(`package:${nodePackage.name}`, `${name} (${dir})`);
      for (const node of nodePackage.nodes) taken.set(`type:${node.type}`, `${name} (${dir})`);
      result.packages.push({ name, dir, nodePackage, createServer });
    } catch (error) {
      // Anything unexpected (a throwing schema, an unreadable folder) is the package's problem too.
      const message = error instanceof Error ? error.message : String(error);
      result.problems.push({ package: name, dir, message });
    }
  }
  return result;
}
