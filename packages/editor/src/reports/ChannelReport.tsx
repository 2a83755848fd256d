import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { useLocale } from '../app/i18n.ts';
import { channelHref } from '../app/routes.ts';
import { api } from '../app/server-api.ts';
import { TimeZoneNote } from '../app/TimeZoneNote.tsx';
import { dateIn, endOfDayIn, startOfDayIn, WORKSPACE_TIME_ZONE } from '../app/time-zone.ts';
import { pct, yuan } from './format.ts';
import { Rule, Section, useLoad } from './parts.tsx';

const DAY = 86_400_000;
// The period's days are the workspace's days (the cohorts report counts weeks in the same zone).
const zone = WORKSPACE_TIME_ZONE;

/** 渠道报表: recall and contribution per channel and variant, cohorts and RFM sizes. */
export function ChannelReport() {
  const { t, locale } = useLocale();
  const params = new URLSearchParams(location.search);
  const [from, setFrom] = useState(params.get('from') ?? dateIn(Date.now() - 30 * DAY, zone));
  const [to, setTo] = useState(params.get('to') ?? dateIn(Date.now(), zone));
  const [windowDays, setWindowDays] = useState(7);
  // From the start of the first day to the end of the last, in the workspace's zone.
  const input = { from: startOfDayIn(from, zone), to: endOfDayIn(to, zone), windowDays };
  const valid = Number.isFinite(input.from) && Number.isFinite(input.to) && input.from < input.to;
  return (
    <>
      <h1 data-testid="report-title">{t('reports:channelReport.channelReport')}</h1>
      <div className="report-inline">
        <label>
          {t('reports:channelReport.from')}{' '}
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="from" />
        </label>
        <label>
          {t('reports:channelReport.to')}{' '}
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} data-testid="to" />
        </label>
        <TimeZoneNote zone={zone} locale={locale} />
        <label>
          {t('reports:channelReport.attributionWindowDays')}{' '}
          <input
            type="number"
            min={0}
            max={365}
            value={windowDays}
            onChange={(e) => setWindowDays(Math.max(0, Math.min(365, Number(e.target.value) || 0)))}
          />
        </label>
      </div>
      {valid ? (
        <Channels input={input} />
      ) : (
        <p className="field-message">{t('reports:channelReport.fromMustBeBeforeTo')}</p>
      )}
      <Cohorts />
    </>
  );
}

