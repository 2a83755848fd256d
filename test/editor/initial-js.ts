// What a browser downloads before the editor's first screen: the module script index.html names,
// its <link rel="modulepreload"> chunks, and every chunk those import statically (a static import
// Vite did not list as a preload still blocks the first render). Chunks reached only through
// `import()` are loaded on demand and not counted.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface InitialJs {
  /** Asset paths (relative to dist/), in the order they were found. */
  files: string[];
  /** Bytes on disk of those files. */
  rawBytes: number;
  /** Their gzipped size (level 9, as servers and Vite's own report compress). */
  gzipBytes: number;
}

/** The `src`/`href` of index.html's module script and modulepreload links. */
export function initialReferences(html: string): string[] {
  const tags = html.match(/<(script|link)\b[^>]*>/g) ?? [];
  const refs: string[] = [];
  for (const tag of tags) {
    const isModuleScript = tag.startsWith('<script') && /type="module"/.test(tag);
    const isPreload = tag.startsWith('<link') && /rel="modulepreload"/.test(tag);
    const ref = /\b(?:src|href)="([^"]+)"/.exec(tag)?.[1];
    if ((isModuleScript || isPreload) && ref) refs.push(ref);
  }
  return refs;
}

/** The relative chunks a minified ES module imports statically (`import"./a.js"`, `import{x}from"./b.js"`, `export*from"./c.js"`). */
export function staticImports(code: string): string[] {
  const found = code.matchAll(/(?:\bimport|\bexport)\s*(?:[\w$*{}\s,]*?\bfrom\s*)?["'](\.{1,2}\/[^"']+\.js)["']/g);
  return [...found].map((m) => m[1] as string);
}

/** Sums the initial JavaScript of a Vite build in `dist` (asset URLs are absolute from its root). */
export function measureInitialJs(dist: string): InitialJs {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const queue = initialReferences(html).map((ref) => ref.replace(/^\//, ''));
  const files: string[] = [];
  let rawBytes = 0;
  let gzipBytes = 0;
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (files.includes(file)) continue;
    files.push(file);
    const body = readFileSync(join(dist, file));
    rawBytes += body.length;
    gzipBytes += gzipSync(body, { level: 9 }).length;
    const dir = file.slice(0, file.lastIndexOf('/') + 1);
    for (const imported of staticImports(body.toString('utf8')))
      queue.push(new URL(imported, `x:/${dir}`).pathname.slice(1));
  }
  return { files, rawBytes, gzipBytes };
}
