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

  it("names WeCom staff by the directory's name and words a handover of all customers", () => {
    const names: Record<string, string> = { lisi: '李四', wangwu: '王五' };
    const summary = { fromUserId: 'lisi', toUserId: 'wangwu', resigned: true, customers: 'all' };
    expect(auditDetailLines(summary, 'zh-CN', (id) => names[id] ?? id)).toEqual([
      { label: '交出客户的员工', value: '李四' },
      { label: '接手的员工', value: '王五' },
      { label: '离职继承', value: '是' },
      { label: '客户', value: '全部客户' },
    ]);
    expect(auditDetailLines({ userIds: ['lisi', 'zhaoliu'] }, 'en', (id) => names[id] ?? id)).toEqual([
      { label: 'Staff', value: '李四, zhaoliu' },
    ]);
  });
});
