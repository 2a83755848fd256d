import { parseSync } from 'vite';
import { describe, expect, it } from 'vitest';
import { flattenCatalog } from './catalog-json.ts';

/**
 * The catalogs and the code that reads them agree: every key the editor uses is in both languages
 * (with the plural forms each needs) and gets the values its texts interpolate, no key is unused,
 * English has no Chinese left in it, no text is empty, no string is written in place with the
 * old `tr` helper (scripts/extract-catalog.ts moves those into the catalogs), and no Chinese is
 * written in place anywhere else either (a zh/en table, a `locale === 'en' ? … : …` pair, a
 * separator like '、'): words live in the catalogs, lists are joined by app/list-format.ts.
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

const CJK = /[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]/;

/**
 * Chinese that may stay in the source, by file and text, each with its reason. Comments are not
 * looked at (they are for developers); only strings, template text and JSX text are.
 */
const CHINESE_ALLOWED: { file: string; text: string; why: string }[] = [
  ...[
    'src/app/BootError.tsx',
    'src/app/editor/EditorToolbar.tsx',
    'src/pages/PageNav.tsx',
    'src/reports/ReportsPage.tsx',
  ].map((file) => ({
    file,
    text: '中文',
    why: 'the language switch names Chinese in Chinese (as "English" is named in English), whatever the UI language',
  })),
  {
    file: 'src/channels/LiveCodeCell.tsx',
    text: '，',
    why: 'a full-width comma separates typed staff accounts as an ASCII comma does (input, not text shown)',
  },
];

/** Every `t(...)` call in the editor's source: its key, and the option names it passes; and Chinese written in place. */
function usesIn(path: string, source: string): { uses: Use[]; bad: string[]; chinese: string[] } {
  const uses: Use[] = [];
  const bad: string[] = [];
  const chinese: string[] = [];
  const file = path.replace(/^\.\.\//, 'src/');
  const program = parseSync(path, source, { lang: path.endsWith('x') ? 'tsx' : 'ts' }).program;
  const line = (offset: number) => source.slice(0, offset).split('\n').length;
  const visit = (node: Node) => {
    const text =
      node.type === 'Literal' && typeof node.value === 'string'
        ? node.value
        : node.type === 'TemplateElement'
          ? node.value.cooked
          : node.type === 'JSXText'
            ? node.value
            : undefined;
    if (text && CJK.test(text) && !CHINESE_ALLOWED.some((a) => a.file === file && a.text === text.trim()))
      chinese.push(`${file}:${line(node.start)}: ${JSON.stringify(text.trim())}`);
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
  return { uses, bad, chinese };
}

const uses: Use[] = [];
const badCalls: string[] = [];
const chineseInPlace: string[] = [];
for (const [path, source] of Object.entries(sources)) {
  const found = usesIn(path, source);
  uses.push(...found.uses);
  badCalls.push(...found.bad);
  chineseInPlace.push(...found.chinese);
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

  it('has no Chinese written in place in the source, outside the catalogs', () => {
    // A zh/en table or a Chinese string in code shows Chinese to an English reader (or keeps a
    // second catalog the checks above cannot see): move it into locales/{zh-CN,en}/*.json.
    expect(chineseInPlace).toEqual([]);
  });

  it('finds Chinese written in place, and allows only what it lists', () => {
    const found = usesIn(
      '../x/Probe.tsx',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a probe file, parsed, not run
      "const a = ['等待', 'Wait'];\nconst b = <p>你好</p>;\nconst c = `${n} 人`;",
    ).chinese;
    expect(found).toEqual(['src/x/Probe.tsx:1: "等待"', 'src/x/Probe.tsx:2: "你好"', 'src/x/Probe.tsx:3: "人"']);
    expect(usesIn('../pages/PageNav.tsx', "const l = '中文';").chinese).toEqual([]);
    expect(usesIn('../pages/Other.tsx', "const l = '中文';").chinese).toHaveLength(1);
    // Comments are for developers.
    expect(usesIn('../x/y.ts', '// 中文注释\nconst a = 1;').chinese).toEqual([]);
  });
});
