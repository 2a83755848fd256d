import type { AuditAction } from '@siyu/runtime';

/**
 * The audit log's action codes in zh/en. Typed by the server's list, so a new action without a
 * label fails the typecheck; an unknown code (a newer server) is shown as the code itself.
 */
export const AUDIT_ACTION_LABELS: Record<AuditAction, [string, string]> = {
  'journey.publish': ['发布旅程', 'Published a journey'],
  'journey.pause': ['暂停旅程', 'Paused a journey'],
  'journey.resume': ['恢复旅程', 'Resumed a journey'],
  'journey.archive': ['归档旅程', 'Archived a journey'],
  'journey.restore': ['恢复已归档的旅程', 'Restored an archived journey'],
  'journey.stop': ['停止旅程', 'Stopped a journey'],
  'journey.rollback': ['回滚旅程版本', 'Rolled a journey back to an older version'],
  'journey.settings': ['修改旅程设置', "Changed a journey's settings"],
  'journey.migrateInstances': ['迁移旅程中的客户', 'Moved customers to another version'],
  'run.retryStep': ['重试失败的步骤', 'Retried a failed step'],
  'customers.import': ['导入客户', 'Imported customers'],
  'customers.importUndo': ['撤销导入', 'Undid an import'],
  'customer.erase': ['删除客户数据', "Erased a customer's data"],
  'operator.create': ['新建操作员', 'Created an operator'],
  'operator.update': ['修改操作员', 'Changed an operator'],
  'apiKey.create': ['新建 API 密钥', 'Created an API key'],
  'apiKey.revoke': ['吊销 API 密钥', 'Revoked an API key'],
  'coupons.createStock': ['新建券批次', 'Created a coupon stock'],
  'wecom.createLiveCode': ['新建企业微信活码', 'Created a WeCom live code'],
  'wecom.handover': ['企业微信客户转接', 'Handed over WeCom customers'],
  'credential.create': ['新建凭据', 'Created a credential'],
  'credential.update': ['修改凭据', 'Changed a credential'],
  'credential.delete': ['删除凭据', 'Deleted a credential'],
  'callbacks.rotateToken': ['更换回调令牌', 'Rotated the callback token'],
  'tags.rename': ['重命名标签', 'Renamed a tag'],
  'tags.merge': ['合并标签', 'Merged tags'],
  'tags.delete': ['删除标签', 'Deleted a tag'],
};

export function auditActionLabel(action: string, locale: string): string {
  return (AUDIT_ACTION_LABELS as Record<string, [string, string]>)[action]?.[locale === 'en' ? 1 : 0] ?? action;
}
