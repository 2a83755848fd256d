import { KEY_LABELS } from '../inspector/labels.ts';

/** Labels for the keys audit entries carry (runtime/src/audit callers), in zh/en. */
const DETAIL_LABELS: Record<string, [string, string]> = {
  name: ['名称', 'Name'],
  version: ['版本', 'Version'],
  versionId: ['版本', 'Version'],
  toVersionId: ['目标版本', 'To version'],
  fromVersionId: ['原版本', 'From version'],
  rollbackOf: ['回滚到', 'Rolled back to'],
  reason: ['原因', 'Reason'],
  note: ['备注', 'Note'],
  username: ['用户名', 'Username'],
  displayName: ['显示名', 'Display name'],
  role: ['角色', 'Role'],
  disabled: ['停用', 'Disabled'],
  passwordChanged: ['修改了密码', 'Password changed'],
  scopes: ['权限', 'Scopes'],
  fileName: ['文件', 'File'],
  created: ['新建', 'Created'],
  updated: ['更新', 'Updated'],
  skipped: ['跳过', 'Skipped'],
  failed: ['失败', 'Failed'],
  rows: ['行数', 'Rows'],
  moved: ['迁移客户数', 'Customers moved'],
  ended: ['结束的运行', 'Runs ended'],
  nodeId: ['节点', 'Node'],
  status: ['状态', 'Status'],
  type: ['类型', 'Type'],
  code: ['编码', 'Code'],
  from: ['从', 'From'],
  to: ['到', 'To'],
  userIds: ['员工', 'Staff'],
  folder: ['文件夹', 'Folder'],
  description: ['描述', 'Description'],
};

const ROLE_WORDS: Record<string, [string, string]> = {
  viewer: ['查看者', 'Viewer'],
  operator: ['运营', 'Operator'],
  admin: ['管理员', 'Admin'],
};

export interface DetailLine {
  label: string;
  value: string;
}

function labelOf(key: string, i: 0 | 1): string {
  return DETAIL_LABELS[key]?.[i] ?? KEY_LABELS[key]?.[i] ?? key;
}

function valueText(key: string, value: unknown, i: 0 | 1): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? ['是', 'Yes'][i] : ['否', 'No'][i];
  if (key === 'role' && typeof value === 'string') return ROLE_WORDS[value]?.[i] ?? value;
  if (Array.isArray(value)) return value.map((v) => valueText(key, v, i)).join(i === 0 ? '、' : ', ') || '—';
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${labelOf(k, i)}${i === 0 ? '：' : ': '}${valueText(k, v, i)}`)
      .join(i === 0 ? '；' : '; ');
  }
  return String(value);
}

/**
 * An audit entry's details as lines a person reads ("版本：3", "修改了密码：是"), not its JSON.
 * The name is left out: the target column shows it already.
 */
export function auditDetailLines(summary: Record<string, unknown>, locale: string): DetailLine[] {
  const i = locale === 'en' ? 1 : 0;
  return Object.entries(summary)
    .filter(([key]) => key !== 'name')
    .map(([key, value]) => ({ label: labelOf(key, i), value: valueText(key, value, i) }));
}
