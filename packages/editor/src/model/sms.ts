/**
 * SMS billing in China: a message of up to 70 characters (signature included) is one part; longer
 * messages are split into parts of 67 characters each. Characters count as code points.
 */
export const SMS_SINGLE_LIMIT = 70;
export const SMS_PART_LIMIT = 67;

export interface SmsCount {
  chars: number;
  parts: number;
}

export function countSms(text: string, signature = ''): SmsCount {
  const chars = [...((signature ? `【${signature.replace(/^【|】$/g, '')}】` : '') + text)].length;
  if (chars === 0) return { chars, parts: 0 };
  return { chars, parts: chars <= SMS_SINGLE_LIMIT ? 1 : Math.ceil(chars / SMS_PART_LIMIT) };
}

/** Marketing SMS must tell people how to opt out (e.g. "回T退订"). */
export function hasUnsubscribeHint(text: string): boolean {
  return /退订|回\s*T|reply\s*stop|unsubscribe/i.test(text);
}
