// The one phone normaliser: every path that takes a phone (events, imports, SMS callbacks, WeCom
// contact details, customer search) stores and looks up the same E.164 string, so "13711112222",
// "+86 137-1111-2222" and "137 1111 2222" are one customer. Browser-safe: the editor bundles it,
// hence libphonenumber-js's `min` metadata (the smallest set, enough for E.164 of any country).
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { z } from 'zod';

/**
 * Mainland China mobile numbers, national part (providers.md). Checked by pattern rather than by
 * libphonenumber: the `min` metadata validates Chinese numbers by length only and would accept
 * 128… numbers that no carrier issues.
 */
const MAINLAND_MOBILE = /^(?:1[3-9]|9[28])\d{9}$/;
const FULL_WIDTH = /[０-９＋]/g;
const SEPARATORS = /[\s\-()（）.]/g;

export type NormalizedPhone = { ok: true; e164: string } | { ok: false; reason: string };

/**
 * Normalises a phone number to E.164, or says why it cannot.
 *
 * - Default region mainland China: a bare 11-digit mobile (`137 1111 2222`, `137-1111-2222`,
 *   full-width digits) and the `+86` / `0086` / `86` forms all become `+8613711112222`.
 * - Mainland numbers must be mobiles (SMS and WeCom only reach those); landlines are refused.
 * - Other countries need their country code (`+44 20 7946 0958`, `0044…`) and become that
 *   country's E.164 (`+442079460958`) when libphonenumber finds them valid.
 *
 * @example normalizePhone('137 1111 2222') // { ok: true, e164: '+8613711112222' }
 */
export function normalizePhone(input: string): NormalizedPhone {
  const halfWidth = input.replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  let s = halfWidth.replace(SEPARATORS, '');
  if (s === '') return { ok: false, reason: '手机号为空 / phone number is empty' };
  if (s.length > 20) return { ok: false, reason: `手机号过长 / phone number is too long: ${input.slice(0, 30)}…` };
  const mainland = /^(?:\+86|0086|86)?(\d{11})$/.exec(s)?.[1];
  if (mainland !== undefined && MAINLAND_MOBILE.test(mainland)) return { ok: true, e164: `+86${mainland}` };
  if (s.startsWith('00')) s = `+${s.slice(2)}`;
  if (s.startsWith('+') && !s.startsWith('+86')) {
    const parsed = parsePhoneNumberFromString(s);
    if (parsed?.isValid()) return { ok: true, e164: parsed.number };
    return { ok: false, reason: `不是有效的电话号码 / not a valid phone number: ${input}` };
  }
  return {
    ok: false,
    reason: `不是有效的中国大陆手机号 / not a mainland China mobile number: ${input} (其他国家请加国家码 / other countries need +country code)`,
  };
}

/** Whether an E.164 number (from normalizePhone) is a mainland China mobile. */
export function isMainlandMobile(e164: string): boolean {
  return e164.startsWith('+86') && MAINLAND_MOBILE.test(e164.slice(3));
}

function toE164(value: string, ctx: z.RefinementCtx): string {
  const phone = normalizePhone(value);
  if (phone.ok) return phone.e164;
  ctx.addIssue({ code: 'custom', message: phone.reason });
  return z.NEVER;
}

/** A phone at an input boundary: validated and normalised to E.164, with the reason on failure. */
export const PhoneSchema = z.string().max(40).transform(toE164);

/** Like PhoneSchema, but an empty string means "no phone" (senders often fill blank fields). */
export const OptionalPhoneSchema = z
  .string()
  .max(40)
  .transform((value, ctx) => (value.trim() === '' ? undefined : toE164(value, ctx)))
  .optional();
