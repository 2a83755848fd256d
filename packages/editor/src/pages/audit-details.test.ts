import { beforeAll, describe, expect, it } from 'vitest';
import { loadLanguage } from '../locales/catalogs.ts';
import { auditDetailLines } from './audit-details.ts';

beforeAll(() => loadLanguage('en'));

describe('auditDetailLines', () => {
  it('shows details as labelled lines in the chosen language, not JSON', () => {
    const summary = { username: 'li.si', role: 'viewer', passwordChanged: true, scopes: ['a', 'b'] };
    expect(auditDetailLines(summary, 'zh-CN')).toEqual([
      { label: '用户名', value: 'li.si' },
      { label: '角色', value: '查看者' },
      { label: '修改了密码', value: '是' },
      { label: '权限', value: 'a、b' },
    ]);
    expect(auditDetailLines({ version: 3, name: '新客欢迎' }, 'en')).toEqual([{ label: 'Version', value: '3' }]);
    const nested = auditDetailLines({ settings: { quietHours: { enabled: true } } }, 'en');
    expect(nested[0]?.value).toBe('Quiet hours: Enabled: Yes');
    for (const line of nested) expect(line.value).not.toMatch(/[{}"]/);
  });
});
