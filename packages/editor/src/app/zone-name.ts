import type { Locale } from '@siyu/shared';

/** A zone's name in the language ("中国标准时间", "China Standard Time"), the IANA id when Intl has none. */
export function zoneName(zone: string, locale: Locale): string {
  try {
    const parts = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'long' }).formatToParts(0);
    return parts.find((p) => p.type === 'timeZoneName')?.value ?? zone;
  } catch {
    return zone;
  }
}

const zoneLists = new Map<Locale, { zone: string; name: string }[]>();
/**
 * Every time zone Intl knows (IANA ids), with its name in the language, sorted by id so a region's
 * zones stay together; computed once per language (about 420 zones).
 */
export function allZones(locale: Locale): readonly { zone: string; name: string }[] {
  let list = zoneLists.get(locale);
  if (!list) {
    list = ['UTC', ...Intl.supportedValuesOf('timeZone')].map((zone) => ({ zone, name: zoneName(zone, locale) }));
    zoneLists.set(locale, list);
  }
  return list;
}
