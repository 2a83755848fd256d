import { DEFAULT_LOCALE, type Locale } from '@siyu/shared';
import i18next, { type BackendModule, type TFunction } from 'i18next';
import { initReactI18next } from 'react-i18next';

/**
 * The editor's words live in i18next catalogs, one JSON file per area (namespace) and language:
 * `locales/<lang>/<namespace>.json`, keys like `journeys:journeyRowActions.archive`. Simplified
 * Chinese, the default, is bundled with the app; English loads on demand (its own small chunks),
 * before the language switches, so the initial JavaScript stays within its budget.
 *
 * The catalogs are written by `scripts/extract-catalog.ts`, which moves strings written in place as
 * `tr` calls with the Chinese and the English into them, and checked by `catalogs.test.ts` beside
 * this file (every key used is in both languages, none unused, no words left in place).
 * No DOM here: node-side tests import this module to read the catalogs.
 */
type CatalogFile = Record<string, unknown>;

const bundled = import.meta.glob<CatalogFile>('./zh-CN/*.json', { eager: true, import: 'default' });
/** Languages other than the bundled one, each one chunk of all its namespaces. */
const onDemand: Partial<Record<Locale, () => Promise<Record<string, CatalogFile>>>> = {
  en: () => import('./en.ts').then((m) => m.catalogs),
};

const namespaceOf = (path: string) => path.replace(/^.*\/([^/]+)\.json$/, '$1');

/** Every namespace (the zh-CN files; the catalog test checks English has the same). */
export const NAMESPACES: readonly string[] = Object.keys(bundled).map(namespaceOf).sort();

const lazyCatalogs: BackendModule = {
  type: 'backend',
  init() {},
  read(language, namespace, done) {
    const load = onDemand[language as Locale];
    if (!load) return done(new Error(`no catalogs for the language ${language} (locales/catalogs.ts)`), false);
    load().then(
      (catalogs) => {
        const catalog = catalogs[namespace];
        if (catalog) done(null, catalog);
        else done(new Error(`no catalog locales/${language}/${namespace}.json`), false);
      },
      (error: unknown) => done(error instanceof Error ? error : new Error(String(error)), false),
    );
  },
};

/** Resolves once i18next is set up in the default language (its catalogs are already bundled). */
export const catalogsReady: Promise<TFunction> = i18next
  .use(lazyCatalogs)
  .use(initReactI18next)
  .init({
    lng: DEFAULT_LOCALE,
    // No advertisement in the console (tests print it for every file that loads the catalogs).
    showSupportNotice: false,
    fallbackLng: DEFAULT_LOCALE,
    ns: [...NAMESPACES],
    defaultNS: 'app',
    resources: { [DEFAULT_LOCALE]: Object.fromEntries(Object.entries(bundled).map(([p, c]) => [namespaceOf(p), c])) },
    // zh-CN comes from `resources`; other languages through the backend above.
    partialBundledLanguages: true,
    interpolation: { escapeValue: false },
    returnNull: false,
    // Languages load before they are switched to, so nothing waits inside a render.
    react: { useSuspense: false },
  });

/** Loads a language's catalogs (all namespaces) without switching to it. */
export async function loadLanguage(locale: Locale): Promise<void> {
  await catalogsReady;
  await i18next.loadLanguages(locale);
}

/**
 * The translate function for one language, for code outside React that is given the locale
 * (labels, texts built in plain functions). The language's catalogs must be loaded, which they are
 * once the UI shows that language.
 */
export function tFor(locale: Locale): TFunction {
  return i18next.getFixedT(locale);
}
