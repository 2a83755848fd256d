import { Dropdown } from 'antd';
import type { ReactNode } from 'react';
import { useLocale } from '../app/i18n.ts';
import { api } from '../app/server-api.ts';
import { useIsAdmin } from '../app/use-role.ts';
import { NAV_GROUPS, NAV_ITEMS, type NavGroup, type NavItem, type NavKey } from './nav-items.ts';

/**
 * The header of the pages around the canvas: the pages in nav-items.ts — a link each, or a menu per
 * group —, the language, log out. A menu's button carries `data-nav-items` (its pages' keys), so
 * the browser tests open the right one (test/editor/antd-helpers.ts `openNav`).
 */
export function PageNav({ current }: { current: NavKey }) {
  const { t, locale, setLocale } = useLocale();
  const isAdmin = useIsAdmin();
  const visible: readonly NavItem[] = NAV_ITEMS.filter((item) => isAdmin || !('adminOnly' in item && item.adminOnly));
  const link = (item: NavItem) => (
    <a
      key={item.key}
      href={item.href}
      className={item.key === current ? 'current' : ''}
      data-testid={`nav-${item.key}`}
    >
      {item.label(t)}
    </a>
  );
  const entries: ReactNode[] = [];
  const placed = new Set<NavGroup>();
  for (const item of visible) {
    if (!item.group) {
      entries.push(link(item));
      continue;
    }
    if (placed.has(item.group)) continue;
    placed.add(item.group);
    const members = visible.filter((other) => other.group === item.group);
    entries.push(
      <Dropdown
        key={item.group}
        trigger={['click']}
        menu={{ items: members.map((member) => ({ key: member.key, label: link(member) })), selectedKeys: [current] }}
      >
        <button
          type="button"
          className={`link nav-group${members.some((m) => m.key === current) ? ' current' : ''}`}
          data-testid={`nav-group-${item.group}`}
          data-nav-items={members.map((m) => m.key).join(' ')}
        >
          {NAV_GROUPS[item.group](t)}
          <span aria-hidden="true"> ▾</span>
        </button>
      </Dropdown>,
    );
  }
  return (
    <nav className="page-nav">
      <strong>{t('pages:pageNav.siyuJourneys')}</strong>
      {entries}
      <span className="spacer" />
      <button type="button" className="link" onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}>
        {locale === 'en' ? '中文' : 'English'}
      </button>
      <button type="button" className="link" onClick={() => void logOut()} data-testid="logout">
        {t('pages:pageNav.logOut')}
      </button>
    </nav>
  );
}

/** Ends the session on the server (the cookie is cleared too), then reloads to the sign-in form. */
async function logOut(): Promise<void> {
  await api.auth.logout.mutate();
  window.location.hash = '#/';
  window.location.reload();
}
