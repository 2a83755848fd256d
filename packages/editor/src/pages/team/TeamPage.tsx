import { Tabs } from 'antd';
import { useLocale } from '../../app/i18n.ts';
import { API_KEYS_HREF, AUDIT_HREF, STAFF_HREF, TEAM_HREF, type TeamTab } from '../../app/routes.ts';
import { useIsAdmin } from '../../app/use-role.ts';
import { PageNav } from '../PageNav.tsx';
import { ApiKeysTab } from './ApiKeysTab.tsx';
import { OperatorsTab } from './OperatorsTab.tsx';
import { StaffTab } from './StaffTab.tsx';

const TAB_HREFS: Record<TeamTab, string> = { operators: TEAM_HREF, apiKeys: API_KEYS_HREF, staff: STAFF_HREF };

/**
 * 团队 (admins): the operators who sign in, the API keys other systems use and the WeCom staff
 * directory, each a tab with its own address; the audit log of what they did is one click away in the same tab bar.
 */
export function TeamPage({ tab }: { tab: TeamTab }) {
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
            location.hash = TAB_HREFS[key as TeamTab];
          }}
          destroyOnHidden
          items={[
            { key: 'operators', label: t('team:page.operators'), children: <OperatorsTab /> },
            { key: 'apiKeys', label: t('team:page.apiKeys'), children: <ApiKeysTab /> },
            { key: 'staff', label: t('team:page.staff'), children: <StaffTab /> },
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
