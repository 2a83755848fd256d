import { useLocale } from '../app/i18n.ts';
import { CHANNELS_HREF } from '../app/routes.ts';
import { ChannelReport } from './ChannelReport.tsx';
import { JourneyReport } from './JourneyReport.tsx';
import type { ReportRoute } from './route.ts';
import './reports.css';

/** The report pages (报表), opened from the journey list by hash link. */
export function ReportsPage({ route }: { route: ReportRoute }) {
  const { tr, locale, setLocale } = useLocale();
  return (
    <main className="report-page" data-testid="report-page">
      <nav>
        <a href="#/" data-testid="report-back">
          ← {tr('旅程', 'Journeys')}
        </a>
        <a href="#/reports/channels">{tr('渠道报表', 'Channel report')}</a>
        <a href={CHANNELS_HREF} data-testid="report-to-channels">
          {tr('渠道管理', 'Manage channels')}
        </a>
        <button type="button" className="link" onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}>
          {locale === 'en' ? '中文' : 'English'}
        </button>
      </nav>
      {route.page === 'journey' ? <JourneyReport journeyId={route.journeyId} /> : <ChannelReport />}
    </main>
  );
}
