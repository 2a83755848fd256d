import type { TFunction } from 'i18next';

export type TaskStatus = 'open' | 'expired' | 'done' | 'skipped';

/** A task's status in words. */
export function taskStatusLabel(status: TaskStatus, t: TFunction): string {
  if (status === 'open') return t('team:tasks.statusOpen');
  if (status === 'expired') return t('team:tasks.statusExpired');
  if (status === 'done') return t('team:tasks.statusDone');
  return t('team:tasks.statusSkipped');
}
