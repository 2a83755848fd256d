import type { Locale } from '@siyu/shared';
import { tFor } from '../locales/catalogs.ts';

/**
 * What each kind of step in a run's timeline means, in words (the profile and the simulation): the
 * `app` catalog's `stepKinds.*`; a kind this build does not know reads as a plain "step".
 */
export function stepKindText(kind: string, locale: Locale): string {
  const t = tFor(locale);
  return t(`app:stepKinds.${kind}`, { defaultValue: '' }) || t('app:stepKind.unknown');
}
