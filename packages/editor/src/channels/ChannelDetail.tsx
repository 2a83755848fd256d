import { useMemo } from 'react';
import { useLocale } from '../app/i18n.ts';
import { CHANNELS_HREF, channelQrHref } from '../app/routes.ts';
import { api } from '../app/server-api.ts';
import { useCanEdit } from '../app/use-role.ts';
import { formatTime } from '../pages/format.ts';
import { PageNav } from '../pages/PageNav.tsx';
import { pct } from '../reports/format.ts';
import { useLoad } from '../reports/parts.tsx';
import { AddCodeForm } from './AddCodeForm.tsx';
import { ArchiveButton } from './ArchiveButton.tsx';
import { DeliveredEditor } from './DeliveredEditor.tsx';
import { LiveCodeCell } from './LiveCodeCell.tsx';
import { ALL_TIME, channelNumbers, deliveredName, kindName } from './model.ts';
import './channels.css';

/** One channel: its codes and variants with their numbers; add a code, record delivered, live codes. */
export function ChannelDetail({ channelId }: { channelId: string }) {
  const { tr, locale } = useLocale();
  const canEdit = useCanEdit();
  const { data: channel, error, reload } = useLoad(() => api.channels.get.query({ id: channelId }), channelId);
  const report = useLoad(() => api.reports.channels.query({ ...ALL_TIME, channelId }), channelId);
  const numbers = useMemo(() => channelNumbers(report.data), [report.data]);
  const refresh = () => {
    reload();
    report.reload();
  };
  const editable = Boolean(canEdit && channel && !channel.archivedAt);
  const total = numbers.byChannel.get(channelId);
  return (
    <main className="page" data-testid="channel-detail">
      <PageNav current="channels" />
      <a href={CHANNELS_HREF} data-testid="back-to-channels">
        ← {tr('全部渠道', 'All channels')}
      </a>
      {error && <p className="field-message">{error}</p>}
      {channel && (
        <>
          <header className="page-head channel-head">
            <h1 data-testid="channel-title">{channel.name}</h1>
            <span className={`pill kind-${channel.kind}`}>{kindName(channel.kind, locale)}</span>
            {channel.archivedAt && (
              <span className="pill" data-testid="archived">
                {tr('已归档', 'Archived')} {formatTime(channel.archivedAt, locale)}
              </span>
            )}
            {canEdit === false && (
              <span className="pill" data-testid="read-only">
                {tr('只读（查看者）', 'Read-only (viewer)')}
              </span>
            )}
            <span className="spacer" />
            <a className="button" href={channelQrHref(channel.id)} data-testid="open-qr-sheet">
              🖨️ {tr('打印二维码', 'Print QR codes')}
            </a>
            {editable && <ArchiveButton channel={channel} onDone={refresh} />}
          </header>
          <dl className="facts channel-facts">
            <dt>{tr('创建时间', 'Created')}</dt>
            <dd>{formatTime(channel.createdAt, locale)}</dd>
            <dt>{tr('投放量（累计）', 'Delivered (all time)')}</dt>
            <dd data-testid="total-delivered">{total?.delivered ?? '—'}</dd>
            <dt>{tr('进入客户（累计）', 'Came in (all time)')}</dt>
            <dd data-testid="total-came-in">{total?.cameIn ?? '—'}</dd>
            <dt>{tr('引流召回率', 'Recall rate')}</dt>
            <dd data-testid="total-recall">{pct(total?.recallRate, 2)}</dd>
          </dl>
          {report.error && <p className="field-message">{report.error}</p>}
          <table className="grid" data-testid="code-list">
            <thead>
              <tr>
                <th>{tr('方案', 'Variant')}</th>
                <th>{tr('渠道码', 'Code')}</th>
                <th>{tr('跟踪链接', 'Tracked URL')}</th>
                <th className="num">{deliveredName(channel.kind, locale)}</th>
                <th className="num">{tr('扫码/点击', 'Scans')}</th>
                <th className="num">{tr('进入客户', 'Came in')}</th>
                <th className="num">{tr('召回率', 'Recall')}</th>
                {channel.kind === 'liveCode' && <th>{tr('企业微信活码', 'WeCom live code')}</th>}
              </tr>
            </thead>
            <tbody>
              {channel.codes.map((c) => {
                const n = numbers.byCode.get(c.code);
                return (
                  <tr key={c.code} data-testid="code-row" data-code={c.code}>
                    <td data-col="variant">{c.variant}</td>
                    <td className="mono">{c.code}</td>
                    <td>
                      <a className="mono" href={c.trackedUrl} target="_blank" rel="noreferrer">
                        {c.trackedUrl}
                      </a>
                      {c.targetUrl && <div className="muted mono">→ {c.targetUrl}</div>}
                    </td>
                    <td className="num" data-col="delivered">
                      {editable ? (
                        <DeliveredEditor key={c.delivered} code={c.code} value={c.delivered} onSaved={refresh} />
                      ) : (
                        c.delivered
                      )}
                      {n && n.smsSent > 0 && (
                        <div className="muted">{tr(`另有短信 ${n.smsSent} 条`, `+ ${n.smsSent} SMS sent`)}</div>
                      )}
                    </td>
                    <td className="num">{n?.scans ?? '—'}</td>
                    <td className="num" data-col="cameIn">
                      {n?.cameIn ?? '—'}
                    </td>
                    <td className="num" data-col="recall">
                      {pct(n?.recallRate, 2)}
                    </td>
                    {channel.kind === 'liveCode' && (
                      <td>
                        <LiveCodeCell code={c} editable={editable} onDone={refresh} />
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
          {editable && (
            <AddCodeForm
              channelId={channel.id}
              kind={channel.kind}
              variants={channel.codes.map((c) => c.variant)}
              onAdded={refresh}
            />
          )}
        </>
      )}
    </main>
  );
}
