import { customerTemplateVariables } from '@siyu/shared';

export { renderTemplate } from '@siyu/shared';

/** Carriers bill ≤70 characters as one SMS; longer texts are split into 67-character parts. */
export const SMS_SINGLE_LIMIT = 70;
export const SMS_PART_LENGTH = 67;

/** The text as the handset shows it: the sign name in 【】 first (the carriers' format in every language). */
export function signedSmsText(signature: string, text = ''): string {
  return signature ? `【${signature}】${text}` : text;
}

/** Counts characters (code points, as carriers do) and billed parts, the 【signature】 included. */
export function countSmsParts(text: string, signature: string): { chars: number; parts: number } {
  const signed = signedSmsText(signature, text);
  const chars = [...signed].length;
  const parts = chars === 0 ? 0 : chars <= SMS_SINGLE_LIMIT ? 1 : Math.ceil(chars / SMS_PART_LENGTH);
  return { chars, parts };
}

/** Replies that mean "stop sending me SMS" (拒收请回复R; T and TD are also common). */
export function isOptOutReply(text: string): boolean {
  return /^(r|t|td)$/i.test(text.trim());
}

/**
 * The rule for marketing SMS, in the words both the node's validation error and the editor use
 * (one text, so the hint never disagrees with the error; it names what `hasUnsubscribeText` accepts).
 */
export const UNSUBSCRIBE_RULE = {
  'zh-CN': '营销短信须写明退订方式，如“拒收请回复R”或“回T退订”',
  en: 'A marketing SMS must say how to opt out, e.g. "拒收请回复R" or "回T退订"',
} as const;

/** Marketing SMS must tell people how to refuse: "拒收请回复R" or "回T退订"-style text. */
export function hasUnsubscribeText(text: string): boolean {
  return /拒收请回复\s*(R|T|TD)/i.test(text) || /回\s*(R|T|TD)\s*(退订|拒收)/i.test(text);
}

/** The variables an SMS template sees: the customer (also flattened attributes) plus extras. */
export const smsVariables = customerTemplateVariables;
