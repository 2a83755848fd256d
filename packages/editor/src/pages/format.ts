/** Shared display helpers for the pages (times in the operator's locale, channels by name). */
import type { Locale } from '@siyu/shared';
import { tFor } from '../locales/catalogs.ts';

/** A message provider's name (pages:providerNames.*); an unknown provider is shown as stored. */
export function providerName(provider: string, locale: Locale): string {
  return tFor(locale)(`pages:providerNames.${provider}`, { defaultValue: provider });
}

/** A date and time in the locale; in `timeZone` when given (beside a picker in that zone), else the browser's. */
export function formatTime(ms: number | string | Date, locale: string, timeZone?: string): string {
  return new Date(ms).toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', { hour12: false, timeZone });
}

/** "3 天 2 小时" / "3 d 2 h": simulated time and waits, to the minute. */
export function formatDuration(ms: number, locale: Locale): string {
  const t = tFor(locale);
  const minutes = Math.round(ms / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const parts: string[] = [];
  if (d) parts.push(t('pages:format.duration.days', { count: d }));
  if (h) parts.push(t('pages:format.duration.hours', { count: h }));
  if (m || parts.length === 0) parts.push(t('pages:format.duration.minutes', { count: m }));
  return parts.join(' ');
}

export const percent = (share: number) => `${(share * 100).toFixed(share > 0 && share < 0.1 ? 1 : 0)}%`;
