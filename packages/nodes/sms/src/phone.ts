import { isMainlandMobile, type NormalizedPhone, normalizePhone } from '@siyu/shared';

export type { NormalizedPhone };

/**
 * A number SMS can reach: the shared normaliser's E.164 (so the executor, the callbacks and the
 * customer's identity agree on one string), restricted to mainland China mobiles, the only
 * numbers the Aliyun and Tencent mainland SMS products deliver to.
 */
export function normalizeMainlandPhone(input: string): NormalizedPhone {
  const phone = normalizePhone(input);
  if (!phone.ok || isMainlandMobile(phone.e164)) return phone;
  return { ok: false, reason: `短信只发往中国大陆手机号 / SMS goes to mainland China mobile numbers only: ${input}` };
}
