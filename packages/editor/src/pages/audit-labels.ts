import type { AuditAction } from '@siyu/runtime';
import type { Locale } from '@siyu/shared';
import { tFor } from '../locales/catalogs.ts';
import type zhPages from '../locales/zh-CN/pages.json';

/**
 * The audit log's action codes in words (pages:auditActions.*, e.g. `journey.publish` → 发布旅程).
 * An unknown code (a newer server) is shown as the code itself.
 */
export function auditActionLabel(action: string, locale: Locale): string {
  return tFor(locale)(`pages:auditActions.${action}`, { defaultValue: action });
}

// Every action the server records has words: a new one without them fails the typecheck here,
// naming the action.
type Actions = (typeof zhPages)['auditActions'];
type Worded = { [G in keyof Actions]: `${G}.${keyof Actions[G] & string}` }[keyof Actions];
type Unworded = Exclude<AuditAction, Worded>;
export const everyActionWorded: [Unworded] extends [never] ? true : Unworded = true;
