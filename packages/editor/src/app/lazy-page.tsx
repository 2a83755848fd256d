import { type ComponentType, lazy } from 'react';
import { useLocale } from './i18n.ts';

/**
 * A component that loads with its module on first render (React.lazy for a named export): pages
 * and panels the first screen (sign-in, journey list, canvas) does not show stay out of the
 * initial JavaScript. Render it inside a `<Suspense fallback={<Loading />}>`.
 */
// biome-ignore lint/suspicious/noExplicitAny: React.lazy's own constraint; the props stay typed through M[K].
export function lazyNamed<M extends Record<K, ComponentType<any>>, K extends keyof M>(load: () => Promise<M>, name: K) {
  return lazy(() => load().then((module) => ({ default: module[name] })));
}

/** What shows while a lazily loaded page or panel downloads. */
export function Loading() {
  const { t } = useLocale();
  return (
    <p className="muted" data-testid="loading">
      {t('app:lazyPage.loading')}
    </p>
  );
}
