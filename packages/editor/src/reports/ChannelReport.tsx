import { DatePicker, InputNumber, Select, Table, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { useLocale } from '../app/i18n.ts';
import { pickerValue } from '../app/kit/picker-value.ts';
import { byNumber, byText, rowAttributes } from '../app/kit/table.ts';
import { channelHref } from '../app/routes.ts';
import { api } from '../app/server-api.ts';
import { TimeZoneNote } from '../app/TimeZoneNote.tsx';
import { dateIn, endOfDayIn, startOfDayIn, WORKSPACE_TIME_ZONE } from '../app/time-zone.ts';
import { channelVariantName } from '../channels/model.ts';
import { pct, yuan } from './format.ts';
import { Rule, Section, useLoad } from './parts.tsx';

const DAY = 86_400_000;
// The period's days are the workspace's days (the cohorts report counts weeks in the same zone).
const zone = WORKSPACE_TIME_ZONE;

type ChannelRow = Awaited<ReturnType<typeof api.reports.channels.query>>['rows'][number];
type Cohort = Awaited<ReturnType<typeof api.reports.cohorts.query>>['cohorts'][number];
/** Sorts rates and amounts that may be missing ("—") below every real one. */
const orLow = (x: number | null) => x ?? Number.NEGATIVE_INFINITY;

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
        {/* Calendar days only: the period's bounds are taken in the workspace's zone below. */}
        <span>
          {t('reports:channelReport.from')}{' '}
          <DatePicker
            value={pickerValue(from)}
            onChange={(day) => day && setFrom(day.format('YYYY-MM-DD'))}
            allowClear={false}
            data-testid="from"
          />
        </span>
        <span>
          {t('reports:channelReport.to')}{' '}
          <DatePicker
            value={pickerValue(to)}
            onChange={(day) => day && setTo(day.format('YYYY-MM-DD'))}
            allowClear={false}
            data-testid="to"
          />
        </span>
        <TimeZoneNote zone={zone} locale={locale} />
        <span>
          {t('reports:channelReport.attributionWindowDays')}{' '}
          <InputNumber
            min={0}
            max={365}
            precision={0}
            value={windowDays}
            onChange={(days) => setWindowDays(days ?? 0)}
            aria-label={t('reports:channelReport.attributionWindowDays')}
          />
        </span>
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
  const { t, locale } = useLocale();
  const num = (key: keyof ChannelRow & string, title: string, pick: (r: ChannelRow) => number) => ({
    key,
    title,
    align: 'right' as const,
    sorter: byNumber(pick),
  });
  const channelColumns: TableColumnsType<ChannelRow> = [
    {
      key: 'channel',
      title: t('reports:channelReport.channel'),
      sorter: byText((r: ChannelRow) => r.channelName, locale),
      render: (_, r) => <a href={channelHref(r.channelId)}>{r.channelName}</a>,
    },
    {
      key: 'variant',
      title: t('reports:channelReport.variant'),
      sorter: byText((r: ChannelRow) => channelVariantName(r.variant, locale), locale),
      render: (_, r) => channelVariantName(r.variant, locale),
    },
    { key: 'code', title: t('reports:channelReport.code'), dataIndex: 'code' },
    {
      ...num('delivered', t('reports:channelReport.delivered'), (r) => r.delivered),
      render: (_, r) => (
        <>
          {r.delivered}
          {r.smsSent > 0 && (
            <span className="muted"> ({t('reports:channelReport.smsSentSms', { smsSent: r.smsSent })})</span>
          )}
        </>
      ),
    },
    { ...num('scans', t('reports:channelReport.scans'), (r) => r.scans), dataIndex: 'scans' },
    { ...num('cameIn', t('reports:channelReport.cameIn'), (r) => r.cameIn), dataIndex: 'cameIn' },
    {
      ...num('recallRate', t('reports:channelReport.recallRate'), (r) => orLow(r.recallRate)),
      render: (_, r) => pct(r.recallRate, 2),
    },
    { ...num('orders', t('reports:channelReport.orders'), (r) => r.orders), dataIndex: 'orders' },
    {
      ...num('revenueCents', t('reports:channelReport.revenue'), (r) => r.revenueCents),
      render: (_, r) => yuan(r.revenueCents),
    },
    {
      ...num('revenuePerDeliveredCents', t('reports:channelReport.perCard'), (r) => orLow(r.revenuePerDeliveredCents)),
      render: (_, r) => yuan(r.revenuePerDeliveredCents),
    },
  ];
  const { data, error } = useLoad(() => api.reports.channels.query(input), JSON.stringify(input));
  const chart = (data?.rows ?? []).map((r) => ({
    name: `${r.channelName} ${channelVariantName(r.variant, locale)}`,
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
          <Table<ChannelRow>
            size="small"
            rowKey="code"
            columns={channelColumns}
            dataSource={data.rows}
            pagination={false}
            onRow={(r) => rowAttributes(`channel-row-${r.code}`)}
            summary={() => (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0} colSpan={7}>
                  <span className="muted">{t('reports:channelReport.unattributed')}</span>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={7} align="right">
                  {data.unattributed.orders}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={8} align="right">
                  {yuan(data.unattributed.revenueCents)}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={9} />
              </Table.Summary.Row>
            )}
          />
          <BarChart width={720} height={260} data={chart} margin={{ top: 10, right: 20 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" interval={0} fontSize={12} angle={-20} textAnchor="end" height={56} />
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
  const { t, loc, locale } = useLocale();
  const [by, setBy] = useState<'entryWeek' | 'channel'>('entryWeek');
  const cohortColumns: TableColumnsType<Cohort> = [
    {
      key: 'label',
      title: by === 'entryWeek' ? t('reports:channelReport.entryWeek') : t('reports:channelReport.channel'),
      sorter: byText((c: Cohort) => c.label, locale),
      render: (_, c) => c.label || t('reports:channelReport.none'),
    },
    {
      key: 'customers',
      title: t('reports:channelReport.customers'),
      dataIndex: 'customers',
      align: 'right',
      sorter: byNumber((c: Cohort) => c.customers),
    },
    {
      key: 'buyers',
      title: t('reports:channelReport.buyers'),
      dataIndex: 'buyers',
      align: 'right',
      sorter: byNumber((c: Cohort) => c.buyers),
    },
    {
      key: 'repurchase',
      title: t('reports:channelReport.repurchase'),
      align: 'right',
      sorter: byNumber((c: Cohort) => orLow(c.repurchaseRate)),
      render: (_, c) => pct(c.repurchaseRate),
    },
    {
      key: 'orders',
      title: t('reports:channelReport.orders2'),
      dataIndex: 'orders',
      align: 'right',
      sorter: byNumber((c: Cohort) => c.orders),
    },
    {
      key: 'aov',
      title: t('reports:channelReport.aov'),
      align: 'right',
      sorter: byNumber((c: Cohort) => orLow(c.averageOrderCents)),
      render: (_, c) => yuan(c.averageOrderCents),
    },
  ];
  const { data, error } = useLoad(() => api.reports.cohorts.query({ by }), by);
  return (
    <Section
      title={t('reports:channelReport.repurchaseAndOrderValue')}
      testId="report-cohorts"
      csv={{ report: 'cohorts', input: { by } }}
    >
      <div className="report-inline">
        {t('reports:channelReport.cohortsBy')}
        <Select
          className="cohorts-by"
          value={by}
          onChange={setBy}
          data-testid="cohorts-by"
          options={[
            { value: 'entryWeek', label: t('reports:channelReport.entryWeek') },
            { value: 'channel', label: t('reports:channelReport.channel') },
          ]}
        />
      </div>
      {error && <p className="field-message">{error}</p>}
      {data && (
        <div className="report-split">
          <Table<Cohort>
            size="small"
            rowKey="key"
            columns={cohortColumns}
            dataSource={data.cohorts}
            pagination={false}
          />
          <BarChart
            width={380}
            height={280}
            data={data.rfm.map((s) => ({ name: loc(s.label), customers: s.customers }))}
          >
            <CartesianGrid strokeDasharray="3 3" />
            {/* Six segment names side by side ran into each other (重要价值客户忠诚客户…): slanted, each reads alone. */}
            <XAxis dataKey="name" interval={0} fontSize={11} angle={-30} textAnchor="end" height={64} />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
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
