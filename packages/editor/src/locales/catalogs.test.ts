import { parseSync } from 'vite';
import { describe, expect, it } from 'vitest';
import { flattenCatalog } from './catalog-json.ts';

/**
 * The catalogs and the code that reads them agree: every key the editor uses is in both languages
 * (with the plural forms each needs) and gets the values its texts interpolate, no key is unused,
 * English has no Chinese left in it, no text is empty, and no string is written in place with the
 * old `tr` helper (scripts/extract-catalog.ts moves those into the catalogs).
 */
type Tree = Record<string, unknown>;
const files = import.meta.glob<Tree>('./*/*.json', { eager: true, import: 'default' });
const sources = import.meta.glob<string>(
  ['../**/*.{ts,tsx}', '!../**/*.test.{ts,tsx}', '!../**/*.test-helper.{ts,tsx}'],
  {
    eager: true,
    query: '?raw',
    import: 'default',
  },
);

const LANGS = ['zh-CN', 'en'] as const;
const catalogs: Record<string, Record<string, Record<string, string>>> = { 'zh-CN': {}, en: {} };
for (const [path, tree] of Object.entries(files)) {
  const [, lang, ns] = path.match(/^\.\/([^/]+)\/([^/]+)\.json$/) ?? [];
  if (!lang || !ns) continue;
  catalogs[lang] ??= {};
  catalogs[lang][ns] = flattenCatalog(tree, path);
}

// biome-ignore lint/suspicious/noExplicitAny: ESTree nodes from the parser, walked generically.
type Node = any;
interface Use {
  where: string;
  ns: string;
  /** The key, or for a key built from a table's entry (`ns:group.${key}`) the prefix, ending in `.`. */
  key: string;
  prefix: boolean;
  options: Set<string> | undefined;
}

/** Every `t(...)` call in the editor's source: its key, and the option names it passes. */
function usesIn(path: string, source: string): { uses: Use[]; bad: string[] } {
  const uses: Use[] = [];
  const bad: string[] = [];
  const program = parseSync(path, source, { lang: path.endsWith('x') ? 'tsx' : 'ts' }).program;
  const line = (offset: number) => source.slice(0, offset).split('\n').length;
  const visit = (node: Node) => {
    // t('ns:key', …) from useLocale(), or tFor(locale)('ns:key', …) outside React.
    const callee = node.type === 'CallExpression' ? node.callee : undefined;
    const isT =
      (callee?.type === 'Identifier' && callee.name === 't') ||
      (callee?.type === 'CallExpression' && callee.callee.type === 'Identifier' && callee.callee.name === 'tFor');
    if (isT) {
      const [first, second] = node.arguments;
      const where = `${path.replace(/^\.\.\//, 'src/')}:${line(node.start)}`;
      // A key chosen from a group at run time: `ns:group.${key}`, which uses every key of the group.
      const prefix =
        first?.type === 'TemplateLiteral' &&
        first.expressions.length === 1 &&
        first.quasis[1]?.value.cooked === '' &&
        /^[a-zA-Z]+:[\w.]+\.$/.test(first.quasis[0].value.cooked)
          ? (first.quasis[0].value.cooked as string)
          : undefined;
      const text = prefix ?? (first?.type === 'Literal' && typeof first.value === 'string' ? first.value : '');
      const match = text.match(/^([a-zA-Z]+):(.+)$/);
      if (!match) bad.push(`${where}: t(...) needs a literal 'namespace:key' (or 'namespace:group.\${key}')`);
      else {
        const options =
          second?.type === 'ObjectExpression'
            ? new Set<string>(second.properties.map((p: Node) => p.key?.name ?? p.key?.value))
            : undefined;
        if (second && second.type !== 'ObjectExpression')
          bad.push(`${where}: t(...)'s options must be an object literal`);
        uses.push({ where, ns: match[1], key: match[2], prefix: prefix !== undefined, options });
      }
    }
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) for (const v of value) v && typeof v.type === 'string' && visit(v);
      else if (value && typeof (value as Node).type === 'string') visit(value);
    }
  };
  visit(program);
  return { uses, bad };
}

