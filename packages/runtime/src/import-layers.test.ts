// The runtime's dependency rule (see packages/runtime/README.md), checked on every import of every
// source file under src: an import may point to its own layer or a lower one, never up, and the
// folders of one layer must not import each other in a loop. Tests (*.test.ts, *.test-helper.ts)
// may cross layers, but nothing imports from bench/.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Lowest first. A unit is a folder under src, or a file directly in src. */
const LAYERS: { name: string; units: string[] }[] = [
  { name: 'base', units: ['logger.ts', 'env.ts', 'heap-cap.ts', 'metrics'] },
  { name: 'db', units: ['db', 'generated'] },
  { name: 'records', units: ['customers', 'audiences'] },
  { name: 'engine', units: ['engine'] },
  {
    name: 'domain',
    units: ['journeys', 'runs', 'reports', 'audit', 'auth', 'credentials', 'node-packages', 'import', 'settings'],
  },
  { name: 'trpc', units: ['trpc'] },
  { name: 'http', units: ['http'] },
  { name: 'assembly', units: ['assembly', 'config.ts'] },
  { name: 'cli', units: ['cli'] },
  { name: 'entry', units: ['main.ts', 'index.ts'] },
];

/** Packages the lower layers must not use: the engine and below know nothing of HTTP or tRPC. */
const WEB_PACKAGES = /^(express|express-rate-limit|helmet|@trpc\/.*)$/;
const NO_WEB_LAYERS = new Set(['base', 'db', 'records', 'engine']);

/** Arrows that break the rule on purpose, each with why; the test fails when one is gone. */
const KNOWN_EXCEPTIONS: { from: string; to: string; why: string }[] = [
  {
    from: 'db/data-steps.ts',
    to: 'customers/phone-duplicates.ts',
    why: 'a data step run once at open merges the customers one phone stored in two spellings joins',
  },
];

export interface SourceFile {
  /** Path under src, with forward slashes. */
  path: string;
  text: string;
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g;
const isTest = (path: string) => /\.test(-helper)?\.tsx?$/.test(path);
const unitOf = (path: string) => path.split('/')[0] as string;
const layerIndex = new Map(LAYERS.flatMap((layer, i) => layer.units.map((unit) => [unit, i] as const)));

/** Every import that breaks the rule, as `file:line: message`. */
export function importViolations(files: SourceFile[]): string[] {
  const problems: string[] = [];
  const sameLayer = new Map<string, Map<string, string>>(); // unit → unit → first file:line
  const usedExceptions = new Set<string>();
  for (const file of files) {
    const from = unitOf(file.path);
    const fromLayer = layerIndex.get(from);
    if (fromLayer === undefined && !isTest(file.path)) {
      problems.push(`${file.path}: "${from}" is in no layer (add it to LAYERS and to the README)`);
      continue;
    }
    for (const match of file.text.matchAll(IMPORT)) {
      const specifier = match[1] as string;
      const at = `${file.path}:${file.text.slice(0, match.index).split('\n').length}`;
      if (!specifier.startsWith('.')) {
        const layer = LAYERS[fromLayer ?? -1]?.name ?? '';
        if (!isTest(file.path) && NO_WEB_LAYERS.has(layer) && WEB_PACKAGES.test(specifier)) {
          problems.push(`${at}: ${layer} imports ${specifier}`);
        }
        continue;
      }
      const target = normalize(join(dirname(file.path), specifier)).replaceAll('\\', '/');
      if (target.startsWith('../')) {
        if (/^(\.\.\/)+bench\//.test(target)) problems.push(`${at}: imports ${target} (fixtures live in testing/)`);
        else if (!isTest(file.path)) problems.push(`${at}: source imports ${target} outside src`);
        continue;
      }
      if (isTest(file.path)) continue;
      if (isTest(target)) {
        problems.push(`${at}: source imports the test helper ${target}`);
        continue;
      }
      const to = unitOf(target);
      const toLayer = layerIndex.get(to);
      if (to === from || fromLayer === undefined || toLayer === undefined) continue;
      const exception = KNOWN_EXCEPTIONS.find((e) => e.from === file.path && e.to === target);
      if (exception) {
        usedExceptions.add(`${exception.from} -> ${exception.to}`);
        continue;
      }
      if (toLayer > fromLayer) {
        problems.push(`${at}: ${from} (${LAYERS[fromLayer]?.name}) imports ${target} (${LAYERS[toLayer]?.name})`);
      } else if (toLayer === fromLayer) {
        const edges = sameLayer.get(from) ?? new Map<string, string>();
        if (!edges.has(to)) edges.set(to, `${at} imports ${target}`);
        sameLayer.set(from, edges);
      }
    }
  }
  problems.push(...loops(sameLayer));
  for (const e of KNOWN_EXCEPTIONS) {
    if (!usedExceptions.has(`${e.from} -> ${e.to}`) && files.some((f) => f.path === e.from)) {
      problems.push(`${e.from}: no longer imports ${e.to}; remove it from KNOWN_EXCEPTIONS`);
    }
  }
  return problems;
}

/** Folders of one layer that import each other round in a loop, with one import of each arrow. */
function loops(edges: Map<string, Map<string, string>>): string[] {
  const found = new Map<string, string>(); // sorted members → report
  const visit = (unit: string, path: string[]) => {
    for (const next of edges.get(unit)?.keys() ?? []) {
      const start = path.indexOf(next);
      if (start < 0) {
        visit(next, [...path, next]);
        continue;
      }
      const cycle = [...path.slice(start), next];
      const key = [...path.slice(start)].sort().join(',');
      const arrows = cycle.slice(0, -1).map((u, i) => edges.get(u)?.get(cycle[i + 1] as string));
      if (!found.has(key)) found.set(key, `loop ${cycle.join(' -> ')}: ${arrows.join('; ')}`);
    }
  };
  for (const unit of edges.keys()) visit(unit, [unit]);
  return [...found.values()];
}

function sourceFiles(root: string): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'generated' && entry.name !== 'node_modules') walk(path);
      } else if (/\.tsx?$/.test(entry.name)) {
        files.push({ path: relative(root, path).replaceAll('\\', '/'), text: readFileSync(path, 'utf8') });
      }
    }
  };
  walk(root);
  return files;
}

