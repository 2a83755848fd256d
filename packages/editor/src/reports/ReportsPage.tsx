import { useLocale } from '../app/i18n.ts';
import { CHANNELS_HREF } from '../app/routes.ts';
import { ChannelReport } from './ChannelReport.tsx';
import { JourneyReport } from './JourneyReport.tsx';
import type { ReportRoute } from './route.ts';
import './reports.css';

/** The report pages (报表), opened from the journey list by hash link. */
export function ReportsPage({ route }: { route: ReportRoute }) {
  const { t, locale, setLocale } = useLocale();
  return (
    <main className="report-page" data-testid="report-page">
      <nav>
        <a href="#/" data-testid="report-back">
          ← {t('reports:reportsPage.journeys')}
        </a>
        <a href="#/reports/channels">{t('reports:channelReport.channelReport')}</a>
        <a href={CHANNELS_HREF} data-testid="report-to-channels">
          {t('reports:reportsPage.manageChannels')}
        </a>
        <button type="button" className="link" onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}>
          {locale === 'en' ? '中文' : 'English'}
        </button>
      </nav>
      {route.page === 'journey' ? <JourneyReport journeyId={route.journeyId} /> : <ChannelReport />}
    </main>
  );
}
