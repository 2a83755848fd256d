import type { Locale } from '@siyu/shared';

/**
 * Items joined for display the way the language lists them: "短信、企业微信、优惠券" in Chinese,
 * "SMS, WeCom, Coupon" in English (Intl.ListFormat, narrow: no "and"/"和" before the last item,
 * which reads wrong in a list of tags or counts). `or` words a choice ("短信、企业微信或优惠券").
 */
export function listText(items: readonly string[], locale: Locale, kind: 'list' | 'or' = 'list'): string {
  return formatter(locale, kind).format(items);
}

const formatters = new Map<string, Intl.ListFormat>();
function formatter(locale: Locale, kind: 'list' | 'or'): Intl.ListFormat {
  const key = `${locale} ${kind}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.ListFormat(
      locale,
      kind === 'or' ? { type: 'disjunction' } : { type: 'conjunction', style: 'narrow' },
    );
    formatters.set(key, found);
  }
  return found;
}
