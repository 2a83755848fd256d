import { DEFAULT_LOCALE, type Locale, type LocalizedText, localize } from '@siyu/shared';
import i18next from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { z } from 'zod';

/**
 * zod's own messages (a config field's "expected a number") follow the UI language too, and so
 * does the page's `lang` (styles.css puts Latin fonts first for English, screen readers read by it).
 */
function applyLanguage(locale: Locale): void {
  z.config(locale === 'en' ? z.locales.en() : z.locales.zhCN());
  document.documentElement.lang = locale;
}

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
