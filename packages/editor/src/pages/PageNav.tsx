import { useLocale } from '../app/i18n.ts';
import {
  AUDIT_HREF,
  CALLBACKS_HREF,
  CHANNELS_HREF,
  CREDENTIALS_HREF,
  CUSTOMERS_HREF,
  sandboxHref,
} from '../app/routes.ts';
import { api } from '../app/server-api.ts';
import { useIsAdmin } from '../app/use-role.ts';
import { CHANNEL_REPORT_HREF } from '../reports/route.ts';

/** The header of the pages around the canvas: journeys, customers, channels, the message sandbox, reports. */
export function PageNav({
  current,
}: {
  current: 'journeys' | 'customers' | 'channels' | 'sandbox' | 'audit' | 'credentials' | 'callbacks';
}) {
  const { t, locale, setLocale } = useLocale();
  const isAdmin = useIsAdmin();
  const link = (key: typeof current, href: string, label: string) => (
    <a href={href} className={key === current ? 'current' : ''} data-testid={`nav-${key}`}>
      {label}
    </a>
  );
  return (
    <nav className="page-nav">
      <strong>{t('pages:pageNav.siyuJourneys')}</strong>
      {link('journeys', '#/', t('pages:pageNav.journeys'))}
      {link('customers', CUSTOMERS_HREF, t('pages:customersPage.customers'))}
      {link('channels', CHANNELS_HREF, t('pages:pageNav.channels'))}
      {link('sandbox', sandboxHref(), t('pages:pageNav.messageSandbox'))}
      <a href={CHANNEL_REPORT_HREF}>{t('pages:pageNav.channelReport')}</a>
      {link('credentials', CREDENTIALS_HREF, t('pages:credentialsPage.credentials'))}
      {isAdmin && link('audit', AUDIT_HREF, t('pages:auditPage.auditLog'))}
      {isAdmin && link('callbacks', CALLBACKS_HREF, t('pages:callbacksPage.callbackUrls'))}
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
