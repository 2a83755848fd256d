import type { TFunction } from 'i18next';

/** A role in words (the server's codes never show). */
export function roleLabel(role: string, t: TFunction): string {
  if (role === 'admin') return t('team:roles.admin');
  if (role === 'operator') return t('team:roles.operator');
  if (role === 'viewer') return t('team:roles.viewer');
  return t('team:roles.unknown');
}

/** What a role may do, for the role picker. */
export function roleHelp(role: string, t: TFunction): string {
  if (role === 'admin') return t('team:roles.adminHelp');
  if (role === 'operator') return t('team:roles.operatorHelp');
  return t('team:roles.viewerHelp');
}

/** An API key's scope in words, and what it lets the key's holder do. */
export function scopeWords(scope: string, t: TFunction): { label: string; help: string } {
  if (scope === 'events:write') return { label: t('team:scopes.events'), help: t('team:scopes.eventsHelp') };
  if (scope === 'customers:import') return { label: t('team:scopes.import'), help: t('team:scopes.importHelp') };
  if (scope === 'runs:enroll') return { label: t('team:scopes.enroll'), help: t('team:scopes.enrollHelp') };
  // A scope of a newer server: said so, rather than shown as its code.
  return { label: t('team:scopes.unknown'), help: '' };
}
