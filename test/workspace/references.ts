// `tsc -b` (in `pnpm test`) checks only the projects the root tsconfig.json references, so a new
// workspace package left out of that list was never type-checked, and nothing said so. This finds
// such packages, for test/workspace/references.test.ts to fail naming the line to add.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasNodePackageMarker } from '@siyu/shared';

/** The folders pnpm-workspace.yaml names ("dir" or "dir/*"), relative to `root`, in name order. */
export function workspaceFolders(root: string): string[] {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const patterns = [...yaml.matchAll(/^\s*-\s*['"]?([^'"\s#]+)['"]?\s*$/gm)].map((m) => m[1] as string);
  const folders: string[] = [];
  for (const pattern of patterns) {
    if (!pattern.endsWith('/*')) {
      folders.push(pattern);
      continue;
    }
    const parent = pattern.slice(0, -2);
    if (!existsSync(join(root, parent))) continue;
    for (const entry of readdirSync(join(root, parent), { withFileTypes: true })) {
      if (entry.isDirectory() && existsSync(join(root, parent, entry.name, 'package.json'))) {
        folders.push(`${parent}/${entry.name}`);
      }
    }
  }
  return folders.sort();
}

/** What is missing for `tsc -b` to check every workspace package, one sentence each. */
export function missingReferences(root: string): string[] {
  const config = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '')) as {
    references?: Array<{ path: string }>;
  };
  const referenced = new Set((config.references ?? []).map((r) => r.path.replace(/^\.\//, '').replace(/\/$/, '')));
  const problems: string[] = [];
  for (const folder of workspaceFolders(root)) {
    if (existsSync(join(root, folder, 'tsconfig.json'))) {
      if (!referenced.has(folder)) {
        problems.push(
          `${folder} has a tsconfig.json but tsc -b skips it: add { "path": "${folder}" } to "references" in the root tsconfig.json`,
        );
      }
      continue;
    }
    const manifest = JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8')) as unknown;
    if (hasNodePackageMarker(manifest)) {
      problems.push(
        `${folder} is a node package without a tsconfig.json, so nothing type-checks it: copy the one from examples/custom-node/README.md (2.3) and reference it in the root tsconfig.json`,
      );
    }
  }
  return problems;
}
