import type { Locale } from '@siyu/shared';
import type { TFunction } from 'i18next';
import { listText } from '../app/list-format.ts';
import { tFor } from '../locales/catalogs.ts';
import { channelName } from './channel-name.ts';

export interface DetailLine {
  label: string;
  value: string;
}

/** A key audit entries carry (runtime/src/audit callers) in words; else a config key's; else the key. */
function labelOf(key: string, t: TFunction): string {
  return t(`pages:auditDetails.keys.${key}`, {
    defaultValue: t(`inspector:keys.${key}`, { defaultValue: key }),
  });
}

/** Keys whose values are WeCom userids (handover, live codes): shown by the staff member's name. */
const STAFF_KEYS = new Set(['fromUserId', 'toUserId', 'userIds']);

function valueText(
  key: string,
  value: unknown,
  t: TFunction,
  locale: Locale,
  staffName: (userId: string) => string,
): string {
  if (value === null || value === undefined || value === '') return '—';
  if (STAFF_KEYS.has(key) && typeof value === 'string') return staffName(value);
  if (key === 'customers' && value === 'all') return t('pages:auditDetails.allCustomers');
  // An opt-out's channel: sms or wecom, built-in channels, whose names need no node package.
  if (key === 'channel' && typeof value === 'string') return channelName(value, locale, []);
  if (typeof value === 'boolean') return value ? t('pages:auditDetails.yes') : t('pages:auditDetails.no');
  if (key === 'role' && typeof value === 'string')
    return t(`pages:auditDetails.roles.${value}`, { defaultValue: value });
  if (Array.isArray(value))
    return (
      listText(
        value.map((v) => valueText(key, v, t, locale, staffName)),
        locale,
      ) || '—'
    );
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) =>
        t('pages:auditDetails.pair', { label: labelOf(k, t), value: valueText(k, v, t, locale, staffName) }),
      )
      .join(t('pages:auditDetails.pairSeparator'));
  }
  return String(value);
}

/**
 * An audit entry's details as lines a person reads ("版本：3", "修改了密码：是"), not its JSON.
 * The name is left out: the target column shows it already.
 */
export function auditDetailLines(
  summary: Record<string, unknown>,
  locale: Locale,
  staffName: (userId: string) => string = (userId) => userId,
): DetailLine[] {
  const t = tFor(locale);
  return Object.entries(summary)
    .filter(([key]) => key !== 'name')
    .map(([key, value]) => ({ label: labelOf(key, t), value: valueText(key, value, t, locale, staffName) }));
}