const uses: Use[] = [];
const badCalls: string[] = [];
for (const [path, source] of Object.entries(sources)) {
  const found = usesIn(path, source);
  uses.push(...found.uses);
  badCalls.push(...found.bad);
}

/** The catalog keys a use reads in a language: plural forms when it passes a count; a group's keys. */
function keysFor(use: Use, lang: (typeof LANGS)[number]): string[] {
  const catalog = catalogs[lang][use.ns] ?? {};
  if (use.prefix) return Object.keys(catalog).filter((k) => k.startsWith(use.key));
  if (!use.options?.has('count')) return [use.key];
  const forms = lang === 'en' ? ['_one', '_other'] : ['_other'];
  return forms.every((f) => `${use.key}${f}` in catalog) ? forms.map((f) => use.key + f) : [use.key];
}

describe('editor catalogs', () => {
  it('finds the catalogs and the calls', () => {
    expect(Object.keys(catalogs['zh-CN']).length).toBeGreaterThan(5);
    expect(uses.length).toBeGreaterThan(400);
    expect(badCalls).toEqual([]);
  });

  it('has the same namespaces in both languages', () => {
    expect(Object.keys(catalogs.en).sort()).toEqual(Object.keys(catalogs['zh-CN']).sort());
  });

  it('has every key used in both languages, with the values its texts interpolate', () => {
    const missing: string[] = [];
    const unpassed: string[] = [];
    for (const use of uses)
      for (const lang of LANGS)
        for (const key of keysFor(use, lang)) {
          const text = catalogs[lang][use.ns]?.[key];
          if (text === undefined) {
            missing.push(`${use.where}: ${lang} ${use.ns}:${key}`);
            continue;
          }
          for (const [, name] of text.matchAll(/\{\{\s*([^},\s]+)[^}]*\}\}/g))
            if (!use.options?.has(name)) unpassed.push(`${use.where}: ${lang} ${use.ns}:${key} needs {{${name}}}`);
        }
    expect(missing).toEqual([]);
    expect(unpassed).toEqual([]);
  });

  it('has the same keys in both languages in a group whose key is chosen at run time', () => {
    const base = (k: string) => k.replace(/_(one|other)$/, '');
    const differ = uses
      .filter((use) => use.prefix)
      .flatMap((use) => {
        const [zh, en] = LANGS.map((lang) => [...new Set(keysFor(use, lang).map(base))].sort().join(', '));
        return zh && zh === en ? [] : [`${use.where}: ${use.ns}:${use.key} zh-CN [${zh}] en [${en}]`];
      });
    expect(differ).toEqual([]);
  });

  it('has no key that nothing uses', () => {
    const used = new Set<string>();
    for (const use of uses)
      for (const lang of LANGS) for (const key of keysFor(use, lang)) used.add(`${lang} ${use.ns}:${key}`);
    const unused = LANGS.flatMap((lang) =>
      Object.entries(catalogs[lang]).flatMap(([ns, flat]) =>
        Object.keys(flat)
          .map((key) => `${lang} ${ns}:${key}`)
          .filter((k) => !used.has(k)),
      ),
    );
    expect(unused).toEqual([]);
  });

  it('has English without Chinese and no empty text', () => {
    const cjk = /[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]/;
    const chinese = Object.entries(catalogs.en).flatMap(([ns, flat]) =>
      Object.entries(flat)
        .filter(([, text]) => cjk.test(text))
        .map(([key, text]) => `${ns}:${key} = ${text}`),
    );
    expect(chinese).toEqual([]);
    const empty = LANGS.flatMap((lang) =>
      Object.entries(catalogs[lang]).flatMap(([ns, flat]) =>
        Object.entries(flat)
          .filter(([, text]) => text.trim() === '')
          .map(([key]) => `${lang} ${ns}:${key}`),
      ),
    );
    expect(empty).toEqual([]);
  });

  it('has no string written in place with tr(...) left in the source', () => {
    const left = Object.entries(sources).flatMap(([path, source]) =>
      source
        .split('\n')
        .map((text, i) => ({ text, line: i + 1 }))
        .filter(({ text }) => /(^|[^\w.$])tr\(/.test(text))
        .map(({ line }) => `${path.replace(/^\.\.\//, 'src/')}:${line}`),
    );
    expect(left).toEqual([]);
  });
});
