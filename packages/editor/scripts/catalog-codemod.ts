import { parseSync } from 'vite';

/**
 * The codemod that moves the editor's in-place strings, `tr('中文', 'English')`, into i18next
 * catalogs (`src/locales/<lang>/<namespace>.json`) and rewrites each call to `t('ns:key', {...})`.
 * Pure: one source text and the catalogs in, the new text, the catalogs' additions and what it could
 * not convert out (extract-catalog.ts reads and writes the files). Deterministic and idempotent, so
 * it can be run again over code that others keep writing with `tr(...)`.
 *
 * A file is converted whole or not at all: if one of its calls cannot be converted (an argument
 * that is not a literal, a `t` of the file's own that a call would see, a `tr` defined some other
 * way), the file is left as it is and each reason is reported with its line.
 */

export type Lang = 'zh-CN' | 'en';
/** Flat keys (`group.slug`, plural forms `_one`/`_other`) to text, per namespace, per language. */
export type Catalogs = Record<Lang, Record<string, Record<string, string>>>;

export interface Problem {
  line: number;
  message: string;
}

export interface FileResult {
  output: string;
  changed: boolean;
  /** Calls or definitions it could not convert: the file is left unchanged when there is any. */
  problems: Problem[];
  /** Converted, but worth a look (words inside an interpolation, interpolations only one language has). */
  warnings: Problem[];
}

// biome-ignore lint/suspicious/noExplicitAny: ESTree nodes from the parser, walked generically.
type Node = any;

interface Edit {
  start: number;
  end: number;
  render: () => string;
}

const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;

/** The namespace of a file under src/: its area (first folder; app/journeys and app/editor are their own). */
export function namespaceOf(relPath: string): string {
  const parts = relPath
    .replace(/\\/g, '/')
    .replace(/^src\//, '')
    .split('/');
  if (parts.length === 1) return 'app';
  if (parts[0] === 'app' && parts.length > 2) return parts[1];
  return parts[0];
}

/** The key group of a file: its name in camelCase (`JourneyRowActions.tsx` → `journeyRowActions`). */
export function groupOf(relPath: string): string {
  const base =
    relPath
      .replace(/\\/g, '/')
      .split('/')
      .pop()
      ?.replace(/\.[^.]+$/, '') ?? 'text';
  return camel(base.split(/[^A-Za-z0-9]+/).filter(Boolean)) || 'text';
}

function camel(words: string[]): string {
  return words
    .map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1)))
    .join('');
}

/** A key's last part from the English words (interpolations by name): up to five words, camelCase (`Delete "{{name}}"?` → `deleteName`). */
export function slugOf(english: string): string {
  const words = english
    .replace(/\{\{([^}]*)\}\}/g, (_, name: string) =>
      /^value\d*$/.test(name) ? ' ' : ` ${name.replace(/([a-z])([A-Z])/g, '$1 $2')} `,
    )
    .replace(/'/g, '')
    .toLowerCase()
    .match(/[a-z0-9]+/g);
  if (!words) return 'text';
  const slug = camel(words.slice(0, 5));
  return /^[0-9]/.test(slug) ? `n${slug}` : slug;
}

/** The interpolation name an expression gets: its last plain name (`c.name` → name, `data?.length ?? 0` → length). */
function nameOfExpression(node: Node): string {
  switch (node?.type) {
    case 'Identifier':
      return node.name;
    case 'MemberExpression':
      return node.computed ? nameOfExpression(node.object) : node.property.name;
    case 'ChainExpression':
    case 'TSNonNullExpression':
    case 'TSAsExpression':
    case 'ParenthesizedExpression':
      return nameOfExpression(node.expression);
    case 'LogicalExpression':
      return nameOfExpression(node.left);
    case 'CallExpression':
      // `p.sources.join(', ')` → sources; `loc(n.label)` → label.
      if (node.callee.type === 'MemberExpression') return nameOfExpression(node.callee.object);
      return node.arguments.length === 1 ? nameOfExpression(node.arguments[0]) : nameOfExpression(node.callee);
    default:
      return 'value';
  }
}

