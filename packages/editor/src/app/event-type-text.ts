import { KNOWN_EVENT_TYPES, type Locale, localize } from '@siyu/shared';
import { tFor } from '../locales/catalogs.ts';

/**
 * An event type in words: a known one by its name (通过渠道进入 for `channel.entered`; the list is
 * @siyu/shared's KNOWN_EVENT_TYPES, shared with the pickers), any other as what it is, a custom
 * event named by whoever sends it ("自定义事件 vip.upgraded").
 */
export function eventTypeText(type: string, locale: Locale): string {
  const known = KNOWN_EVENT_TYPES[type];
  return known ? localize(known, locale) : tFor(locale)('app:eventType.custom', { name: type });
}
