import { Tabs } from 'antd';
import { useLocale } from '../../app/i18n.ts';
import { API_KEYS_HREF, AUDIT_HREF, TEAM_HREF } from '../../app/routes.ts';
import { useIsAdmin } from '../../app/use-role.ts';
import { PageNav } from '../PageNav.tsx';
import { ApiKeysTab } from './ApiKeysTab.tsx';
import { OperatorsTab } from './OperatorsTab.tsx';

/**
 * 团队 (admins): the operators who sign in and the API keys other systems use, each a tab with its
 * own address; the audit log of what they did is one click away in the same tab bar.
 */
export function TeamPage({ tab }: { tab: 'operators' | 'apiKeys' }) {
  const { t } = useLocale();
  const isAdmin = useIsAdmin();
  return (
    <main className="page" data-testid="team-page">
      <PageNav current="team" />
      <header className="page-head">
        <h1>{t('team:page.title')}</h1>
        <p className="muted">{t('team:page.intro')}</p>
      </header>
      {isAdmin === false ? (
        <p className="field-message" role="alert" data-testid="admins-only">
          {t('team:page.adminsOnly')}
        </p>
      ) : isAdmin ? (
        <Tabs
          activeKey={tab}
          onChange={(key) => {
            location.hash = key === 'apiKeys' ? API_KEYS_HREF : TEAM_HREF;
          }}
          destroyOnHidden
          items={[
            { key: 'operators', label: t('team:page.operators'), children: <OperatorsTab /> },
            { key: 'apiKeys', label: t('team:page.apiKeys'), children: <ApiKeysTab /> },
          ]}
          tabBarExtraContent={
            <a href={AUDIT_HREF} data-testid="team-audit-link">
              {t('team:page.auditLog')}
            </a>
          }
        />
      ) : null}
    </main>
  );
}
