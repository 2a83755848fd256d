// The one list of node packages the runtime and the editor's build both load: real folders and a
// real node_modules in a temp directory, located by Node's module resolution.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_NODE_PACKAGE_LOCATIONS, findNodePackages } from './package-finder.ts';

const root = mkdtempSync(join(tmpdir(), 'siyu-finder-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

const marked = (name: string, exports: unknown = { '.': './src/index.ts' }) =>
  JSON.stringify({ name, siyu: { nodePackage: true }, exports });

describe('finding node packages', () => {
  it('finds workspace folders and the deployment’s installed dependencies, each once', () => {
    write({
      'ws/examples/a-local/package.json': marked('@x/local'),
      'ws/examples/a-local/src/index.ts': '',
      'ws/examples/b-plain/package.json': JSON.stringify({ name: '@x/plain' }),
      // An npm package shipping compiled JavaScript, with conditional exports.
      'store/acme-x/package.json': marked('@acme/siyu-node-x', {
        '.': { types: './dist/index.d.ts', import: './dist/index.js' },
        './server': { import: './dist/server.js' },
      }),
      'store/acme-x/dist/index.js': '',
      'deploy/package.json': JSON.stringify({
        name: 'deploy',
        dependencies: {
          '@acme/siyu-node-x': '^1.0.0',
          '@x/local': 'workspace:*',
          'left-pad': '^1.0.0',
          gone: '^1.0.0',
        },
        optionalDependencies: { 'maybe-gone': '^1.0.0' },
      }),
      'deploy/node_modules/left-pad/package.json': JSON.stringify({ name: 'left-pad', size: 1 }),
    });
    // Installed the way pnpm does it: links in node_modules.
    mkdirSync(join(root, 'deploy/node_modules/@acme'), { recursive: true });
    mkdirSync(join(root, 'deploy/node_modules/@x'), { recursive: true });
    symlinkSync(join(root, 'store/acme-x'), join(root, 'deploy/node_modules/@acme/siyu-node-x'));
    symlinkSync(join(root, 'ws/examples/a-local'), join(root, 'deploy/node_modules/@x/local'));

    const found = findNodePackages({ roots: [join(root, 'ws/examples')], deployments: [join(root, 'deploy')] });
    expect(found.packages).toEqual([
      {
        name: '@x/local',
        dir: join(root, 'ws/examples/a-local'),
        browserEntry: join(root, 'ws/examples/a-local/src/index.ts'),
        serverEntry: undefined,
        source: join(root, 'ws/examples/a-local'),
      },
      {
        name: '@acme/siyu-node-x',
        dir: join(root, 'store/acme-x'),
        browserEntry: join(root, 'store/acme-x/dist/index.js'),
        serverEntry: join(root, 'store/acme-x/dist/server.js'),
        source: `@acme/siyu-node-x (dependency of ${join(root, 'deploy')})`,
      },
    ]);
    expect(found.problems).toEqual([]);
    // A declared dependency that is not installed is named; an ordinary library ("size" is not a typo of "siyu") is not.
    expect(found.skipped.map((s) => `${s.package}: ${s.message}`)).toEqual([
      `gone: is in ${join(root, 'deploy', 'package.json')} but not installed: run pnpm install`,
    ]);
  });

  it('names what is wrong in a marked package.json', () => {
    write({
      'bad/examples/no-exports/package.json': JSON.stringify({ name: '@x/no-exports', siyu: { nodePackage: true } }),
      'bad/examples/absolute/package.json': marked('@x/absolute', { '.': 'src/index.ts' }),
      'bad/examples/missing/package.json': marked('@x/missing'),
    });
    const found = findNodePackages({ roots: [join(root, 'bad/examples')], deployments: [] });
    expect(found.packages).toEqual([]);
    expect(found.problems.map((p) => `${p.package}: ${p.message}`)).toEqual([
      '@x/absolute: package.json: exports["."]: must be a path starting with "./" (got "src/index.ts")',
      '@x/missing: browser entry ./src/index.ts does not exist',
      '@x/no-exports: package.json: exports["."]: is missing; point it at the browser-safe entry, e.g. "./src/index.ts"',
    ]);
  });

  it('in this repository: the four built-ins and the lottery, the same list for runtime and editor', () => {
    const names = findNodePackages(DEFAULT_NODE_PACKAGE_LOCATIONS).packages.map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining([
        '@siyu-example/lottery',
        '@siyu/nodes-core',
        '@siyu/nodes-sms',
        '@siyu/nodes-wecom',
        '@siyu/nodes-coupons',
      ]),
    );
  });
});
