import type { Locale } from '@siyu/shared';
import { tFor } from '../locales/catalogs.ts';

/**
 * Where a customer's tag came from, in words: "手动添加", "导入", "旅程「新客欢迎」" — not the stored
 * source (`manual`, `import`, `journey:<id>`). `journeyName` names a journey by id (the profile's runs).
 */
export function tagOrigin(
  source: string | null,
  journeyName: (id: string) => string | undefined,
  locale: Locale,
): string {
  const t = tFor(locale);
  if (source === 'manual') return t('pages:tagOrigin.manual');
  if (source === 'import') return t('pages:tagOrigin.import');
  if (source?.startsWith('journey:')) {
    const name = journeyName(source.slice('journey:'.length));
    return name ? t('pages:tagOrigin.journeyName', { name }) : t('pages:tagOrigin.aJourney');
  }
  return t('pages:tagOrigin.unknown');
}
