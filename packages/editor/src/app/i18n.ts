import { DEFAULT_LOCALE, type Locale, type LocalizedText, localize } from '@siyu/shared';
import i18next from 'i18next';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { catalogsReady, loadLanguage } from '../locales/catalogs.ts';

/**
 * The page's `lang` follows the UI language (styles.css puts Latin fonts first for English, screen
 * readers read by it). zod's own messages are never shown: `zodIssueText` (@siyu/shared) words each
 * issue plainly in both languages, reading zod's English message where the issue lacks a detail.
 */
function applyLanguage(locale: Locale): void {
  document.documentElement.lang = locale;
}
z.config(z.locales.en());

const STORAGE_KEY = 'siyu.locale';
const stored = localStorage.getItem(STORAGE_KEY);
const initialLocale: Locale = stored === 'en' || stored === 'zh-CN' ? stored : DEFAULT_LOCALE;
applyLanguage(initialLocale);

/**
 * Resolves when the operator's language is loaded (English loads on demand): main.tsx renders after
 * it, so the first screen is in the right language.
 */
export const i18nReady: Promise<void> = catalogsReady.then(async () => {
  if (initialLocale !== i18next.language) await i18next.changeLanguage(initialLocale);
});

// The other language loads once the first screen is up, so switching to it is immediate (a
// switch before that waits for its chunk; its words never show half-loaded).
void i18nReady.then(() =>
  setTimeout(() => void loadLanguage(initialLocale === 'en' ? 'zh-CN' : 'en').catch(() => undefined), 0),
);

/**
 * The UI language and its words: `t('ns:key', {...})` reads the catalogs (src/locales), `loc` picks
 * a LocalizedText (node packages' labels) in the same language.
 */
export function useLocale() {
  const { t, i18n } = useTranslation();
  const locale: Locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  return {
    locale,
    t,
    loc: (text: LocalizedText) => localize(text, locale),
    setLocale: (next: Locale) => {
      localStorage.setItem(STORAGE_KEY, next);
      // The language switches once its catalogs are loaded; the page's lang with it.
      void i18n.changeLanguage(next).then(() => applyLanguage(next));
    },
  };
}
