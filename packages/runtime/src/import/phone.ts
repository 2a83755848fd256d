import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** Mainland mobile numbers after stripping separators (providers.md). */
const MAINLAND_MOBILE = /^((\+|00)86)?(1[3-9]|9[28])\d{9}$/;

/**
 * Normalises a phone number to E.164 (`+8613812345678`), or returns null if it is not a valid
 * number. Accepts the forms Chinese exports contain: `138 1234 5678`, `138-1234-5678`,
 * `+86 138…`, `0086138…`, `86138…`, full-width digits; other countries only with a leading `+`.
 */
export function normalizePhone(raw: string): string | null {
  const halfWidth = raw.replace(/[０-９＋]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  let s = halfWidth.replace(/[\s\-()（）.]/g, '');
  if (/^86\d{11}$/.test(s)) s = `+${s}`;
  if (MAINLAND_MOBILE.test(s)) return `+86${s.slice(-11)}`;
  if (s.startsWith('+') && !s.startsWith('+86')) {
    const parsed = parsePhoneNumberFromString(s);
    return parsed?.isValid() ? parsed.number : null;
  }
  return null;
}
