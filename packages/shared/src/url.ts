// The one schema for every URL an operator or an integration gives us (SMS tracked links, channel
// target URLs, outgoing webhooks, WeCom link cards). Only http(s): a `javascript:` or `data:` URL
// runs script wherever it is followed or rendered — in an admin's session on our own origin, or in
// a customer's browser — and no journey ever needs one.
import { z } from 'zod';

export const HTTP_URL_MAX_LENGTH = 2048;

const HTTP_URL_MESSAGE = '请填写以 http:// 或 https:// 开头的完整网址 / enter a full http:// or https:// URL';

/**
 * An absolute http(s) URL (surrounding spaces trimmed), at most 2048 characters.
 *
 * @example
 * z.object({ url: HttpUrlSchema.meta({ label: t('网址', 'URL') }) })
 */
export const HttpUrlSchema = z
  .string()
  .trim()
  .max(HTTP_URL_MAX_LENGTH, {
    message: `网址最长 ${HTTP_URL_MAX_LENGTH} 个字符 / URL is at most ${HTTP_URL_MAX_LENGTH} characters`,
  })
  .pipe(z.url({ protocol: /^https?$/, message: HTTP_URL_MESSAGE }));

/**
 * The URL if the schema accepts it (trimmed), else undefined. For the moment a stored URL is
 * followed (a redirect): rows written before the schema was this strict must never send anyone to
 * `javascript:`.
 */
export function safeHttpUrl(value: unknown): string | undefined {
  const parsed = HttpUrlSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
