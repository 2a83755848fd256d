import { Suspense, useEffect, useState } from 'react';
import { useReportRoute } from '../reports/route.ts';
import { queryClient } from './kit/query.ts';
import { LoginPage } from './LoginPage.tsx';
import { Loading, lazyNamed } from './lazy-page.tsx';
import { type PageRoute, usePageRoute } from './routes.ts';

// Every page loads on demand: reports bring recharts, the journey list and the workspace pages
// bring antd's table and forms, and no one should download them to see the sign-in form.
const loadJourneyList = () => import('./journeys/JourneyList.tsx');
// The journey list (the home page) downloads alongside antd, not after it.
const AntdKit = lazyNamed(() => {
  void loadJourneyList();
  return import('./kit/AntdKit.tsx');
}, 'AntdKit');
const JourneyList = lazyNamed(loadJourneyList, 'JourneyList');
const ReportsPage = lazyNamed(() => import('../reports/ReportsPage.tsx'), 'ReportsPage');
const ChannelsPage = lazyNamed(() => import('../channels/ChannelsPage.tsx'), 'ChannelsPage');
const ChannelDetail = lazyNamed(() => import('../channels/ChannelDetail.tsx'), 'ChannelDetail');
const QrSheet = lazyNamed(() => import('../channels/QrSheet.tsx'), 'QrSheet');
const AuditPage = lazyNamed(() => import('../pages/AuditPage.tsx'), 'AuditPage');
const CallbacksPage = lazyNamed(() => import('../pages/CallbacksPage.tsx'), 'CallbacksPage');
const CredentialsPage = lazyNamed(() => import('../pages/CredentialsPage.tsx'), 'CredentialsPage');
const CouponBatchesPage = lazyNamed(() => import('../pages/CouponBatchesPage.tsx'), 'CouponBatchesPage');
const SmsTemplatesPage = lazyNamed(() => import('../pages/SmsTemplatesPage.tsx'), 'SmsTemplatesPage');
const CustomerProfile = lazyNamed(() => import('../pages/CustomerProfile.tsx'), 'CustomerProfile');
const CustomersPage = lazyNamed(() => import('../pages/CustomersPage.tsx'), 'CustomersPage');
const TagsPage = lazyNamed(() => import('../pages/TagsPage.tsx'), 'TagsPage');
const ImportPage = lazyNamed(() => import('../importer/ImportPage.tsx'), 'ImportPage');
const SandboxInbox = lazyNamed(() => import('../pages/SandboxInbox.tsx'), 'SandboxInbox');
const TeamPage = lazyNamed(() => import('../pages/team/TeamPage.tsx'), 'TeamPage');
const TasksPage = lazyNamed(() => import('../pages/tasks/TasksPage.tsx'), 'TasksPage');
const SetPasswordPage = lazyNamed(() => import('./SetPasswordPage.tsx'), 'SetPasswordPage');

/**
 * The editor against the real server: sign-in, then the page the address names (reports, a
 * workspace page) or the journey list with its editor (./journeys/: autosaved drafts, publishing).
 */
export function ServerApp({ signedIn }: { signedIn: boolean }) {
  const [authed, setAuthed] = useState(signedIn);
  const report = useReportRoute();
  const page = usePageRoute();
  useSignOutWhenSessionEnds(setAuthed);
  // A set-password link works signed in or not: it signs its operator in.
  if (page?.page === 'setPassword') {
    return (
      <Suspense fallback={<Loading />}>
        <SetPasswordPage
          token={page.token}
          onDone={() => {
            setAuthed(true);
            location.hash = '#/';
          }}
        />
      </Suspense>
    );
  }
  if (!authed) return <LoginPage onDone={() => setAuthed(true)} />;
  return (
    <Suspense fallback={<Loading />}>
      <AntdKit>
        <Suspense fallback={<Loading />}>
          {report ? <ReportsPage route={report} /> : page ? <Page route={page} /> : <JourneyList />}
        </Suspense>
      </AntdKit>
    </Suspense>
  );
}

function Page({ route }: { route: PageRoute }) {
  if (route.page === 'sandbox') return <SandboxInbox customerId={route.customerId} />;
  if (route.page === 'customer') return <CustomerProfile key={route.customerId} customerId={route.customerId} />;
  if (route.page === 'channels') return <ChannelsPage />;
  if (route.page === 'channel') return <ChannelDetail key={route.channelId} channelId={route.channelId} />;
  if (route.page === 'channelQr') return <QrSheet key={route.channelId} channelId={route.channelId} />;
  if (route.page === 'audit') return <AuditPage />;
  if (route.page === 'credentials') return <CredentialsPage />;
  if (route.page === 'callbacks') return <CallbacksPage />;
  if (route.page === 'tags') return <TagsPage />;
  if (route.page === 'coupons') return <CouponBatchesPage />;
  if (route.page === 'smsTemplates') return <SmsTemplatesPage />;
  if (route.page === 'import') return <ImportPage />;
  if (route.page === 'team') return <TeamPage tab={route.tab} />;
  if (route.page === 'tasks') return <TasksPage />;
  return <CustomersPage />;
}

/**
 * Back to the sign-in form when the server says the session is gone (it expired, or an admin
 * disabled the account): the next request answers UNAUTHORIZED. The cache is emptied so nothing of
 * the previous session shows to whoever signs in next.
 */
function useSignOutWhenSessionEnds(setSignedIn: (signedIn: boolean) => void) {
  useEffect(() => {
    const unauthorized = (error: unknown) =>
      (error as { data?: { code?: string } } | null)?.data?.code === 'UNAUTHORIZED';
    const end = () => {
      queryClient.clear();
      setSignedIn(false);
    };
    const queries = queryClient.getQueryCache().subscribe((e) => {
      if (e.type === 'updated' && e.action.type === 'error' && unauthorized(e.action.error)) end();
    });
    const mutations = queryClient.getMutationCache().subscribe((e) => {
      if (e.type === 'updated' && e.action.type === 'error' && unauthorized(e.action.error)) end();
    });
    return () => {
      queries();
      mutations();
    };
  }, [setSignedIn]);
}
