import { useMemo, useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { channelHref, channelQrHref } from '../app/routes.ts';
import { api } from '../app/server-api.ts';
import { useCanEdit } from '../app/use-role.ts';
import { formatTime } from '../pages/format.ts';
import { PageNav } from '../pages/PageNav.tsx';
import { pct } from '../reports/format.ts';
import { useLoad } from '../reports/parts.tsx';
import { CHANNEL_REPORT_HREF } from '../reports/route.ts';
import { ArchiveButton } from './ArchiveButton.tsx';
import { ChannelForm } from './ChannelForm.tsx';
import { ALL_TIME, channelNumbers, kindName } from './model.ts';
import './channels.css';

/**
 * 渠道管理: every entry channel (package-card batches, live codes, SMS links, posters) with its
 * codes and variants and its lifetime numbers from the channel report; create, print, archive.
 */
export function ChannelsPage() {
  const { tr, locale } = useLocale();
  const canEdit = useCanEdit();
  const [archived, setArchived] = useState(false);
  const [creating, setCreating] = useState(false);
  const { data, error, reload } = useLoad(
    () => api.channels.list.query({ includeArchived: archived }),
    String(archived),
  );
  const report = useLoad(() => api.reports.channels.query(ALL_TIME), 'all');
  const totals = useMemo(() => channelNumbers(report.data).byChannel, [report.data]);
  return (
    <main className="page" data-testid="channels-page">
      <PageNav current="channels" />
      <header className="page-head">
        <h1>{tr('渠道管理', 'Channels')}</h1>
        <p className="muted">
          {tr(
            '包裹卡、企业微信活码、短信链接、门店海报：每个渠道可有多个方案（渠道码），报表按方案对比引流效果。',
            'Package cards, WeCom live codes, SMS links, store posters: each channel may have several variants (codes), compared in the reports.',
          )}
        </p>
        <div className="filters">
          <label className="check">
            <input
              type="checkbox"
              checked={archived}
              onChange={(e) => setArchived(e.target.checked)}
              data-testid="show-archived"
            />
            {tr('显示已归档', 'Show archived')}
          </label>
          <a href={CHANNEL_REPORT_HREF} data-testid="to-channel-report">
            {tr('渠道报表', 'Channel report')} →
          </a>
          <span className="spacer" />
          {canEdit === false && (
            <span className="pill" data-testid="read-only">
              {tr('只读（查看者）', 'Read-only (viewer)')}
            </span>
          )}
          {canEdit && !creating && (
            <button type="button" className="primary" onClick={() => setCreating(true)} data-testid="new-channel">
              + {tr('新建渠道', 'New channel')}
            </button>
          )}
        </div>
      </header>
      {canEdit && creating && (
        <ChannelForm onCreated={(id) => (location.hash = channelHref(id))} onCancel={() => setCreating(false)} />
      )}
      {error && <p className="field-message">{error}</p>}
      {report.error && <p className="field-message">{report.error}</p>}
      <table className="grid" data-testid="channel-list">
        <thead>
          <tr>
            <th>{tr('渠道', 'Channel')}</th>
            <th>{tr('类型', 'Kind')}</th>
            <th>{tr('方案 · 渠道码', 'Variant · code')}</th>
            <th className="num">{tr('投放量', 'Delivered')}</th>
            <th className="num">{tr('进入客户', 'Came in')}</th>
            <th className="num">{tr('引流召回率', 'Recall rate')}</th>
            <th>{tr('创建时间', 'Created')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {data?.map((c) => {
            const n = totals.get(c.id);
            return (
              <tr
                key={c.id}
                data-testid="channel-row"
                data-channel-id={c.id}
                className={c.archivedAt ? 'archived' : ''}
                onClick={() => (location.hash = channelHref(c.id))}
              >
                <td>
                  <a href={channelHref(c.id)} onClick={(e) => e.stopPropagation()} data-col="name">
                    {c.name}
                  </a>
                  {c.archivedAt && <span className="pill">{tr('已归档', 'Archived')}</span>}
                </td>
                <td data-col="kind">
                  <span className={`pill kind-${c.kind}`}>{kindName(c.kind, locale)}</span>
                </td>
                <td data-col="codes">
                  {c.codes.map((code) => (
                    <span className="tag" key={code.code}>
                      {code.variant} · <span className="mono">{code.code}</span>
                    </span>
                  ))}
                </td>
                <td className="num" data-col="delivered">
                  {n?.delivered ?? c.codes.reduce((sum, code) => sum + code.delivered, 0)}
                </td>
                <td className="num" data-col="cameIn">
                  {n ? n.cameIn : '—'}
                </td>
                <td className="num" data-col="recall">
                  {pct(n?.recallRate, 2)}
                </td>
                <td className="muted">{formatTime(c.createdAt, locale)}</td>
                <td className="actions">
                  <a href={channelQrHref(c.id)} onClick={(e) => e.stopPropagation()} data-testid="qr-link">
                    {tr('二维码', 'QR codes')}
                  </a>
                  {canEdit && !c.archivedAt && <ArchiveButton channel={c} onDone={reload} />}
                </td>
              </tr>
            );
          })}
          {data?.length === 0 && (
            <tr>
              <td colSpan={8} className="muted empty">
                {tr('还没有渠道。', 'No channels yet.')}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <p className="muted">
        {tr(
          '投放量 = 记录的寄出/张贴数 + 带该渠道链接的已发短信；进入客户与召回率为累计数（同渠道各码相加）。',
          'Delivered = recorded cards/posters + SMS sent carrying the link; came-in and recall are all-time, summed over the codes of each channel.',
        )}
      </p>
    </main>
  );
}