describe('import layers', () => {
  it('every import in src points to its own layer or a lower one', () => {
    // This file's own examples below are imports written as strings: leave it out.
    const files = sourceFiles(import.meta.dirname).filter((f) => f.path !== 'import-layers.test.ts');
    expect(files.length).toBeGreaterThan(100);
    expect(importViolations(files)).toEqual([]);
  });

  it('the fixtures in testing/ never import the benchmarks', () => {
    const testing = join(import.meta.dirname, '..', 'testing');
    const fromBench = sourceFiles(testing).flatMap((file) =>
      [...file.text.matchAll(IMPORT)]
        .filter((m) => normalize(join('testing', dirname(file.path), m[1] as string)).startsWith('bench'))
        .map((m) => `testing/${file.path}: imports ${m[1]}`),
    );
    expect(fromBench).toEqual([]);
  });

  it('reports an engine file that imports the HTTP or tRPC layer, with file and line', () => {
    const files: SourceFile[] = [
      {
        path: 'engine/step.ts',
        text: "import { a } from './api.ts';\nimport type { Context } from '../trpc/context.ts';",
      },
      { path: 'engine/api.ts', text: "import express from 'express';" },
      { path: 'trpc/context.ts', text: "import type { Clock } from '../engine/api.ts';" },
    ];
    expect(importViolations(files)).toEqual([
      'engine/step.ts:2: engine (engine) imports trpc/context.ts (trpc)',
      'engine/api.ts:1: engine imports express',
    ]);
  });

  it('reports a loop between folders of one layer, and a test importing bench/', () => {
    const files: SourceFile[] = [
      { path: 'journeys/a.ts', text: "import { b } from '../reports/b.ts';" },
      { path: 'reports/b.ts', text: "import { a } from '../journeys/a.ts';" },
      { path: 'reports/b.test.ts', text: "import { x } from '../../bench/fixtures.ts';" },
    ];
    expect(importViolations(files)).toEqual([
      'reports/b.test.ts:1: imports ../bench/fixtures.ts (fixtures live in testing/)',
      'loop journeys -> reports -> journeys: journeys/a.ts:1 imports reports/b.ts; reports/b.ts:1 imports journeys/a.ts',
    ]);
  });
});
