// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the fixtures are source texts with template literals in them.
import { describe, expect, it } from 'vitest';
import { flattenCatalog, nestCatalog } from '../src/locales/catalog-json.ts';
import { type Catalogs, convertSource, groupOf, namespaceOf, slugOf } from './catalog-codemod.ts';

const empty = (): Catalogs => ({ 'zh-CN': {}, en: {} });

describe('catalog codemod: keys', () => {
  it('takes the namespace from the area and the group from the file name', () => {
    expect(namespaceOf('src/app/journeys/JourneyRowActions.tsx')).toBe('journeys');
    expect(namespaceOf('src/app/LoginPage.tsx')).toBe('app');
    expect(namespaceOf('src/App.tsx')).toBe('app');
    expect(namespaceOf('src/inspector/fields/inputs.tsx')).toBe('inspector');
    expect(groupOf('src/app/journeys/JourneyRowActions.tsx')).toBe('journeyRowActions');
    expect(groupOf('src/app/pause-reason-text.ts')).toBe('pauseReasonText');
  });

  it('slugs the English words, without interpolations', () => {
    expect(slugOf('Delete credential "{{name}}"?')).toBe('deleteCredentialName');
    expect(slugOf('{{inFlight}} waiting')).toBe('inFlightWaiting');
    expect(slugOf("Don't save the journey now or later")).toBe('dontSaveTheJourneyNow');
    expect(slugOf('…')).toBe('text');
    expect(slugOf('2 FA code')).toBe('n2FaCode');
  });
});

describe('catalog codemod: a component', () => {
  const source = [
    "import { useLocale } from '../i18n.ts';",
    '',
    'export function Row({ name }: { name: string }) {',
    '  const { tr, locale } = useLocale();',
    '  return (',
    '    <p title={tr(`删除「${name}」？`, `Delete "${name}"?`)}>',
    "      {tr('保存', 'Save')} {locale}",
    '    </p>',
    '  );',
    '}',
    '',
  ].join('\n');

  it('rewrites the calls and the destructured tr, and writes both catalogs', () => {
    const catalogs = empty();
    const result = convertSource('src/app/journeys/Row.tsx', source, catalogs);
    expect(result.problems).toEqual([]);
    expect(result.output).toContain('const { t, locale } = useLocale();');
    expect(result.output).toContain("title={t('journeys:row.deleteName', { name })}");
    expect(result.output).toContain("{t('journeys:row.save')} {locale}");
    expect(catalogs.en.journeys).toEqual({ 'row.deleteName': 'Delete "{{name}}"?', 'row.save': 'Save' });
    expect(catalogs['zh-CN'].journeys).toEqual({ 'row.deleteName': '删除「{{name}}」？', 'row.save': '保存' });
  });

  it('is idempotent: a second run changes nothing', () => {
    const catalogs = empty();
    const once = convertSource('src/app/journeys/Row.tsx', source, catalogs);
    const before = JSON.stringify(catalogs);
    const twice = convertSource('src/app/journeys/Row.tsx', once.output, catalogs);
    expect(twice.changed).toBe(false);
    expect(JSON.stringify(catalogs)).toBe(before);
  });

  it('reuses a key that has the same texts, and suffixes a key whose texts differ', () => {
    const catalogs = empty();
    convertSource('src/app/journeys/Row.tsx', source, catalogs);
    const other = [
      "import { useLocale } from '../i18n.ts';",
      'export function Other() {',
      '  const { tr } = useLocale();',
      "  return <b>{tr('保存', 'Save')}{tr('存储', 'Save')}</b>;",
      '}',
    ].join('\n');
    const result = convertSource('src/app/journeys/Row.tsx', other, catalogs);
    expect(result.output).toContain("{t('journeys:row.save')}{t('journeys:row.save2')}");
    expect(catalogs['zh-CN'].journeys['row.save2']).toBe('存储');
  });

  it('drops tr when the pattern already has t (a file converted before, then given a new call)', () => {
    const catalogs = empty();
    const mixed = [
      'export function X() {',
      '  const { t, tr, locale } = useLocale();',
      "  return <b>{t('app:x.old')}{tr('新', 'New')}{locale}</b>;",
      '}',
    ].join('\n');
    const result = convertSource('src/app/X.tsx', mixed, catalogs);
    expect(result.output).toContain('const { t, locale } = useLocale();');
    expect(result.output).toContain("{t('app:x.new')}");
  });
});

