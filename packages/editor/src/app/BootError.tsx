import { useLocale } from './i18n.ts';
import type { RegistryProblem } from './registry-check.ts';

/**
 * Shown instead of the editor when its node packages cannot be put together (two packages define
 * the same node type): which packages, from which folders, and how to fix it, in place of a blank
 * page with the reason only in the browser console.
 */
export function BootError({ problems }: { problems: readonly RegistryProblem[] }) {
  const { t, locale, setLocale } = useLocale();
  return (
    <main className="boot-error" role="alert" data-testid="boot-error">
      <h1>{t('app:bootError.theEditorCannotStartNode')}</h1>
      <ul>
        {problems.map((p) => (
          <li key={p.kind === 'typeClash' ? p.type : p.kind === 'nameClash' ? p.name : p.message}>
            {p.kind === 'typeClash'
              ? t('app:bootError.theNodeTypeTypeIs', {
                  type: p.type,
                  packages: p.packages
                    .map((o) => t('app:bootError.nameSource', { name: o.name, source: o.source }))
                    .join(t('app:bootError.text')),
                })
              : p.kind === 'nameClash'
                ? t('app:bootError.thePackageNameNameIs', {
                    name: p.name,
                    sources: p.sources.join(t('app:bootError.text')),
                  })
                : t('app:bootError.theNodePackagesCouldNot', { message: p.message })}
          </li>
        ))}
      </ul>
      <p>{t('app:bootError.everyNodeTypeMustStart')}</p>
      <button type="button" onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}>
        {locale === 'en' ? '中文' : 'EN'}
      </button>
    </main>
  );
}
