import { z } from 'zod';

/** Locales the product ships. zh-CN is the default: operators in this field read Chinese. */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

/** A text shown to people, in every shipped locale. */
export const LocalizedTextSchema = z.object({
  'zh-CN': z.string().min(1),
  en: z.string().min(1),
});
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

/** Shorthand for writing a localized text: `t('等待', 'Wait')`. */
export function t(zhCN: string, en: string): LocalizedText {
  return { 'zh-CN': zhCN, en };
}

export function localize(text: LocalizedText, locale: Locale = DEFAULT_LOCALE): string {
  return text[locale];
}
