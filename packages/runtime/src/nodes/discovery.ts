// Finds third-party node packages in the workspace so a brand's package is registered without a
// change anywhere else: any folder under the given roots whose package.json says
// `"siyu": { "nodePackage": true }`. Its "." entry (src/index.ts — the same file the editor's
// build-time glob finds) must export exactly one NodePackage; its optional "./server" entry
// exports a ServerPackageFactory. A broken package is reported (named, with what is wrong) and
// left out; the others still load, so one bad folder never takes the server down.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  LocalizedTextSchema,
  NODE_CATEGORIES,
  type NodePackage,
  type ServerNodePackage,
  type ServerPackageFactory,
} from '@siyu/shared';
import { z } from 'zod';
import { nearMissMarker } from './marker-near-miss.ts';

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

/** The editor finds browser entries by this path, so the runtime insists on the same one. */
export const BROWSER_ENTRY = './src/index.ts';

const ManifestSchema = z.object({
  name: z.string().min(1),
  exports: z.object(
    {
      '.': z.literal(BROWSER_ENTRY, {
        message: `must be "${BROWSER_ENTRY}" (the editor finds node packages by that path)`,
      }),
      './server': z.string().startsWith('./').optional(),
    },
    { message: `needs an "exports" object with "." → "${BROWSER_ENTRY}"` },
  ),
});

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

/** Same test as the editor's registry: anything with a name, a label and a nodes array. */
function looksLikeNodePackage(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as NodePackage).name === 'string' &&
    Array.isArray((value as NodePackage).nodes) &&
    typeof (value as NodePackage).label === 'object'
  );
}

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

async function importEntry(dir: string, entry: string, what: string): Promise<Record<string, unknown>> {
  const file = resolve(dir, entry);
  if (!existsSync(file)) throw new PackageProblem(`${what} entry ${entry} does not exist`);
  try {
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new PackageProblem(`${what} entry ${entry} failed to load: ${(error as Error).message ?? String(error)}`);
  }
}

/** Checks a package's definitions against the ones already registered; returns the NodePackage. */
function checkNodePackage(module: Record<string, unknown>, taken: Map<string, string>): NodePackage {
  const candidates = Object.entries(module).filter(([, value]) => looksLikeNodePackage(value));
  if (candidates.length !== 1) {
    throw new PackageProblem(
      candidates.length === 0
        ? `${BROWSER_ENTRY} exports no NodePackage (export const myPackage = defineNodePackage({ name, label, nodes }))`
        : `${BROWSER_ENTRY} exports ${candidates.length} NodePackages (${candidates.map(([k]) => k).join(', ')}); export exactly one`,
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
  });
  const seen = new Set<string>();
  for (const node of pkg.nodes) {
    if (seen.has(node.type)) problems.push(`node type "${node.type}" is defined twice`);
    seen.add(node.type);
  }
  if (problems.length) throw new PackageProblem(problems.join('; '));
  return pkg;
}

function serverFactoryOf(module: Record<string, unknown>): ServerPackageFactory {
  const candidate = module.createServerPackage ?? module.default;
  if (typeof candidate === 'function') return candidate as ServerPackageFactory;
  if (typeof candidate === 'object' && candidate !== null) return () => candidate as ServerNodePackage;
  throw new PackageProblem(
    'server entry exports neither createServerPackage(deps) nor a default ServerNodePackage or factory',
  );
}

function readManifest(dir: string): { name: string; raw: Record<string, unknown> } | undefined {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PackageProblem(`package.json is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null) throw new PackageProblem('package.json is not an object');
  const record = raw as Record<string, unknown>;
  return { name: typeof record.name === 'string' ? record.name : dir, raw: record };
}

/**
 * Loads every marked package under `roots` (folders one level down, in name order). `builtIn` are
 * the packages already registered: a marked folder that only re-exports one of them is skipped,
 * and no discovered package may reuse their names or node types.
 */
export async function discoverNodePackages(options: {
  roots: readonly string[];
  builtIn: readonly NodePackage[];
}): Promise<Discovery> {
  const taken = new Map<string, string>();
  for (const pkg of options.builtIn) {
    taken.set(`package:${pkg.name}`, `built-in package "${pkg.name}"`);
    for (const node of pkg.nodes) taken.set(`type:${node.type}`, `built-in package "${pkg.name}"`);
  }
  const result: Discovery = { packages: [], problems: [], skipped: [] };
  for (const root of options.roots) {
    if (!existsSync(root)) continue;
    const dirs = readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('.') && d.name !== 'node_modules')
      .map((d) => join(root, d.name))
      .sort();
    for (const dir of dirs) {
      let label = relative(process.cwd(), dir) || dir;
      try {
        const manifest = readManifest(dir);
        if (!manifest) continue;
        label = manifest.name;
        const marker = manifest.raw.siyu as { nodePackage?: unknown } | undefined;
        if (marker?.nodePackage !== true) {
          const nearMiss = nearMissMarker(manifest.raw, dir);
          if (nearMiss) result.skipped.push({ package: label, dir, message: nearMiss });
          continue;
        }
        const parsed = ManifestSchema.safeParse(manifest.raw);
        if (!parsed.success) throw new PackageProblem(`package.json: ${describeIssues(parsed.error, '')}`);
        const browser = await importEntry(dir, BROWSER_ENTRY, 'browser');
        if (Object.values(browser).some((value) => options.builtIn.includes(value as NodePackage))) continue;
        const nodePackage = checkNodePackage(browser, taken);
        const serverEntry = parsed.data.exports['./server'];
        const createServer = serverEntry ? serverFactoryOf(await importEntry(dir, serverEntry, 'server')) : undefined;
        taken.set(`package:${nodePackage.name}`, `${manifest.name} (${dir})`);
        for (const node of nodePackage.nodes) taken.set(`type:${node.type}`, `${manifest.name} (${dir})`);
        result.packages.push({ name: manifest.name, dir, nodePackage, createServer });
      } catch (error) {
        // Anything unexpected (a throwing schema, an unreadable folder) is the package's problem too.
        const message = error instanceof Error ? error.message : String(error);
        result.problems.push({ package: label, dir, message });
      }
    }
  }
  return result;
}
