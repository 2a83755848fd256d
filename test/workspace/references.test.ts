import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { missingReferences } from './references.ts';

const scratch = mkdtempSync(join(tmpdir(), 'siyu-references-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(scratch, path)), { recursive: true });
    writeFileSync(join(scratch, path), text);
  }
}

describe('root tsconfig.json references', () => {
  it('name every workspace package of this repository, so tsc -b checks them all', () => {
    expect(missingReferences(resolve(import.meta.dirname, '..', '..'))).toEqual([]);
  });

  it('a package left out, or a node package without a tsconfig.json, is named with the fix', () => {
    const marked = JSON.stringify({ name: '@x/n', siyu: { nodePackage: true } });
    write({
      'pnpm-workspace.yaml': "packages:\n  - packages/shared\n  - 'examples/*'\n  - packages/nodes/*\n",
      'tsconfig.json':
        '{\n  // comment\n  "files": [],\n  "references": [{ "path": "packages/shared" }, { "path": "./examples/kept/" }]\n}\n',
      'packages/shared/package.json': '{}',
      'packages/shared/tsconfig.json': '{}',
      'examples/kept/package.json': '{}',
      'examples/kept/tsconfig.json': '{}',
      'examples/my-node/package.json': marked,
      'examples/my-node/tsconfig.json': '{}',
      'examples/journey-only/package.json': '{}',
      'packages/nodes/bare/package.json': marked,
    });
    expect(missingReferences(scratch)).toEqual([
      'examples/my-node has a tsconfig.json but tsc -b skips it: add { "path": "examples/my-node" } to "references" in the root tsconfig.json',
      'packages/nodes/bare is a node package without a tsconfig.json, so nothing type-checks it: copy the one from examples/custom-node/README.md (2.3) and reference it in the root tsconfig.json',
    ]);
  });
});
