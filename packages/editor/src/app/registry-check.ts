import { createNodeRegistry, type NodePackage, type NodeRegistry } from '@siyu/shared';

/** A node package the build found, and the folder it came from (for the error screen). */
export interface FoundPackage {
  pkg: NodePackage;
  source: string;
}

/** Why the editor cannot build its palette; shown on BootError.tsx instead of a blank page. */
export type RegistryProblem =
  | { kind: 'typeClash'; type: string; packages: Array<{ name: string; source: string }> }
  | { kind: 'nameClash'; name: string; sources: string[] }
  | { kind: 'failed'; message: string };

/**
 * The folder a test-only fixture package is shown as on the error screen: its glob path in
 * registry.ts without the leading "../" ("../model/clash-fixture.test-helper.ts" →
 * "model/clash-fixture.test-helper.ts"). Real packages come with their folder from the finder.
 */
export function fixtureSource(globPath: string): string {
  return globPath.replace(/^(\.\.\/)+/, '');
}

/**
 * The registry of every package found at build time, or the problems that stop it. A node type
 * defined by two packages used to make createNodeRegistry throw while modules loaded, and the
 * editor came up as a blank page with the reason only in the console.
 */
export function buildEditorRegistry(found: readonly FoundPackage[]): {
  registry: NodeRegistry;
  problems: RegistryProblem[];
} {
  const problems: RegistryProblem[] = [];
  // The same package object reached through two modules is one package.
  const byName = new Map<string, FoundPackage>();
  for (const entry of found) {
    const seen = byName.get(entry.pkg.name);
    if (!seen) byName.set(entry.pkg.name, entry);
    else if (seen.pkg !== entry.pkg) {
      problems.push({ kind: 'nameClash', name: entry.pkg.name, sources: [seen.source, entry.source] });
    }
  }
  const owners = new Map<string, FoundPackage[]>();
  for (const entry of byName.values()) {
    for (const node of entry.pkg.nodes) owners.set(node.type, [...(owners.get(node.type) ?? []), entry]);
  }
  for (const [type, entries] of owners) {
    if (entries.length > 1) {
      problems.push({
        kind: 'typeClash',
        type,
        packages: entries.map((e) => ({ name: e.pkg.name, source: e.source })),
      });
    }
  }
  if (problems.length === 0) {
    try {
      return { registry: createNodeRegistry([...byName.values()].map((e) => e.pkg)), problems };
    } catch (error) {
      problems.push({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { registry: createNodeRegistry([]), problems };
}