describe('catalog codemod: interpolations and plurals', () => {
  it('names interpolations after their expressions and passes them as options', () => {
    const catalogs = empty();
    const source = [
      'function f(tr: (zh: string, en: string) => string, data?: { total: number }, page = 1) {',
      '  return tr(`第 ${page} 页，共 ${data?.total ?? 0} 条`, `Page ${page}, ${data?.total ?? 0} entries`);',
      '}',
    ].join('\n');
    const result = convertSource('src/pages/audit.ts', source, catalogs);
    expect(result.output).toContain("import type { TFunction } from 'i18next';");
    expect(result.output).toContain('function f(t: TFunction, data?');
    expect(result.output).toContain("t('pages:audit.pagePageTotalEntries', { page, total: data?.total ?? 0 })");
    expect(catalogs.en.pages['audit.pagePageTotalEntries']).toBe('Page {{page}}, {{total}} entries');
  });

  it('makes a plural of "N thing(s)": one/other in English, other only in Chinese', () => {
    const catalogs = empty();
    const source =
      'const s = (tr: (zh: string, en: string) => string, n: number) => tr(`${n} 个问题`, `${n} problem(s)`);';
    const result = convertSource('src/app/ProblemsPanel.tsx', source, catalogs);
    expect(result.output).toContain("t('app:problemsPanel.countProblems', { count: n })");
    expect(catalogs.en.app).toEqual({
      'problemsPanel.countProblems_one': '{{count}} problem',
      'problemsPanel.countProblems_other': '{{count}} problems',
    });
    expect(catalogs['zh-CN'].app).toEqual({ 'problemsPanel.countProblems_other': '{{count}} 个问题' });
    // The same plural again reuses the key.
    const again = convertSource('src/app/ProblemsPanel.tsx', source, catalogs);
    expect(again.output).toContain("t('app:problemsPanel.countProblems', { count: n })");
    expect(Object.keys(catalogs.en.app)).toHaveLength(2);
  });

  it('converts a tr inside another tr’s interpolation', () => {
    const catalogs = empty();
    const source = [
      'export function V({ changed, n }: { changed: boolean; n: number }) {',
      '  const { tr } = useLocale();',
      "  return tr(`移动 ${n} 个节点${changed ? tr('，有修改', ', changed') : ''}`, `${n} moved${changed ? tr('，有修改', ', changed') : ''}`);",
      '}',
    ].join('\n');
    const result = convertSource('src/versions/V.tsx', source, catalogs);
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.output).toContain("t('versions:v.nMoved', { n, value: changed ? t('versions:v.changed') : '' })");
    expect(catalogs['zh-CN'].versions['v.nMoved']).toBe('移动 {{n}} 个节点{{value}}');
  });

  it('turns `const tr = trFor(locale)` into `const t = tFor(locale)`, import included', () => {
    const catalogs = empty();
    const source = [
      "import { trFor } from '../locales/catalogs.ts';",
      "export function text(locale: 'en' | 'zh-CN') {",
      '  const tr = trFor(locale);',
      "  return tr('未知', 'unknown');",
      '}',
    ].join('\n');
    const result = convertSource('src/app/text.ts', source, catalogs);
    expect(result.output).toContain("import { tFor } from '../locales/catalogs.ts';");
    expect(result.output).toContain('const t = tFor(locale);');
    expect(result.output).toContain("return t('app:text.unknown');");
  });
});

describe('catalog codemod: what it leaves alone', () => {
  it('reports a call whose arguments are not literals, with its line, and leaves the file', () => {
    const catalogs = empty();
    const source = [
      'function f(tr: (zh: string, en: string) => string, zh: string) {',
      "  return tr(zh, 'x');",
      '}',
    ].join('\n');
    const result = convertSource('src/app/f.ts', source, catalogs);
    expect(result.changed).toBe(false);
    expect(result.problems).toEqual([{ line: 2, message: 'tr(...) needs two string or template literal arguments' }]);
    expect(catalogs).toEqual(empty());
  });

  it('reports a local t that a converted call would see, but not one in a scope without calls', () => {
    const catalogs = empty();
    const clash = [
      'export function L({ tags }: { tags: { n: number }[] }) {',
      '  const { tr } = useLocale();',
      '  const first = tags.map((t) => t.n);',
      '  return tags.map((t) => tr(`${t.n} 位`, `${t.n} people`));',
      '}',
    ].join('\n');
    const result = convertSource('src/app/L.tsx', clash, catalogs);
    expect(result.changed).toBe(false);
    expect(result.problems).toEqual([
      { line: 4, message: 'a local "t" (line 4) would hide the translate function; rename it first' },
    ]);
  });

  it('reports a tr defined some other way', () => {
    const source = "const tr = (zh: string, en: string) => en;\nexport const x = tr('是', 'yes');";
    const result = convertSource('src/app/x.ts', source, empty());
    expect(result.changed).toBe(false);
    expect(result.problems[0]?.message).toContain('does not know');
  });

  it('leaves files without tr as they are', () => {
    const source = "export const tr = 1;\nconst row = '<tr>';";
    expect(convertSource('src/app/y.ts', 'export const x = 1;', empty()).changed).toBe(false);
    expect(convertSource('src/app/y.ts', source, empty()).problems).toHaveLength(1);
  });
});

describe('catalog files', () => {
  it('nest by the key separator with sorted keys, and flatten back', () => {
    const flat = { 'b.y': '2', 'a.x_one': '1', 'a.x_other': '1s', c: '3' };
    const tree = nestCatalog(flat);
    expect(JSON.stringify(tree)).toBe('{"a":{"x_one":"1","x_other":"1s"},"b":{"y":"2"},"c":"3"}');
    expect(flattenCatalog(tree, 'test')).toEqual(flat);
  });
});
