import { beforeAll, describe, expect, it } from 'vitest';
import { loadLanguage } from '../locales/catalogs.ts';
import { tagOrigin } from './tag-origin.ts';

beforeAll(() => loadLanguage('en'));

describe('tagOrigin', () => {
  const names = (id: string) => (id === 'j_1' ? '新客欢迎' : undefined);
  it('words where a tag came from, never the stored source or a journey id', () => {
    expect(tagOrigin('journey:j_1', names, 'zh-CN')).toBe('旅程「新客欢迎」');
    expect(tagOrigin('journey:j_gone', names, 'en')).toBe('a journey');
    expect(tagOrigin('manual', names, 'zh-CN')).toBe('手动添加');
    expect(tagOrigin('import', names, 'en')).toBe('imported');
    expect(tagOrigin(null, names, 'zh-CN')).toBe('来源未知');
  });
});
