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
  const { tr, locale, setLocale } = useLocale();
  const isAdmin = useIsAdmin();
  const link = (key: typeof current, href: string, label: string) => (
    <a href={href} className={key === current ? 'current' : ''} data-testid={`nav-${key}`}>
      {label}
    </a>
  );
  return (
    <nav className="page-nav">
      <strong>{tr('私域旅程', 'Siyu journeys')}</strong>
      {link('journeys', '#/', tr('旅程', 'Journeys'))}
      {link('customers', CUSTOMERS_HREF, tr('客户', 'Customers'))}
      {link('channels', CHANNELS_HREF, tr('渠道', 'Channels'))}
      {link('sandbox', sandboxHref(), tr('沙箱消息', 'Message sandbox'))}
      <a href={CHANNEL_REPORT_HREF}>{tr('渠道报表', 'Channel report')}</a>
      {link('credentials', CREDENTIALS_HREF, tr('凭据', 'Credentials'))}
      {isAdmin && link('audit', AUDIT_HREF, tr('操作日志', 'Audit log'))}
      {isAdmin && link('callbacks', CALLBACKS_HREF, tr('回调地址', 'Callback URLs'))}
      <span className="spacer" />
      <button type="button" className="link" onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}>
        {locale === 'en' ? '中文' : 'English'}
      </button>
      <button type="button" className="link" onClick={() => void logOut()} data-testid="logout">
        {tr('退出登录', 'Log out')}
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
