/**
 * Moves every `tr('中文', 'English')` in packages/editor/src into the i18next catalogs
 * (src/locales/<lang>/<namespace>.json) and rewrites the calls to `t('ns:key')`. Safe to run again:
 * keys already in the catalogs are reused for the same texts, converted files have nothing left to
 * convert. Prints what it could not convert (file:line) and exits 1 when there is any.
 *
 *   pnpm --filter @siyu/editor exec tsx scripts/extract-catalog.ts [--dry-run]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flattenCatalog, nestCatalog } from '../src/locales/catalog-json.ts';
import { type Catalogs, convertSource, type Lang } from './catalog-codemod.ts';

const editorRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const srcRoot = join(editorRoot, 'src');
const localesRoot = join(srcRoot, 'locales');
const LANGS: Lang[] = ['zh-CN', 'en'];
const dryRun = process.argv.includes('--dry-run');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'locales' && name !== 'node_modules') out.push(...sourceFiles(path));
    } else if (/\.tsx?$/.test(name) && !/\.(test|test-helper)\.tsx?$/.test(name) && !name.endsWith('.d.ts'))
      out.push(path);
  }
  return out;
}

function readCatalogs(): Catalogs {
  const catalogs: Catalogs = { 'zh-CN': {}, en: {} };
  for (const lang of LANGS) {
    let files: string[] = [];
    try {
      files = readdirSync(join(localesRoot, lang)).filter((f) => f.endsWith('.json'));
    } catch {
      // No catalog yet for this language.
    }
    for (const file of files)
      catalogs[lang][file.replace(/\.json$/, '')] = flattenCatalog(
        JSON.parse(readFileSync(join(localesRoot, lang, file), 'utf8')),
        `${lang}/${file}`,
      );
  }
  return catalogs;
}

const catalogs = readCatalogs();
const before = JSON.stringify(catalogs);
const changedFiles: string[] = [];
const problems: string[] = [];
const warnings: string[] = [];
for (const path of sourceFiles(srcRoot)) {
  const rel = relative(editorRoot, path).replace(/\\/g, '/');
  const result = convertSource(rel, readFileSync(path, 'utf8'), catalogs);
  for (const p of result.problems) problems.push(`${rel}:${p.line}: ${p.message}`);
  for (const w of result.warnings) warnings.push(`${rel}:${w.line}: ${w.message}`);
  if (result.changed) {
    changedFiles.push(path);
    if (!dryRun) writeFileSync(path, result.output);
  }
}
if (!dryRun && JSON.stringify(catalogs) !== before)
  for (const lang of LANGS)
    for (const [ns, flat] of Object.entries(catalogs[lang])) {
      mkdirSync(join(localesRoot, lang), { recursive: true });
      writeFileSync(join(localesRoot, lang, `${ns}.json`), `${JSON.stringify(nestCatalog(flat), null, 2)}\n`);
    }

// The rewritten files in the repository's style (biome, as a developer would leave them).
if (!dryRun && changedFiles.length > 0) {
  const biome = spawnSync('npx', ['biome', 'check', '--write', ...changedFiles, localesRoot], {
    cwd: join(editorRoot, '..', '..'),
    stdio: 'inherit',
  });
  if (biome.status !== 0) console.log('biome left something to fix by hand in the files above');
}

console.log(`${dryRun ? 'would convert' : 'converted'} ${changedFiles.length} file(s)`);
if (warnings.length > 0) console.log(`\nconverted, worth a look:\n${warnings.join('\n')}`);
if (problems.length > 0) {
  console.log(`\nnot converted (files left as they are):\n${problems.join('\n')}`);
  process.exitCode = 1;
}
