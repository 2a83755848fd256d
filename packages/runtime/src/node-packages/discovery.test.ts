// Discovery of third-party node packages: real folders with package.json and TypeScript entries
// in a temp workspace (node_modules linked to the real @siyu/shared and zod), imported for real.

import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { createEffectCalls } from '@siyu/shared';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executorContext } from '../../testing/executor-context.ts';
import { addCustomers, graphOf, publishJourney } from '../../testing/fixtures.ts';
import { discoverRuntimeNodePackages, runtimeNodes } from '../assembly/default-nodes.ts';
import { createCredentialStore } from '../credentials/store.ts';
import { type Database, openDatabase } from '../db/database.ts';
import { ManualClock } from '../engine/api.ts';
import { createEngine } from '../engine/engine.ts';
import { createLogger } from '../logger.ts';
import { type Discovery, discoverNodePackages } from './discovery.ts';
import { assembleExtensions } from './extension-assembly.ts';
import { createExtensionStorage, effectNamespace } from './extension-storage.ts';
import { DEFAULT_NODE_PACKAGE_LOCATIONS } from './package-finder.ts';
import { BUILT_IN_PACKAGES } from './registry.ts';
import { createSandboxInbox } from './sandbox-inbox.ts';

let root: string;
let workspace: string;
let discovery: Discovery;
let db: Database;
const clock = new ManualClock(Date.UTC(2026, 2, 2, 2, 0, 0));

const manifest = (name: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    name,
    type: 'module',
    siyu: { nodePackage: true },
    exports: { '.': './src/index.ts', './server': './src/server.ts' },
    ...extra,
  });

/** A node definition module; `type` and `body` vary per fixture. */
const definitions = (pkg: string, type: string, more = '') => `
import { defineNode, defineNodePackage, t } from '@siyu/shared';
import { z } from 'zod';
export const ping = defineNode({
  type: '${type}', version: 1, category: 'integration', icon: 'link', label: t('探测', 'Ping'),
  config: z.object({ url: z.string().min(1) }), defaultConfig: { url: 'x' },
  outputs: [{ id: 'next', label: t('继续', 'Next') }],
  ${more}
});
export const pkg = defineNodePackage({ name: '${pkg}', label: t('探测', 'Ping'), nodes: [ping] });
`;

