import type { Locale } from '@siyu/shared';
import { tFor } from '../../locales/catalogs.ts';

/**
 * What each lifecycle action does to the customers in a journey, as the server does it
 * (packages/runtime/src/journeys/lifecycle.ts; its tests check the behaviour). The confirms and the
 * list's notes read from here, so the UI never promises what the engine does not do. The words are
 * in the `journeys` catalog under `lifecycle.*`; those that count customers have plural forms.
 */
export const LIFECYCLE_TEXT_KEYS = [
  'pauseTitle',
  'pauseBody',
  'pausedNote',
  'stopTitle',
  'stopBody',
  'stoppedNote',
  'archiveTitle',
  'archiveBody',
  'restoreBody',
  'rollbackTitle',
  'rollbackBody',
] as const;

export type LifecycleTextKey = (typeof LIFECYCLE_TEXT_KEYS)[number];

/** One lifecycle text in the given language (`name`: the journey's, or the version for rollbackTitle). */
export function lifecycleText(key: LifecycleTextKey, locale: Locale, name = '', inFlight = 0): string {
  return tFor(locale)(`journeys:lifecycle.${key}`, { name, count: inFlight });
}
