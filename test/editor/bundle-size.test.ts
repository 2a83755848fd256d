// The editor's first screen (sign-in, journey list, canvas) must not wait for code it does not
// show: auto layout (ELK), reports (recharts), channels, version diff and the other pages load on
// demand. Builds the editor as `pnpm start` does and weighs what index.html loads up front.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it, onTestFinished } from 'vitest';
import { initialReferences, measureInitialJs, staticImports } from './initial-js.ts';
import { root } from './real-server.ts';

const BUDGET_GZIP_BYTES = 400 * 1024;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

describe('initial JavaScript of the editor', () => {
  it('finds the entry, its preloads and their static imports, not dynamic ones', () => {
    const html =
      '<script type="module" crossorigin src="/assets/index-a.js"></script>\n' +
      '<link rel="modulepreload" crossorigin href="/assets/vendor-b.js">\n<link rel="stylesheet" href="/assets/index.css">';
    expect(initialReferences(html)).toEqual(['/assets/index-a.js', '/assets/vendor-b.js']);
    const code = 'import{a as b}from"./c.js";import"./d.js";export*from"./e.js";const f=()=>import("./lazy.js");';
    expect(staticImports(code)).toEqual(['./c.js', './d.js', './e.js']);
  });

  it(`is at most ${kb(BUDGET_GZIP_BYTES)} gzipped`, { timeout: 240_000 }, async () => {
    // Its own output folder (the shared one in dist/ may be in use by a browser test), and
    // NODE_ENV=production as in `pnpm start`: vitest sets NODE_ENV=test, which would bundle React's
    // development build.
    const dist = mkdtempSync(join(tmpdir(), 'siyu-size-build-'));
    onTestFinished(() => rmSync(dist, { recursive: true, force: true }));
    execFileSync('npx', ['vite', 'build', '--outDir', dist, '--emptyOutDir'], {
      cwd: join(root, 'packages/editor'),
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: 'pipe',
    });
    const initial = measureInitialJs(dist);
    const allJs = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js'));
    const gzipOf = (file: string) => gzipSync(readFileSync(join(dist, 'assets', file)), { level: 9 }).length;
    const totalGzip = allJs.reduce((sum, file) => sum + gzipOf(file), 0);
    console.info(
      `initial JS: ${initial.files.length} files, ${kb(initial.rawBytes)} (${kb(initial.gzipBytes)} gzipped); ` +
        `all JS: ${allJs.length} files, ${kb(totalGzip)} gzipped`,
    );
    expect(initial.files.length).toBeGreaterThan(0);
    expect(initial.gzipBytes).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
  });
});