function Channels({ input }: { input: { from: number; to: number; windowDays: number } }) {
  const { t } = useLocale();
  const { data, error } = useLoad(() => api.reports.channels.query(input), JSON.stringify(input));
  const chart = (data?.rows ?? []).map((r) => ({
    name: `${r.channelName} ${r.variant}`,
    recall: r.recallRate === null ? 0 : Number((r.recallRate * 100).toFixed(2)),
    perCard: r.revenuePerDeliveredCents === null ? 0 : Number((r.revenuePerDeliveredCents / 100).toFixed(2)),
  }));
  return (
    <Section
      title={t('reports:channelReport.channelsAndVariants')}
      testId="report-channels"
      csv={{ report: 'channels', input }}
    >
      {error && <p className="field-message">{error}</p>}
      {data && (
        <>
          <table className="report-table">
            <thead>
              <tr>
                <th>{t('reports:channelReport.channel')}</th>
                <th>{t('reports:channelReport.variant')}</th>
                <th>{t('reports:channelReport.code')}</th>
                <th>{t('reports:channelReport.delivered')}</th>
                <th>{t('reports:channelReport.scans')}</th>
                <th>{t('reports:channelReport.cameIn')}</th>
                <th>{t('reports:channelReport.recallRate')}</th>
                <th>{t('reports:channelReport.orders')}</th>
                <th>{t('reports:channelReport.revenue')}</th>
                <th>{t('reports:channelReport.perCard')}</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <tr key={r.code} data-testid={`channel-row-${r.code}`}>
                  <td>
                    <a href={channelHref(r.channelId)}>{r.channelName}</a>
                  </td>
                  <td>{r.variant}</td>
                  <td>{r.code}</td>
                  <td>
                    {r.delivered}
                    {r.smsSent > 0 && (
                      <span className="muted"> ({t('reports:channelReport.smsSentSms', { smsSent: r.smsSent })})</span>
                    )}
                  </td>
                  <td>{r.scans}</td>
                  <td>{r.cameIn}</td>
                  <td>{pct(r.recallRate, 2)}</td>
                  <td>{r.orders}</td>
                  <td>{yuan(r.revenueCents)}</td>
                  <td>{yuan(r.revenuePerDeliveredCents)}</td>
                </tr>
              ))}
              <tr>
                <td colSpan={7} className="muted">
                  {t('reports:channelReport.unattributed')}
                </td>
                <td>{data.unattributed.orders}</td>
                <td>{yuan(data.unattributed.revenueCents)}</td>
                <td />
              </tr>
            </tbody>
          </table>
          <BarChart width={720} height={260} data={chart} margin={{ top: 10, right: 20 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" />
            <YAxis yAxisId="l" />
            <YAxis yAxisId="r" orientation="right" />
            <Tooltip />
            <Legend />
            <Bar
              yAxisId="l"
              dataKey="recall"
              name={t('reports:channelReport.recallRate2')}
              fill="#2563eb"
              isAnimationActive={false}
            />
            <Bar
              yAxisId="r"
              dataKey="perCard"
              name={t('reports:channelReport.revenuePerCard')}
              fill="#ea580c"
              isAnimationActive={false}
            />
          </BarChart>
          <Rule text={data.attribution.text} />
        </>
      )}
    </Section>
  );
}

function Cohorts() {
  const { t, loc } = useLocale();
  const [by, setBy] = useState<'entryWeek' | 'channel'>('entryWeek');
  const { data, error } = useLoad(() => api.reports.cohorts.query({ by }), by);
  return (
    <Section
      title={t('reports:channelReport.repurchaseAndOrderValue')}
      testId="report-cohorts"
      csv={{ report: 'cohorts', input: { by } }}
    >
      <label className="report-inline">
        {t('reports:channelReport.cohortsBy')}
        <select value={by} onChange={(e) => setBy(e.target.value as 'entryWeek' | 'channel')} data-testid="cohorts-by">
          <option value="entryWeek">{t('reports:channelReport.entryWeek')}</option>
          <option value="channel">{t('reports:channelReport.channel')}</option>
        </select>
      </label>
      {error && <p className="field-message">{error}</p>}
      {data && (
        <div className="report-split">
          <table className="report-table">
            <thead>
              <tr>
                <th>
                  {by === 'entryWeek' ? t('reports:channelReport.entryWeek') : t('reports:channelReport.channel')}
                </th>
                <th>{t('reports:channelReport.customers')}</th>
                <th>{t('reports:channelReport.buyers')}</th>
                <th>{t('reports:channelReport.repurchase')}</th>
                <th>{t('reports:channelReport.orders2')}</th>
                <th>{t('reports:channelReport.aov')}</th>
              </tr>
            </thead>
            <tbody>
              {data.cohorts.map((c) => (
                <tr key={c.key}>
                  <td>{c.label || t('reports:channelReport.none')}</td>
                  <td>{c.customers}</td>
                  <td>{c.buyers}</td>
                  <td>{pct(c.repurchaseRate)}</td>
                  <td>{c.orders}</td>
                  <td>{c.averageOrderCents === null ? '—' : `¥${(c.averageOrderCents / 100).toFixed(2)}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <BarChart
            width={380}
            height={240}
            data={data.rfm.map((s) => ({ name: loc(s.label), customers: s.customers }))}
          >
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" interval={0} fontSize={11} />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Bar
              dataKey="customers"
              name={t('reports:channelReport.rfmSegmentSize')}
              fill="#16a34a"
              isAnimationActive={false}
            />
          </BarChart>
        </div>
      )}
      {data && <Rule text={data.definition} />}
    </Section>
  );
}
