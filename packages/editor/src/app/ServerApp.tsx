import { useState } from 'react';
import { ChannelDetail } from '../channels/ChannelDetail.tsx';
import { ChannelsPage } from '../channels/ChannelsPage.tsx';
import { QrSheet } from '../channels/QrSheet.tsx';
import { AuditPage } from '../pages/AuditPage.tsx';
import { CallbacksPage } from '../pages/CallbacksPage.tsx';
import { CredentialsPage } from '../pages/CredentialsPage.tsx';
import { CustomerProfile } from '../pages/CustomerProfile.tsx';
import { CustomersPage } from '../pages/CustomersPage.tsx';
import { SandboxInbox } from '../pages/SandboxInbox.tsx';
import { ReportsPage } from '../reports/ReportsPage.tsx';
import { useReportRoute } from '../reports/route.ts';
import { JourneyList } from './journeys/JourneyList.tsx';
import { LoginPage } from './LoginPage.tsx';
import { type PageRoute, usePageRoute } from './routes.ts';

/**
 * The editor against the real server: sign-in, then the page the address names (reports, a
 * workspace page) or the journey list with its editor (./journeys/: autosaved drafts, publishing).
 */
export function ServerApp({ signedIn }: { signedIn: boolean }) {
  const [authed, setAuthed] = useState(signedIn);
  const report = useReportRoute();
  const page = usePageRoute();
  if (!authed) return <LoginPage onDone={() => setAuthed(true)} />;
  if (report) return <ReportsPage route={report} />;
  return page ? <Page route={page} /> : <JourneyList />;
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
  return <CustomersPage />;
}