function writePackage(folder: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    const file = join(workspace, folder, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'siyu-discovery-'));
  workspace = join(root, 'examples');
  // Packages resolve @siyu/shared and zod from the workspace's node_modules, as pnpm links them.
  const modules = join(root, 'node_modules');
  mkdirSync(join(modules, '@siyu'), { recursive: true });
  const shared = resolve(import.meta.dirname, '..', '..', '..', 'shared');
  symlinkSync(shared, join(modules, '@siyu', 'shared'));
  symlinkSync(realpathSync(join(shared, 'node_modules', 'zod')), join(modules, 'zod'));

  writePackage('a-good', {
    'package.json': manifest('@fx/good'),
    'src/index.ts': definitions('fx-good', 'fx-good.ping', "effect: { failurePort: 'next' },"),
    'src/server.ts': `import { defineExecutor, defineServerPackage } from '@siyu/shared';
import { ping } from './index.ts';
export default defineServerPackage((deps) => ({
  name: 'fx-good',
  executors: [defineExecutor(ping, async (ctx) => {
    await deps.storage.once('hit:' + ctx.idempotencyKey, () => deps.env.FX_GREETING ?? 'none');
    return { port: 'next', data: { greeting: await deps.storage.get('hit:' + ctx.idempotencyKey) } };
  })],
}));
`,
  });
  writePackage('b-journey', { 'journey.json': '{"nodes":[],"edges":[]}' });
  writePackage('c-unmarked', {
    'package.json': JSON.stringify({ name: '@fx/unmarked' }),
    'src/index.ts': 'export {};',
  });
  writePackage('d-bad-json', { 'package.json': '{ "name": "@fx/bad-json", ' });
  writePackage('e-wrong-entry', {
    'package.json': manifest('@fx/wrong-entry', { exports: { '.': './index.ts' } }),
  });
  writePackage('f-throws', {
    'package.json': manifest('@fx/throws'),
    'src/index.ts': "throw new Error('FX_REGION is not set');\n",
  });
  writePackage('g-empty', { 'package.json': manifest('@fx/empty'), 'src/index.ts': 'export const answer = 42;\n' });
  writePackage('h-clash', {
    'package.json': manifest('@fx/clash'),
    'src/index.ts': definitions('fx-clash', 'core.wait'),
  });
  writePackage('i-bad-default', {
    'package.json': manifest('@fx/bad-default'),
    'src/index.ts': definitions('fx-bad-default', 'fx-bad-default.ping').replace("{ url: 'x' }", "{ url: '' }"),
  });
  writePackage('j-same-name', {
    'package.json': manifest('@fx/same-name'),
    'src/index.ts': definitions('fx-good', 'fx-good.other'),
  });
  writePackage('k-server-throws', {
    'package.json': manifest('@fx/server-throws'),
    'src/index.ts': definitions('fx-server-throws', 'fx-server-throws.ping', "effect: { failurePort: 'next' },"),
    'src/server.ts': `export function createServerPackage(deps: { env: Record<string, string | undefined> }) {
  if (!deps.env.FX_API_KEY) throw new Error('FX_API_KEY is not set');
  return { name: 'fx-server-throws', executors: [] };
}
`,
  });
  writePackage('l-wrong-executor', {
    'package.json': manifest('@fx/wrong-executor'),
    'src/index.ts': definitions('fx-wrong-executor', 'fx-wrong-executor.ping'),
    'src/server.ts': `export default { name: 'fx-wrong-executor', executors: [{ definition: { type: 'core.wait' }, run: async () => ({ port: 'next' }) }] };\n`,
  });
  writePackage('m-no-server', {
    'package.json': manifest('@fx/no-server', { exports: { '.': './src/index.ts' } }),
    'src/index.ts': definitions('fx-no-server', 'fx-no-server.ping', "effect: { failurePort: 'next' },"),
  });
  writePackage('q-update-without-effect', {
    'package.json': manifest('@fx/update-without-effect'),
    'src/index.ts': definitions(
      'fx-update-without-effect',
      'fx-update-without-effect.ping',
      "customerUpdate: () => ({ update: { addTags: ['x'] }, port: 'next' }),",
    ),
  });
  writePackage('r-update-with-channel', {
    'package.json': manifest('@fx/update-with-channel'),
    'src/index.ts': definitions(
      'fx-update-with-channel',
      'fx-update-with-channel.ping',
      "effect: { channel: 'sms' }, customerUpdate: () => ({ update: { addTags: ['x'] }, port: 'next' }),",
    ),
  });
  // Near misses: the marker with a typo, as a string, or missing from a folder that defines nodes.
  writePackage('n-typo', {
    'package.json': manifest('@fx/typo', { siyu: { nodepackage: true } }),
    'src/index.ts': definitions('fx-typo', 'fx-typo.ping'),
  });
  writePackage('o-string', {
    'package.json': manifest('@fx/string', { siyu: { nodePackage: 'true' } }),
    'src/index.ts': definitions('fx-string', 'fx-string.ping'),
  });
  writePackage('p-no-marker', {
    'package.json': JSON.stringify({ name: '@fx/no-marker', exports: { '.': './src/index.ts' } }),
    'src/index.ts': definitions('fx-no-marker', 'fx-no-marker.ping'),
  });
  discovery = await discoverNodePackages({
    locations: { roots: [workspace, join(root, 'missing')], deployments: [] },
    builtIn: BUILT_IN_PACKAGES,
  });
  db = await openDatabase(join(root, 'test.db'));
});
afterAll(() => {
  db.close();
  rmSync(root, { recursive: true, force: true });
});

const problemOf = (pkg: string) => discovery.problems.find((p) => p.package === pkg)?.message;

