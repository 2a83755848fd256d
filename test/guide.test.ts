// The developer guide (examples/custom-node/README.md, section 2) followed from scratch by a test:
// its code blocks tagged `<!-- guide: <file> -->` are written to disk as they are, for each place a
// node package can live — a workspace folder under examples/*, one under packages/nodes/*, and an
// npm package installed by pnpm as a dependency of the deployment — and then, like a developer:
// discovered by the runtime, found by the editor's build (a real Vite build of the editor's
// registry module with its node-packages plugin; for the npm kind also the whole editor built and
// opened in Chromium, the node dropped on the canvas), run in a published journey by the engine on
// SQLite, bumped to v2 with a migration, and a journey saved at v1 still runs. If the guide is
// wrong (a path, a field, a code block that does not work), this test fails.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createEngine,
  createLogger,
  type DiscoveredPackage,
  discoverNodePackages,
  ManualClock,
  type NodePackageLocations,
  openDatabase,
  runtimeNodes,
} from '@siyu/runtime';
import { addCustomers, graphOf, publishJourney } from '@siyu/runtime/testing';
import { graphAtTypeVersions, type JourneyGraphInput, type NodeRegistry } from '@siyu/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_PACKAGES } from '../packages/runtime/src/node-packages/registry.ts';

const REPO = resolve(import.meta.dirname, '..');
const SHARED = join(REPO, 'packages', 'shared');
const ZOD = realpathSync(join(SHARED, 'node_modules', 'zod'));
const logger = createLogger('silent');
/** The root tsconfig.json (JSON with // comments). */
const ROOT_TSCONFIG = JSON.parse(readFileSync(join(REPO, 'tsconfig.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '')) as {
  compilerOptions: unknown;
};

/** The guide's files: `<!-- guide: src/index.ts (v2) -->` followed by a fenced block. */
function guideFiles(): Map<string, string> {
  const text = readFileSync(join(REPO, 'examples', 'custom-node', 'README.md'), 'utf8');
  const files = new Map<string, string>();
  for (const match of text.matchAll(/<!-- guide: ([^>]+?) -->\s*\n```\w*\n([\s\S]*?)\n```/g)) {
    files.set(match[1] as string, `${match[2]}\n`);
  }
  return files;
}

let scratch: string;
let files: Map<string, string>;
let counter = 0;

function file(tag: string): string {
  const text = files.get(tag);
  if (text === undefined) throw new Error(`the guide has no block tagged <!-- guide: ${tag} -->`);
  return text;
}

function write(dir: string, contents: Record<string, string>): void {
  for (const [path, text] of Object.entries(contents)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** The package's files at a version of the guide: v1 (2.2–2.5) or v2 (2.7). */
function sources(version: 1 | 2, edit: (definition: string) => string = (d) => d): Record<string, string> {
  const suffix = version === 2 ? ' (v2)' : '';
  return {
    'src/index.ts': edit(file(`src/index.ts${suffix}`)),
    'src/server/index.ts': file(`src/server/index.ts${suffix}`),
  };
}

type Kind = 'examples' | 'packages/nodes' | 'npm';

/**
 * Lays the package out as a developer would for `kind` in a fresh folder (a restart: nothing is
 * cached from the previous version) and returns where the runtime and the editor look.
 */
function install(kind: Kind, version: 1 | 2, edit?: (definition: string) => string): NodePackageLocations {
  const base = join(scratch, `${kind.replace('/', '-')}-v${version}-${counter++}`);
  if (kind !== 'npm') {
    // A workspace folder: `pnpm install` links the workspace's @siyu/shared and zod into node_modules.
    mkdirSync(join(base, 'node_modules', '@siyu'), { recursive: true });
    symlinkSync(SHARED, join(base, 'node_modules', '@siyu', 'shared'));
    symlinkSync(ZOD, join(base, 'node_modules', 'zod'));
    // The repository's root tsconfig.json, which the guide's tsconfig.json extends (Vite reads it).
    // and the projects its references name (so a wrong path in the guide fails here too).
    write(base, { 'tsconfig.json': JSON.stringify({ compilerOptions: ROOT_TSCONFIG.compilerOptions }) });
    mkdirSync(join(base, 'packages'), { recursive: true });
    symlinkSync(SHARED, join(base, 'packages', 'shared'));
    write(join(base, kind, 'my-points'), {
      'package.json': file('package.json'),
      'tsconfig.json': file(`tsconfig.json (${kind})`),
      ...sources(version, edit),
    });
    return { roots: [join(base, kind)], deployments: [] };
  }
  // An npm package: packed to a tarball and added with pnpm to a deployment that provides the peers
  // (@siyu/shared and zod, as packages/runtime does), so Node's module resolution finds it in
  // node_modules the way it finds any installed package.
  const manifest = JSON.parse(file('package.json (npm)')) as { version: string };
  manifest.version = version === 1 ? '1.0.0' : '2.0.0';
  write(join(base, 'package'), { 'package.json': JSON.stringify(manifest, null, 2), ...sources(version, edit) });
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', base], {
    cwd: join(base, 'package'),
    encoding: 'utf8',
  }).trim();
  const deployment = join(base, 'deployment');
  write(deployment, {
    'package.json': JSON.stringify({
      name: 'deployment',
      private: true,
      dependencies: { '@siyu/shared': `link:${SHARED}`, zod: `link:${ZOD}` },
    }),
  });
  execFileSync(
    'pnpm',
    ['add', join(base, tarball), '--offline', '--store-dir', join(scratch, 'store'), '--ignore-scripts'],
    { cwd: deployment, stdio: 'pipe' },
  );
  return { roots: [], deployments: [deployment] };
}

/** What the editor's `vite build` makes of the locations: its registry module built with the plugin. */
async function editorRegistry(locations: NodePackageLocations): Promise<NodeRegistry> {
  const { build } = await import('vite');
  const { nodePackagesPlugin } = await import('../packages/editor/node-packages-plugin.ts');
  const outDir = join(scratch, `editor-${counter++}`);
  await build({
    configFile: false,
    logLevel: 'silent',
    root: join(REPO, 'packages', 'editor'),
    // The built-in packages are found in packages/nodes, as in the real build.
    plugins: [nodePackagesPlugin({ ...locations, roots: [...locations.roots, join(REPO, 'packages', 'nodes')] })],
    // Everything bundled (no externals) so the built module runs on its own, as in the browser.
    ssr: { noExternal: true },
    build: { ssr: 'src/app/registry.ts', outDir, emptyOutDir: true, minify: false },
  });
  const built = (await import(pathToFileURL(join(outDir, 'registry.js')).href)) as {
    registry: NodeRegistry;
    registryProblems: unknown[];
  };
  expect(built.registryProblems).toEqual([]);
  return built.registry;
}

/**
 * 2.6 in a real browser: the whole editor built with the plugin over `locations` (plus the built-ins
 * in packages/nodes), served as files, a new journey opened in Chromium; returns the palette item
 * for `type` (its text), and after dropping it on the canvas the inspector's label of its `points` field.
 */
async function paletteInChromium(locations: NodePackageLocations, type: string) {
  const { build } = await import('vite');
  const { nodePackagesPlugin } = await import('../packages/editor/node-packages-plugin.ts');
  const { chromium } = await import('playwright-core');
  const { chromiumOptions } = await import('./editor/real-server.ts');
  const outDir = join(scratch, `editor-app-${counter++}`);
  await build({
    configFile: false,
    logLevel: 'silent',
    root: join(REPO, 'packages', 'editor'),
    plugins: [nodePackagesPlugin({ ...locations, roots: [...locations.roots, join(REPO, 'packages', 'nodes')] })],
    build: { outDir, emptyOutDir: true },
  });
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const name = path === '/' || !extname(path) ? 'index.html' : path.slice(1);
    try {
      const body = readFileSync(join(outDir, name));
      const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
      res.writeHead(200, { 'content-type': types[extname(name)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const browser = await chromium.launch(chromiumOptions);
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`);
    await page.getByTestId('new-journey').click();
    await page.waitForSelector('.react-flow__pane');
    const item = page.locator(`.palette-item[data-node-type="${type}"]`);
    const text = await item.textContent();
    await page.dragAndDrop(`.palette-item[data-node-type="${type}"]`, '.react-flow__pane', {
      targetPosition: { x: 300, y: 250 },
    });
    await page.locator('[data-testid="journey-node"]').first().click();
    const label = await page.locator('.inspector [data-field="points"] .field-label').textContent();
    return { text, label };
  } finally {
    await browser.close();
    server.close();
  }
}

async function discover(locations: NodePackageLocations): Promise<DiscoveredPackage[]> {
  const discovery = await discoverNodePackages({ locations, builtIn: BUILT_IN_PACKAGES });
  expect(discovery.problems).toEqual([]);
  return discovery.packages;
}

const journey = (config: Record<string, unknown>): JourneyGraphInput =>
  graphOf(
    [
      ['entry', 'core.apiEntry', {}],
      ['points', 'points.add', config],
      ['done', 'core.exit', { reason: 'rewarded' }],
    ],
    [
      ['entry', 'next', 'points'],
      ['points', 'next', 'done'],
    ],
  );

/** Publishes `graph` and runs two customers through it on a fresh SQLite database. */
async function run(discovered: DiscoveredPackage[], graph: JourneyGraphInput) {
  const db = await openDatabase(join(scratch, `run-${counter++}.db`));
  try {
    const clock = new ManualClock(Date.UTC(2026, 2, 2, 2, 0, 0));
    const nodes = runtimeNodes(logger, discovered)(db, clock);
    const engine = createEngine({
      db,
      registry: nodes.registry,
      executors: nodes.serverPackages.flatMap((p) => p.executors),
      clock,
      logger,
    });
    publishJourney(db.sqlite, 'points-journey', graph);
    await engine.enrollMany('points-journey', addCustomers(db.sqlite, 'c', 0, 2));
    await engine.tick();
    const all = <T>(sql: string) => db.sqlite.prepare(sql).all() as T[];
    return {
      instances: all<{ status: string; exitReason: string }>('SELECT status, exitReason FROM Instance ORDER BY id'),
      results: all<{ result: string }>("SELECT result FROM OutboxEffect WHERE nodeType = 'points.add' ORDER BY id").map(
        (r) => JSON.parse(r.result) as { data?: unknown },
      ),
      paused: all<{ pausedReason: string | null }>('SELECT pausedReason FROM Journey')[0]?.pausedReason ?? null,
    };
  } finally {
    db.close();
  }
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'siyu-guide-'));
  files = guideFiles();
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the developer guide, followed from scratch', () => {
  it('has every file the steps need', () => {
    expect([...files.keys()].sort()).toEqual(
      [
        'package.json',
        'package.json (npm)',
        'tsconfig.json (examples)',
        'tsconfig.json (packages/nodes)',
        'src/index.ts',
        'src/server/index.ts',
        'src/index.ts (v2)',
        'src/server/index.ts (v2)',
      ].sort(),
    );
  });

  it.each(['examples', 'packages/nodes'] as const)(
    "the %s folder's tsconfig.json points at this repository's projects",
    (kind) => {
      const config = JSON.parse(file(`tsconfig.json (${kind})`)) as {
        extends: string;
        references: Array<{ path: string }>;
      };
      const folder = join(REPO, kind, 'my-points');
      expect(resolve(folder, config.extends)).toBe(join(REPO, 'tsconfig.json'));
      for (const reference of config.references) {
        expect(
          () => readFileSync(join(resolve(folder, reference.path), 'tsconfig.json')),
          reference.path,
        ).not.toThrow();
      }
    },
  );

  it.each(['examples', 'packages/nodes', 'npm'] as const)(
    'as %s: discovered, in the palette, runs in a journey, and a v1 journey runs after the bump to v2',
    async (kind) => {
      // 2.2–2.6: create, discover, palette, run.
      const v1 = install(kind, 1);
      const discovered = await discover(v1);
      expect(discovered.map((p) => p.name)).toEqual(['@my-brand/points']);
      // The npm kind really comes out of pnpm's node_modules, found by Node's module resolution.
      if (kind === 'npm') expect(discovered[0]?.dir).toContain(join('deployment', 'node_modules', '.pnpm'));

      const palette = await editorRegistry(v1);
      const node = palette.get('points.add');
      expect(node?.label).toEqual({ 'zh-CN': '加积分', en: 'Add points' });
      expect(node?.category).toBe('customer');
      expect(palette.get('core.wait')).toBeDefined();
      if (kind === 'npm') {
        // The package that came from npm, on the canvas of the built editor in Chromium.
        expect(await paletteInChromium(v1, 'points.add')).toEqual({
          text: expect.stringContaining('加积分'),
          label: '积分',
        });
      }

      const first = await run(discovered, journey({ points: 5 }));
      expect(first.instances).toEqual([
        { status: 'exited', exitReason: 'rewarded' },
        { status: 'exited', exitReason: 'rewarded' },
      ]);
      expect(first.results.map((r) => r.data)).toEqual([
        { added: 5, givenInCampaign: 5 },
        { added: 5, givenInCampaign: 10 },
      ]);

      // 2.7: bump to v2 with a migration; restart; a journey saved at v1 still runs, migrated.
      const v2 = install(kind, 2);
      const upgraded = await discover(v2);
      expect(upgraded[0]?.nodePackage.nodes[0]?.version).toBe(2);
      expect((await editorRegistry(v2)).get('points.add')?.version).toBe(2);
      const saved = graphAtTypeVersions(journey({ points: 7 }), { 'points.add': 1 });
      const second = await run(upgraded, saved);
      expect(second.paused).toBeNull();
      expect(second.instances.map((i) => i.exitReason)).toEqual(['rewarded', 'rewarded']);
      expect(second.results.map((r) => r.data)).toEqual([
        { added: 7, reason: '', givenInCampaign: 7 },
        { added: 7, reason: '', givenInCampaign: 14 },
      ]);
    },
    120_000,
  );

  it('without the migration (2.7), the journey saved at v1 is paused with the reason, not run with a bad config', async () => {
    const withoutMigration = install('examples', 2, (definition) => {
      const edited = definition.replace(/^\s*migrations: \[.*\],\n/m, '');
      expect(edited).not.toBe(definition);
      return edited;
    });
    const discovered = await discover(withoutMigration);
    const saved = graphAtTypeVersions(journey({ points: 7 }), { 'points.add': 1 });
    const outcome = await run(discovered, saved);
    // Nobody is run through a config the node cannot read; the reason names the node and both versions.
    expect(outcome.results).toEqual([]);
    expect(outcome.instances).toEqual([]);
    expect(JSON.parse(outcome.paused ?? '{}')).toMatchObject({
      kind: 'versionBroken',
      node: { id: 'points', type: 'points.add', typeVersion: 1, installedVersion: 2 },
    });
    expect(outcome.paused).toContain('no migration for points.add from v1 to v2');
  });
});
