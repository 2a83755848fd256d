import { DEFAULT_LOCALE, type Locale, type LocalizedText, localize } from '@siyu/shared';
import i18next from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { z } from 'zod';

/**
 * The page's `lang` follows the UI language (styles.css puts Latin fonts first for English, screen
 * readers read by it). zod's own messages are never shown: `zodIssueText` (@siyu/shared) words each
 * issue plainly in both languages, reading zod's English message where the issue lacks a detail.
 */
function applyLanguage(locale: Locale): void {
  document.documentElement.lang = locale;
}
z.config(z.locales.en());

/**
 * UI strings are written in place as `tr('中文', 'English')`; i18next holds the current language and
 * re-renders on change. Chinese is the key, so no string table drifts out of sync.
 */
const initialLocale = (localStorage.getItem('siyu.locale') as Locale | null) ?? DEFAULT_LOCALE;
applyLanguage(initialLocale);
void i18next.use(initReactI18next).init({
  lng: initialLocale,
  fallbackLng: DEFAULT_LOCALE,
  resources: { 'zh-CN': { translation: {} }, en: { translation: {} } },
  interpolation: { escapeValue: false },
});

export function useLocale() {
  const { i18n } = useTranslation();
  const locale = (i18n.language === 'en' ? 'en' : 'zh-CN') as Locale;
  return {
    locale,
    tr: (zh: string, en: string) => (locale === 'en' ? en : zh),
    loc: (text: LocalizedText) => localize(text, locale),
    setLocale: (next: Locale) => {
      localStorage.setItem('siyu.locale', next);
      applyLanguage(next);
      void i18n.changeLanguage(next);
    },
  };
}