interface TextArg {
  quasis: string[];
  expressions: Node[];
}

function textArg(node: Node): TextArg | undefined {
  if (node?.type === 'Literal' && typeof node.value === 'string') return { quasis: [node.value], expressions: [] };
  if (node?.type === 'TemplateLiteral')
    return { quasis: node.quasis.map((q: Node) => q.value.cooked), expressions: node.expressions };
  return undefined;
}

function children(node: Node): Node[] {
  const out: Node[] = [];
  for (const key of Object.keys(node)) {
    if (key === 'parent') continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (const v of value) if (v && typeof v.type === 'string') out.push(v);
    } else if (value && typeof value === 'object' && typeof value.type === 'string') out.push(value);
  }
  return out;
}

/** Names a binding pattern declares (`{ a, b: [c] }` → a, c). */
function patternIdentifiers(node: Node): Node[] {
  switch (node?.type) {
    case 'Identifier':
      return [node];
    case 'ObjectPattern':
      return node.properties.flatMap((p: Node) => patternIdentifiers(p.type === 'RestElement' ? p.argument : p.value));
    case 'ArrayPattern':
      return node.elements.flatMap((e: Node) => (e ? patternIdentifiers(e) : []));
    case 'AssignmentPattern':
      return patternIdentifiers(node.left);
    case 'RestElement':
      return patternIdentifiers(node.argument);
    case 'TSParameterProperty':
      return patternIdentifiers(node.parameter);
    default:
      return [];
  }
}

const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);
const BLOCKS = new Set([
  'BlockStatement',
  'Program',
  'ForStatement',
  'ForInStatement',
  'ForOfStatement',
  'StaticBlock',
  'SwitchStatement',
]);

function lineOf(source: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < source.length; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}

/** `tr: (zh: string, en: string) => string`: a parameter that receives the translate function. */
function isTrParameter(node: Node): boolean {
  return (
    node?.type === 'Identifier' && node.name === 'tr' && node.typeAnnotation?.typeAnnotation?.type === 'TSFunctionType'
  );
}

/** The catalogs' existing key with exactly these texts, if any (same group first, then by name). */
function existingKey(catalogs: Catalogs, ns: string, group: string, texts: Record<Lang, Record<string, string>>) {
  const zh = catalogs['zh-CN'][ns] ?? {};
  const en = catalogs.en[ns] ?? {};
  const bases = new Set<string>();
  for (const k of Object.keys(en)) bases.add(k.replace(/_(one|other)$/, ''));
  const sorted = [...bases].sort((a, b) => {
    const ga = a.startsWith(`${group}.`) ? 0 : 1;
    const gb = b.startsWith(`${group}.`) ? 0 : 1;
    return ga - gb || (a < b ? -1 : a > b ? 1 : 0);
  });
  const same = (have: Record<string, string>, base: string, want: Record<string, string>) => {
    const haveSuffixes = Object.keys(have).filter(
      (k) => k === base || (k.startsWith(`${base}_`) && /^_(one|other)$/.test(k.slice(base.length))),
    );
    if (haveSuffixes.length !== Object.keys(want).length) return false;
    return Object.entries(want).every(([suffix, text]) => have[base + suffix] === text);
  };
  return sorted.find((base) => same(en, base, texts.en) && same(zh, base, texts['zh-CN']));
}

function keyTaken(catalogs: Catalogs, ns: string, base: string): boolean {
  for (const lang of ['zh-CN', 'en'] as const) {
    const cat = catalogs[lang][ns] ?? {};
    if (base in cat || `${base}_one` in cat || `${base}_other` in cat) return true;
    // A key may not be both a text and a group of keys in nested JSON.
    if (Object.keys(cat).some((k) => k.startsWith(`${base}.`) || base.startsWith(`${k}.`))) return true;
  }
  return false;
}

/**
 * Converts one file. `relPath` is relative to the editor package (`src/app/LoginPage.tsx`); the
 * catalogs are extended in place with the keys this file adds.
 */
