import { useLocale } from '../app/i18n.ts';
import { api } from '../app/server-api.ts';
import { useIsAdmin } from '../app/use-role.ts';
import { NAV_ITEMS, type NavKey } from './nav-items.ts';

/** The header of the pages around the canvas: one link per page in nav-items.ts, the language, log out. */
export function PageNav({ current }: { current: NavKey }) {
  const { t, locale, setLocale } = useLocale();
  const isAdmin = useIsAdmin();
  return (
    <nav className="page-nav">
      <strong>{t('pages:pageNav.siyuJourneys')}</strong>
      {NAV_ITEMS.filter((item) => isAdmin || !('adminOnly' in item && item.adminOnly)).map((item) => (
        <a
          key={item.key}
          href={item.href}
          className={item.key === current ? 'current' : ''}
          data-testid={`nav-${item.key}`}
        >
          {item.label(t)}
        </a>
      ))}
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
