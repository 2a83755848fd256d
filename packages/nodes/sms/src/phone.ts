/** Mainland China mobile numbers (providers.md), after stripping spaces and dashes. */
const MAINLAND_MOBILE = /^((\+|00)86)?(1[3-9]|9[28])\d{9}$/;

export type NormalizedPhone = { ok: true; e164: string } | { ok: false; reason: string };

/** Normalises "138 0013 8000", "+86-138…", "0086138…" to "+8613800138000", or says why not. */
export function normalizeMainlandPhone(input: string): NormalizedPhone {
  const stripped = input.replace(/[\s-]/g, '');
  if (stripped === '') return { ok: false, reason: '手机号为空 / phone number is empty' };
  if (!MAINLAND_MOBILE.test(stripped)) {
    return { ok: false, reason: `不是有效的中国大陆手机号 / not a mainland China mobile number: ${input}` };
  }
  const national = stripped.replace(/^(\+|00)86/, '');
  return { ok: true, e164: `+86${national}` };
}
