import type { Locale } from '@siyu/shared';
import { tFor } from '../../locales/catalogs.ts';

/**
 * Why a customer is opted out, in words. The product stores two kinds of reason: `operator` (set on
 * the profile) and `replied <WORD>` (an SMS reply such as TD, from the SMS node package's webhook).
 * Anything else was written by a person through the API and is shown as it is.
 */
export function optOutReasonText(reason: string, locale: Locale): string {
  const t = tFor(locale);
  if (reason === 'operator') return t('pages:customerProfile.optOutReasons.operator');
  const replied = /^replied (.+)$/s.exec(reason);
  if (replied) return t('pages:customerProfile.optOutReasons.replied', { word: replied[1] });
  return reason;
}
