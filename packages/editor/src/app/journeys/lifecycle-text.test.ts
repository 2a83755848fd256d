import { beforeAll, describe, expect, it } from 'vitest';
import { loadLanguage } from '../../locales/catalogs.ts';
import { LIFECYCLE_TEXT_KEYS, lifecycleText } from './lifecycle-text.ts';

beforeAll(() => loadLanguage('en'));

describe('lifecycle texts', () => {
  it('name the customers in flight and say what happens to them, in both languages', () => {
    expect(lifecycleText('archiveBody', 'zh-CN', '新客欢迎', 7)).toContain('7 位客户不受影响');
    expect(lifecycleText('archiveBody', 'en', 'Welcome', 7)).toContain('The 7 customers in it now are not affected');
    expect(lifecycleText('stopBody', 'en', 'Welcome', 1)).toMatch(/^The 1 customer in it now ends its run at once/);
    expect(lifecycleText('pauseBody', 'zh-CN', 'x', 3)).toContain('旅程中现有的 3 位客户继续进行');
    expect(lifecycleText('stopTitle', 'zh-CN', '新客欢迎')).toBe('停止旅程「新客欢迎」？');
    expect(lifecycleText('archiveBody', 'en', 'Welcome', 1)).toContain('The 1 customer in it now is not affected');
    expect(lifecycleText('rollbackTitle', 'en', '3')).toBe('Roll back to version 3');
  });

  it('has Chinese in the Chinese text and none in the English', () => {
    for (const key of LIFECYCLE_TEXT_KEYS) {
      expect(lifecycleText(key, 'zh-CN', '', 2)).toMatch(/[\u4e00-\u9fff]/);
      expect(lifecycleText(key, 'en', '', 2)).not.toMatch(/[\u4e00-\u9fff]|undefined|\{\{/);
    }
  });
});
