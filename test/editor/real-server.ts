// What the editor's browser tests share: one build of the editor per test run, the real server
// (runtime main on a scratch SQLite file) on a free port in its own process group, and the
// options for Debian's Chromium.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

export const root = resolve(import.meta.dirname, '../..');
export const shots = join(root, 'test-output/screenshots');
const editorDir = join(root, 'packages/editor');
const dist = join(editorDir, 'dist');

/** Chromium from Debian's package, headless, without the background traffic a profile makes. */
export const chromiumOptions = {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
  // The editor turns antd's animations off for it: a screenshot never catches a modal mid-zoom.
  reducedMotion: 'reduce' as const,
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Builds the editor once per `vitest run`. Test files run in parallel workers, and vite empties
 * dist/ when it starts: two builds at once left one file's server with no index.html. A lock
 * directory serialises the builds and a stamp naming this run (the workers' parent process) lets
 * every file after the first reuse the build.
 */
export async function buildEditorOnce(): Promise<void> {
  const lock = join(editorDir, '.build-lock');
  const stamp = join(dist, '.built-for-run');
  const run = String(process.ppid);
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than any build is left over from a killed run.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true });
      if (waited > 300_000) throw new Error(`editor build lock ${lock} held for 5 minutes`);
      await sleep(200);
    }
  }
  try {
    if (existsSync(stamp) && readFileSync(stamp, 'utf8') === run) return;
    // The build users get (`pnpm start`): vitest sets NODE_ENV=test, which vite would otherwise
    // follow into a development build of React and antd (dev-only checks, bigger, slower).
    execFileSync('npx', ['vite', 'build'], {
      cwd: editorDir,
      stdio: 'pipe',
      env: { ...process.env, NODE_ENV: 'production' },
    });
    writeFileSync(stamp, run);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * A port nobody listens on now (the OS picks it), not a random one in a fixed range: a server
 * another test run left behind on a guessed port would otherwise answer in place of ours.
 */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
    probe.on('error', fail);
  });
}

/** The admin's password on every server `startRealServer` starts (username `admin`). */
export const ADMIN_PASSWORD = 'secret123';

export interface RealServer {
  base: string;
  /** The scratch folder (SQLite file `siyu.db`, browser profiles). */
  dir: string;
  stop(): Promise<void>;
}

/**
 * Starts `src/main.ts` as `pnpm start` does (after `buildEditorOnce`), with an admin password of
 * `ADMIN_PASSWORD` and no example journeys; `seed` may write the SQLite file before the server opens it;
 * `env` overrides its environment (e.g. `LOAD_EXAMPLES: 'true'` for the template gallery).
 */
export async function startRealServer(
  name: string,
  seed?: (dbPath: string) => Promise<void>,
  env: Record<string, string> = {},
): Promise<RealServer> {
  await buildEditorOnce();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), `siyu-editor-${name}-`));
  const dbPath = join(dir, 'siyu.db');
  await seed?.(dbPath);
  // Node with tsx's loader, as testing/server-process.ts starts it: `npx tsx` cost ~1.2 s of CPU
  // more per start (npx, then tsx's own CLI process) on a machine the other test file shares.
  const server: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: join(root, 'packages/runtime'),
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_PATH: dbPath,
      ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
      LOAD_EXAMPLES: 'false',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
    // Its own process group, so stopping it also stops the server under npx and tsx.
    detached: true,
  });
  let stderr = '';
  server.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const stop = async () => {
    if (server.pid && server.exitCode === null) {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 120; i++) {
    const ok = await fetch(`${base}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) {
      mkdirSync(shots, { recursive: true });
      return { base, dir, stop };
    }
    if (server.exitCode !== null) break;
    await sleep(500);
  }
  await stop();
  throw new Error(`the server did not become healthy on ${base}:\n${stderr}`);
}

/**
 * Collects the Content-Security-Policy violations of every page of `context` (the browser reports
 * them on the console and as `securitypolicyviolation` events): the server's CSP must not block
 * anything the editor does, so tests expect this list to stay empty.
 */
export async function watchCspViolations(context: BrowserContext): Promise<string[]> {
  const violations: string[] = [];
  const watch = (page: Page) =>
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
  context.pages().forEach(watch);
  context.on('page', watch);
  // A string, not a function: this package's TypeScript has no DOM types.
  await context.addInitScript({
    content:
      "document.addEventListener('securitypolicyviolation', (e) => console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));",
  });
  return violations;
}
