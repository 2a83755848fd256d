import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { useLocale } from '../app/i18n.ts';
import { channelHref } from '../app/routes.ts';
import { api } from '../app/server-api.ts';
import { pct, yuan } from './format.ts';
import { Rule, Section, useLoad } from './parts.tsx';

const DAY = 86_400_000;
const dateInput = (ms: number) => new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
const fromDateInput = (s: string) => new Date(`${s}T00:00:00`).getTime();

/** 渠道报表: recall and contribution per channel and variant, cohorts and RFM sizes. */
export function ChannelReport() {
  const { tr } = useLocale();
  const params = new URLSearchParams(location.search);
  const [from, setFrom] = useState(params.get('from') ?? dateInput(Date.now() - 30 * DAY));
  const [to, setTo] = useState(params.get('to') ?? dateInput(Date.now()));
  const [windowDays, setWindowDays] = useState(7);
  const input = { from: fromDateInput(from), to: fromDateInput(to) + DAY, windowDays };
  const valid = Number.isFinite(input.from) && Number.isFinite(input.to) && input.from < input.to;
  return (
    <>
      <h1 data-testid="report-title">{tr('渠道报表', 'Channel report')}</h1>
      <div className="report-inline">
        <label>
          {tr('从', 'From')}{' '}
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="from" />
        </label>
        <label>
          {tr('到', 'To')} <input type="date" value={to} onChange={(e) => setTo(e.target.value)} data-testid="to" />
        </label>
        <label>
          {tr('归因窗口（天）', 'Attribution window (days)')}{' '}
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
        <p className="field-message">{tr('开始日期须早于结束日期', 'From must be before To')}</p>
      )}
      <Cohorts />
    </>
  );
}

function Channels({ input }: { input: { from: number; to: number; windowDays: number } }) {
  const { tr } = useLocale();
  const { data, error } = useLoad(() => api.reports.channels.query(input), JSON.stringify(input));
  const chart = (data?.rows ?? []).map((r) => ({
    name: `${r.channelName} ${r.variant}`,
    recall: r.recallRate === null ? 0 : Number((r.recallRate * 100).toFixed(2)),
    perCard: r.revenuePerDeliveredCents === null ? 0 : Number((r.revenuePerDeliveredCents / 100).toFixed(2)),
  }));
  return (
    <Section
      title={tr('渠道与方案', 'Channels and variants')}
      testId="report-channels"
      csv={{ report: 'channels', input }}
    >
      {error && <p className="field-message">{error}</p>}
      {data && (
        <>
          <table className="report-table">
            <thead>
              <tr>
                <th>{tr('渠道', 'Channel')}</th>
                <th>{tr('方案', 'Variant')}</th>
                <th>{tr('渠道码', 'Code')}</th>
                <th>{tr('投放量', 'Delivered')}</th>
                <th>{tr('扫码/点击', 'Scans')}</th>
                <th>{tr('进入客户', 'Came in')}</th>
                <th>{tr('引流召回率', 'Recall rate')}</th>
                <th>{tr('归因订单', 'Orders')}</th>
                <th>{tr('归因销售额', 'Revenue')}</th>
                <th>{tr('单卡贡献', 'Per card')}</th>
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
                    {r.smsSent > 0 && <span className="muted"> ({tr(`短信 ${r.smsSent}`, `${r.smsSent} SMS`)})</span>}
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
                  {tr('未归因', 'Unattributed')}
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
              name={tr('引流召回率 %', 'Recall rate %')}
              fill="#2563eb"
              isAnimationActive={false}
            />
            <Bar
              yAxisId="r"
              dataKey="perCard"
              name={tr('单卡贡献 ¥', 'Revenue per card ¥')}
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
  const { tr, loc } = useLocale();
  const [by, setBy] = useState<'entryWeek' | 'channel'>('entryWeek');
  const { data, error } = useLoad(() => api.reports.cohorts.query({ by }), by);
  return (
    <Section
      title={tr('复购与客单价', 'Repurchase and order value')}
      testId="report-cohorts"
      csv={{ report: 'cohorts', input: { by } }}
    >
      <label className="report-inline">
        {tr('分组', 'Cohorts by')}
        <select value={by} onChange={(e) => setBy(e.target.value as 'entryWeek' | 'channel')} data-testid="cohorts-by">
          <option value="entryWeek">{tr('入群周', 'Entry week')}</option>
          <option value="channel">{tr('渠道', 'Channel')}</option>
        </select>
      </label>
      {error && <p className="field-message">{error}</p>}
      {data && (
        <div className="report-split">
          <table className="report-table">
            <thead>
              <tr>
                <th>{by === 'entryWeek' ? tr('入群周', 'Entry week') : tr('渠道', 'Channel')}</th>
                <th>{tr('客户', 'Customers')}</th>
                <th>{tr('下单客户', 'Buyers')}</th>
                <th>{tr('复购率', 'Repurchase')}</th>
                <th>{tr('订单', 'Orders')}</th>
                <th>{tr('客单价', 'AOV')}</th>
              </tr>
            </thead>
            <tbody>
              {data.cohorts.map((c) => (
                <tr key={c.key}>
                  <td>{c.label || tr('无渠道', 'None')}</td>
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
              name={tr('RFM 分层人数', 'RFM segment size')}
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
