import { Table, type TableColumnsType } from 'antd';
import { useMemo } from 'react';
import { useLocale } from '../app/i18n.ts';
import { rowAttributes } from '../app/kit/table.ts';
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
import { ALL_TIME, channelNumbers, channelVariantName, deliveredName, kindName } from './model.ts';
import './channels.css';

type Code = Awaited<ReturnType<typeof api.channels.get.query>>['codes'][number];

/** One channel: its codes and variants with their numbers; add a code, record delivered, live codes. */
export function ChannelDetail({ channelId }: { channelId: string }) {
  const { t, locale } = useLocale();
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
  const col = (name: string) => () => ({ 'data-col': name }) as object;
  const columns: TableColumnsType<Code> = channel
    ? [
        {
          key: 'variant',
          title: t('channels:channelDetail.variant'),
          onCell: col('variant'),
          render: (_, c) => channelVariantName(c.variant, locale),
        },
        { key: 'code', title: t('channels:channelDetail.code'), className: 'mono', render: (_, c) => c.code },
        {
          key: 'trackedUrl',
          title: t('channels:channelDetail.trackedUrl'),
          render: (_, c) => (
            <>
              <a className="mono" href={c.trackedUrl} target="_blank" rel="noreferrer">
                {c.trackedUrl}
              </a>
              {c.targetUrl && <div className="muted mono">→ {c.targetUrl}</div>}
            </>
          ),
        },
        {
          key: 'delivered',
          title: deliveredName(channel.kind, locale),
          align: 'right',
          onCell: col('delivered'),
          render: (_, c) => {
            const n = numbers.byCode.get(c.code);
            return (
              <>
                {editable ? (
                  <DeliveredEditor key={c.delivered} code={c.code} value={c.delivered} onSaved={refresh} />
                ) : (
                  c.delivered
                )}
                {n && n.smsSent > 0 && (
                  <div className="muted">{t('channels:channelDetail.smsSentSmsSent', { smsSent: n.smsSent })}</div>
                )}
              </>
            );
          },
        },
        {
          key: 'scans',
          title: t('channels:channelDetail.scans'),
          align: 'right',
          render: (_, c) => numbers.byCode.get(c.code)?.scans ?? '—',
        },
        {
          key: 'cameIn',
          title: t('channels:channelDetail.cameIn'),
          align: 'right',
          onCell: col('cameIn'),
          render: (_, c) => numbers.byCode.get(c.code)?.cameIn ?? '—',
        },
        {
          key: 'recall',
          title: t('channels:channelDetail.recall'),
          align: 'right',
          onCell: col('recall'),
          render: (_, c) => pct(numbers.byCode.get(c.code)?.recallRate, 2),
        },
        ...(channel.kind === 'liveCode'
          ? [
              {
                key: 'liveCode',
                title: t('channels:channelDetail.wecomLiveCode'),
                render: (_: unknown, c: Code) => <LiveCodeCell code={c} editable={editable} onDone={refresh} />,
              },
            ]
          : []),
      ]
    : [];
  return (
    <main className="page" data-testid="channel-detail">
      <PageNav current="channels" />
      <a href={CHANNELS_HREF} data-testid="back-to-channels">
        ← {t('channels:channelDetail.allChannels')}
      </a>
      {error && <p className="field-message">{error}</p>}
      {channel && (
        <>
          <header className="page-head channel-head">
            <h1 data-testid="channel-title">{channel.name}</h1>
            <span className={`pill kind-${channel.kind}`}>{kindName(channel.kind, locale)}</span>
            {channel.archivedAt && (
              <span className="pill" data-testid="archived">
                {t('channels:channelDetail.archived')} {formatTime(channel.archivedAt, locale)}
              </span>
            )}
            {canEdit === false && (
              <span className="pill" data-testid="read-only">
                {t('channels:channelDetail.readOnlyViewer')}
              </span>
            )}
            <span className="spacer" />
            <a className="button" href={channelQrHref(channel.id)} data-testid="open-qr-sheet">
              🖨️ {t('channels:channelDetail.printQrCodes')}
            </a>
            {editable && <ArchiveButton channel={channel} onDone={refresh} />}
          </header>
          <dl className="facts channel-facts">
            <dt>{t('channels:channelDetail.created')}</dt>
            <dd>{formatTime(channel.createdAt, locale)}</dd>
            <dt>{t('channels:channelDetail.deliveredAllTime')}</dt>
            <dd data-testid="total-delivered">{total?.delivered ?? '—'}</dd>
            <dt>{t('channels:channelDetail.cameInAllTime')}</dt>
            <dd data-testid="total-came-in">{total?.cameIn ?? '—'}</dd>
            <dt>{t('channels:channelDetail.recallRate')}</dt>
            <dd data-testid="total-recall">{pct(total?.recallRate, 2)}</dd>
          </dl>
          {report.error && <p className="field-message">{report.error}</p>}
          <Table<Code>
            className="data-table"
            rowKey="code"
            columns={columns}
            dataSource={channel.codes}
            pagination={false}
            data-testid="code-list"
            onRow={(c) => rowAttributes('code-row', { code: c.code })}
          />
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
