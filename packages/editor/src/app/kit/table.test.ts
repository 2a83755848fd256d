import { beforeAll, describe, expect, it } from 'vitest';
import { loadLanguage, tFor } from '../../locales/catalogs.ts';
import { byNumber, byText, pagination, rowAttributes } from './table.ts';

describe('table helpers', () => {
  it('sorts names in pinyin order in Chinese and alphabetically in English', () => {
    const rows = [{ name: '草稿' }, { name: '阿里' }, { name: 'Zoo' }];
    const zh = [...rows].sort(byText((r) => r.name, 'zh-CN')).map((r) => r.name);
    expect(zh.indexOf('阿里')).toBeLessThan(zh.indexOf('草稿'));
    const en = [{ name: 'beta' }, { name: 'Alpha' }].sort(byText((r) => r.name, 'en')).map((r) => r.name);
    expect(en).toEqual(['Alpha', 'beta']);
    expect([{ n: 3 }, { n: 1 }, { n: 2 }].sort(byNumber((r) => r.n)).map((r) => r.n)).toEqual([1, 2, 3]);
  });

  it('gives rows a test id and data-* facts, skipping the unknown ones', () => {
    const click = () => {};
    expect(
      rowAttributes('journey-row', { 'journey-id': 'j1', folder: undefined, live: true }, { onClick: click }),
    ).toEqual({ 'data-testid': 'journey-row', 'data-journey-id': 'j1', 'data-live': 'true', onClick: click });
  });

  beforeAll(() => loadLanguage('en'));

  it('words the range of a page in the UI language', () => {
    const zh = pagination(tFor('zh-CN'));
    const en = pagination(tFor('en'));
    expect(zh.defaultPageSize).toBe(20);
    expect(zh.showTotal(57, [21, 40])).toBe('第 21–40 条，共 57 条');
    expect(en.showTotal(57, [21, 40])).toBe('21–40 of 57');
  });
});