describe('node package discovery', () => {
  it('loads marked packages and ignores folders without the marker (journey examples, plain packages)', () => {
    expect(discovery.packages.map((p) => p.name)).toEqual([
      '@fx/good',
      '@fx/server-throws',
      '@fx/wrong-executor',
      '@fx/no-server',
    ]);
    const problemPackages = discovery.problems.map((p) => p.package);
    expect(problemPackages).not.toContain('@fx/unmarked');
    expect(problemPackages.some((p) => p.includes('b-journey'))).toBe(false);
  });

  it('warns about packages it skips whose marker is almost right, naming the fix', async () => {
    expect(discovery.skipped.map((p) => `${p.package}: ${p.message}`)).toEqual([
      '@fx/typo: package.json has "siyu.nodepackage"; did you mean "nodePackage"? (keys are case-sensitive)',
      '@fx/string: package.json "siyu.nodePackage" is "true"; it must be the boolean true',
      '@fx/no-marker: src/index.ts defines a node package but package.json has no marker: add "siyu": { "nodePackage": true }',
    ]);
    // What `pnpm start` logs: a warning per skipped package.
    const lines: string[] = [];
    const logger = pino(
      { level: 'warn', base: undefined },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(JSON.parse(String(chunk)).msg);
          done();
        },
      }),
    );
    await discoverRuntimeNodePackages(logger, { roots: [workspace], deployments: [] });
    expect(lines).toContain(
      'node package @fx/typo skipped: package.json has "siyu.nodepackage"; did you mean "nodePackage"? (keys are case-sensitive)',
    );
  });

  it('reports each broken package by name with what is wrong', () => {
    expect(discovery.problems.find((p) => p.dir.endsWith('d-bad-json'))?.message).toMatch(
      /^package.json is not valid JSON/,
    );
    expect(problemOf('@fx/wrong-entry')).toBe('browser entry ./index.ts does not exist');
    expect(problemOf('@fx/throws')).toBe('browser entry ./src/index.ts failed to load: FX_REGION is not set');
    expect(problemOf('@fx/empty')).toMatch(/exports no NodePackage/);
    expect(problemOf('@fx/clash')).toBe(
      'pkg.nodes[0] (core.wait): type must start with "fx-clash." so it cannot clash with other packages; ' +
        'pkg.nodes[0] (core.wait): type is already defined by built-in package "core"',
    );
    expect(problemOf('@fx/bad-default')).toMatch(/^pkg\.nodes\[0\] \(fx-bad-default\.ping\)\.defaultConfig\.url: /);
    expect(problemOf('@fx/same-name')).toMatch(/^package name "fx-good" is already used by @fx\/good/);
    expect(problemOf('@fx/update-without-effect')).toBe(
      'pkg.nodes[0] (fx-update-without-effect.ping).customerUpdate: the node has no effect (add effect: {}), so it would never run',
    );
    expect(problemOf('@fx/update-with-channel')).toMatch(
      /^pkg\.nodes\[0\] \(fx-update-with-channel\.ping\)\.customerUpdate: not for a node with a channel or quiet hours/,
    );
    expect(discovery.problems).toHaveLength(9);
  });

  it('drops a package whose server half throws, returns wrong executors or is missing; the rest still run', async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'error', base: undefined },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const env = { FX_GREETING: '你好' };
    const assembly = assembleExtensions(discovery.packages, { db, clock, logger, env });
    expect(assembly.nodePackages.map((p) => p.name)).toEqual(['fx-good']);
    expect(assembly.problems.map((p) => `${p.package}: ${p.message}`)).toEqual([
      '@fx/server-throws: server factory threw: FX_API_KEY is not set',
      '@fx/wrong-executor: executor for "core.wait", which is not a node of package "fx-wrong-executor"',
      '@fx/no-server: no "./server" entry, but these nodes declare an effect: fx-no-server.ping',
    ]);

    // Through runtimeNodes (what `pnpm start` uses): logged as errors, and the engine runs the good one.
    const nodes = runtimeNodes(logger, discovery.packages)(db, clock);
    expect(lines.map((l) => JSON.parse(l).msg)).toContain(
      'node package @fx/server-throws not loaded: server factory threw: FX_API_KEY is not set',
    );
    expect(nodes.registry.get('fx-good.ping')).toBeDefined();
    expect(nodes.registry.get('fx-server-throws.ping')).toBeUndefined();
    const engine = createEngine({
      db,
      registry: nodes.registry,
      executors: nodes.serverPackages.flatMap((p) => p.executors),
      clock,
      logger: createLogger('silent'),
    });
    addCustomers(db.sqlite, 'c', 0, 1);
    publishJourney(
      db.sqlite,
      'ping',
      graphOf(
        [
          ['entry', 'core.apiEntry', {}],
          ['ping', 'fx-good.ping', { url: 'x' }],
          ['done', 'core.exit', { reason: 'pinged' }],
        ],
        [
          ['entry', 'next', 'ping'],
          ['ping', 'next', 'done'],
        ],
      ),
    );
    await engine.enroll('ping', 'c0');
    await engine.tick();
    expect(db.sqlite.prepare('SELECT status, exitReason FROM Instance').all()).toEqual([
      { status: 'exited', exitReason: 'pinged' },
    ]);
  });

  it('gives a package its own storage namespace and the environment', async () => {
    const [good] = discovery.packages;
    const server = good?.createServer?.({
      packageName: 'fx-good',
      clock,
      logger: createLogger('silent'),
      env: { FX_GREETING: '你好' },
      fetch,
      storage: createExtensionStorage(db, 'fx-good', clock),
      credentials: createCredentialStore(db).reader,
      sandbox: false,
      sandboxInbox: createSandboxInbox(db, 'fx-good'),
      effects: createEffectCalls(createExtensionStorage(db, effectNamespace('fx-good'), clock), () => clock.now()),
    });
    const result = await server?.executors[0]?.run(executorContext({ url: 'x' }, { now: new Date(clock.now()) }));
    expect(result).toEqual({ port: 'next', data: { greeting: '你好' } });
    const rows = db.sqlite.prepare("SELECT namespace, key, value FROM ExtensionRecord WHERE key = 'hit:1:n:1'").all();
    expect(rows).toEqual([{ namespace: 'fx-good', key: 'hit:1:n:1', value: '"你好"' }]);
  });

  it('finds the workspace example package and nothing broken in the real workspace', async () => {
    const real = await discoverNodePackages({ locations: DEFAULT_NODE_PACKAGE_LOCATIONS, builtIn: BUILT_IN_PACKAGES });
    expect(real.problems).toEqual([]);
    expect(real.packages.map((p) => p.name)).toContain('@siyu-example/lottery');
    // Built-in packages are not rediscovered.
    expect(real.packages.map((p) => p.nodePackage.name)).not.toContain('core');
  });
});