export function convertSource(relPath: string, source: string, catalogs: Catalogs): FileResult {
  const unchanged = (problems: Problem[], warnings: Problem[] = []): FileResult => ({
    output: source,
    changed: false,
    problems,
    warnings,
  });
  if (!/\btr\b/.test(source)) return unchanged([]);
  const parsed = parseSync(relPath, source, { lang: relPath.endsWith('x') ? 'tsx' : 'ts', sourceType: 'module' });
  if (parsed.errors.length > 0)
    return unchanged([{ line: 1, message: `does not parse: ${parsed.errors[0]?.message ?? 'syntax error'}` }]);

  const ns = namespaceOf(relPath);
  const group = groupOf(relPath);
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const calls: Node[] = [];
  const renames: Edit[] = [];
  const tBindings: { node: Node; scope: Node }[] = [];
  let needsTFunctionType = false;
  let needsTFor = false;
  let hasTForImport = false;
  let trForImport: Node | undefined;

  const visit = (node: Node, ancestors: Node[]) => {
    const parent = ancestors[ancestors.length - 1];
    if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'tr')
      calls.push(node);

    // Where `t` is declared, and the scope it covers.
    const declareT = (ids: Node[], scope: Node) => {
      for (const id of ids) if (id.name === 't') tBindings.push({ node: id, scope });
    };
    if (FUNCTIONS.has(node.type)) declareT(node.params.flatMap(patternIdentifiers), node);
    if (node.type === 'CatchClause' && node.param) declareT(patternIdentifiers(node.param), node);
    if (node.type === 'VariableDeclarator') {
      const scope = [...ancestors].reverse().find((a) => BLOCKS.has(a.type) || FUNCTIONS.has(a.type));
      const fromLocale =
        node.init?.type === 'CallExpression' &&
        node.init.callee.type === 'Identifier' &&
        (node.init.callee.name === 'useLocale' || node.init.callee.name === 'useTranslation');
      if (!fromLocale) declareT(patternIdentifiers(node.id), scope);
    }
    if (node.type === 'ImportSpecifier' || node.type === 'ImportDefaultSpecifier') {
      if (node.local.name === 't') tBindings.push({ node: node.local, scope: ancestors[0] });
      if (node.local.name === 'tFor') hasTForImport = true;
      if (node.local.name === 'trFor') trForImport = node;
    }

    // Every other `tr`: the ones this codemod knows how to rewrite, or a reason to leave the file.
    if (
      node.type === 'Identifier' &&
      node.name === 'tr' &&
      !(parent?.type === 'CallExpression' && parent.callee === node)
    ) {
      const grand = ancestors[ancestors.length - 2];
      if (parent?.type === 'Property' && grand?.type === 'ObjectPattern') {
        // `const { tr, locale } = useLocale()`: becomes `t` (dropped when the pattern already has `t`).
        const declarator = ancestors[ancestors.length - 3];
        const fromLocale =
          declarator?.type === 'VariableDeclarator' &&
          declarator.init?.type === 'CallExpression' &&
          declarator.init.callee.name === 'useLocale';
        if (!fromLocale || !parent.shorthand) {
          if (parent.value === node)
            problems.push({
              line: lineOf(source, node.start),
              message: 'tr is taken from something other than useLocale()',
            });
        } else if (parent.value === node) {
          const hasT = grand.properties.some((p: Node) => p.type === 'Property' && p.key?.name === 't');
          if (hasT) {
            const index = grand.properties.indexOf(parent);
            const next = grand.properties[index + 1];
            const prev = grand.properties[index - 1];
            const start = next ? parent.start : prev.end;
            const end = next ? next.start : parent.end;
            renames.push({ start, end, render: () => '' });
          } else renames.push({ start: parent.start, end: parent.end, render: () => 't' });
        }
      } else if (parent?.type === 'Property' && parent.key === node && !parent.computed) {
        // An object's key named tr (e.g. i18n.ts's own) is not a use.
      } else if (isTrParameter(node) && FUNCTIONS.has(parent?.type) && parent.params.includes(node)) {
        needsTFunctionType = true;
        renames.push({ start: node.start, end: node.end, render: () => 't: TFunction' });
      } else if (parent?.type === 'CallExpression' && parent.arguments.includes(node)) {
        renames.push({ start: node.start, end: node.end, render: () => 't' });
      } else if (
        parent?.type === 'VariableDeclarator' &&
        parent.id === node &&
        parent.init?.type === 'CallExpression' &&
        parent.init.callee.type === 'Identifier' &&
        parent.init.callee.name === 'trFor'
      ) {
        // `const tr = trFor(locale)` outside React: `const t = tFor(locale)`.
        needsTFor = true;
        renames.push({ start: node.start, end: node.end, render: () => 't' });
        renames.push({ start: parent.init.callee.start, end: parent.init.callee.end, render: () => 'tFor' });
      } else if (parent?.type === 'ImportSpecifier' || parent?.type === 'TSPropertySignature') {
        // The type or the import is not a use.
      } else
        problems.push({
          line: lineOf(source, node.start),
          message: 'tr is defined or used in a way the codemod does not know',
        });
    }
    for (const child of children(node)) visit(child, [...ancestors, node]);
  };
  visit(parsed.program, []);

  // A `t` of the file's own that a converted call would see.
  for (const call of calls) {
    const clash = tBindings.find((b) => b.scope && b.scope.start <= call.start && call.end <= b.scope.end);
    if (clash)
      problems.push({
        line: lineOf(source, call.start),
        message: `a local "t" (line ${lineOf(source, clash.node.start)}) would hide the translate function; rename it first`,
      });
  }

  const plans: { call: Node; zh: TextArg; en: TextArg }[] = [];
  for (const call of calls) {
    const [zhArg, enArg] = call.arguments;
    const zh = textArg(zhArg);
    const en = textArg(enArg);
    if (call.arguments.length !== 2 || !zh || !en) {
      problems.push({
        line: lineOf(source, call.start),
        message: 'tr(...) needs two string or template literal arguments',
      });
      continue;
    }
    plans.push({ call, zh, en });
  }
  if (problems.length > 0) return unchanged(problems);

  const additions = { 'zh-CN': {} as Record<string, string>, en: {} as Record<string, string> };
  const catalogFor = (lang: Lang) => {
    catalogs[lang][ns] ??= {};
    return catalogs[lang][ns];
  };

  // Call edits render their interpolated expressions through `render`, so a tr(...) inside
  // another's template is converted too.
  const edits: Edit[] = [...renames];
  const render = (start: number, end: number, skip?: Edit): string => {
    const inner = edits
      .filter((e) => e !== skip && e.start >= start && e.end <= end)
      .sort((a, b) => a.start - b.start)
      .filter((e, i, all) => !all.slice(0, i).some((o) => o.start <= e.start && e.end <= o.end));
    let out = '';
    let at = start;
    for (const e of inner) {
      out += source.slice(at, e.start) + e.render();
      at = e.end;
    }
    return out + source.slice(at, end);
  };

  const interpolations: { expr: Node; name: string }[] = [];
  for (const { call, zh, en } of plans) {
    // One name per distinct expression (by its source text), shared by both languages.
    const names = new Map<string, string>();
    const exprOf = new Map<string, Node>();
    const used = new Set<string>();
    let countSource: string | undefined;
    en.expressions.forEach((expr, i) => {
      if (/^\s+[A-Za-z]+\(s\)/.test(en.quasis[i + 1] ?? '') && countSource === undefined)
        countSource = source.slice(expr.start, expr.end);
    });
    for (const expr of [...zh.expressions, ...en.expressions]) {
      const text = source.slice(expr.start, expr.end);
      if (names.has(text)) continue;
      let name = text === countSource ? 'count' : nameOfExpression(expr);
      if (!/^[A-Za-z_$][\w$]*$/.test(name) || (name === 'count' && text !== countSource)) name = 'value';
      let unique = name;
      for (let n = 2; used.has(unique); n++) unique = `${name}${n}`;
      used.add(unique);
      names.set(text, unique);
      exprOf.set(text, expr);
      interpolations.push({ expr, name: unique });
    }
    const zhTexts = new Set(zh.expressions.map((e) => source.slice(e.start, e.end)));
    const enTexts = new Set(en.expressions.map((e) => source.slice(e.start, e.end)));
    for (const [text, name] of names)
      if (!zhTexts.has(text) || !enTexts.has(text))
        warnings.push({ line: lineOf(source, call.start), message: `{{${name}}} is in one language only (${text})` });

    const joined = (arg: TextArg) =>
      arg.quasis.reduce(
        (out, q, i) =>
          out +
          q +
          (i < arg.expressions.length
            ? `{{${names.get(source.slice(arg.expressions[i].start, arg.expressions[i].end))}}}`
            : ''),
        '',
      );
    if ([...zh.quasis, ...en.quasis].some((q) => q.includes('{{')))
      warnings.push({
        line: lineOf(source, call.start),
        message: 'the text has a literal {{…}}, which i18next reads as an interpolation: pass it as a value',
      });
    const enText = joined(en);
    const zhText = joined(zh);
    const texts: Record<Lang, Record<string, string>> = countSource
      ? {
          en: {
            _one: enText.replace(/(\{\{count\}\}\s+[A-Za-z]+)\(s\)/, '$1'),
            _other: enText.replace(/(\{\{count\}\}\s+[A-Za-z]+)\(s\)/, '$1s'),
          },
          'zh-CN': { _other: zhText },
        }
      : { en: { '': enText }, 'zh-CN': { '': zhText } };

    let key = existingKey(catalogs, ns, group, texts);
    if (!key) {
      const base = `${group}.${slugOf(texts.en._other ?? enText)}`;
      key = base;
      for (let n = 2; keyTaken(catalogs, ns, key); n++) key = `${base}${n}`;
      for (const lang of ['zh-CN', 'en'] as const)
        for (const [suffix, text] of Object.entries(texts[lang])) {
          catalogFor(lang)[key + suffix] = text;
          additions[lang][key + suffix] = text;
        }
    }
    const fullKey = `${ns}:${key}`;
    const edit: Edit = {
      start: call.start,
      end: call.end,
      render: () => {
        if (names.size === 0) return `t('${fullKey}')`;
        const props = [...names].map(([text, name]) => {
          const expr = exprOf.get(text);
          const value = render(expr.start, expr.end, edit);
          return value === name ? name : `${name}: ${value}`;
        });
        return `t('${fullKey}', { ${props.join(', ')} })`;
      },
    };
    edits.push(edit);
  }

  // Words left in code inside an interpolation (tr calls inside it are converted, so render first).
  for (const { expr, name } of interpolations) {
    const text = render(expr.start, expr.end);
    if (/['"`]/.test(text) && (CJK.test(text) || /[A-Za-z]{2,}\s[A-Za-z]/.test(text)))
      warnings.push({
        line: lineOf(source, expr.start),
        message: `words inside the interpolation {{${name}}}: move them to the catalog`,
      });
  }
  let output = render(0, source.length);
  if (needsTFunctionType && !/import type \{[^}]*\bTFunction\b[^}]*\} from 'i18next'/.test(output))
    output = addImport(output, "import type { TFunction } from 'i18next';");
  if (needsTFor && !hasTForImport) {
    if (trForImport) output = output.replace(/\btrFor\b(?=[^;]*from)/, 'tFor');
    else problems.push({ line: 1, message: 'trFor is used but not imported' });
  }
  return { output, changed: output !== source, problems, warnings };
}

/** Adds an import after the file's last import (or at the top). */
function addImport(source: string, line: string): string {
  const imports = [...source.matchAll(/^import [^;]*;\s*$/gm)];
  const last = imports[imports.length - 1];
  if (!last || last.index === undefined) return `${line}\n${source}`;
  const at = last.index + last[0].length;
  return `${source.slice(0, at).trimEnd()}\n${line}\n${source.slice(at).replace(/^\n/, '')}`;
}
