import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Table, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { errorText, trpc } from '../app/kit/query.ts';
import { byNumber, byText, rowAttributes } from '../app/kit/table.ts';
import { channelHref, channelQrHref } from '../app/routes.ts';
import type { api } from '../app/server-api.ts';
import { useCanEdit } from '../app/use-role.ts';
import { formatTime } from '../pages/format.ts';
import { PageNav } from '../pages/PageNav.tsx';
import { pct } from '../reports/format.ts';
import { CHANNEL_REPORT_HREF } from '../reports/route.ts';
import { ArchiveButton } from './ArchiveButton.tsx';
import { ChannelForm } from './ChannelForm.tsx';
import { ALL_TIME, CHANNEL_KINDS, channelNumbers, channelVariantName, kindName } from './model.ts';
import './channels.css';

type Channel = Awaited<ReturnType<typeof api.channels.list.query>>[number];

/**
 * 渠道管理: every entry channel (package-card batches, live codes, SMS links, posters) with its
 * codes and variants and its lifetime numbers from the channel report; create, print, archive.
 */
export function ChannelsPage() {
  const { t, locale } = useLocale();
  const canEdit = useCanEdit();
  const [archived, setArchived] = useState(false);
  const [creating, setCreating] = useState(false);
  const queries = useQueryClient();
  const list = useQuery(trpc.channels.list.queryOptions({ includeArchived: archived }));
  const report = useQuery(trpc.reports.channels.queryOptions(ALL_TIME));
  const reload = () => void queries.invalidateQueries(trpc.channels.list.pathFilter());
  const totals = useMemo(() => channelNumbers(report.data).byChannel, [report.data]);
  const delivered = (c: Channel) =>
    totals.get(c.id)?.delivered ?? c.codes.reduce((sum, code) => sum + code.delivered, 0);
  const col = (name: string) => () => ({ 'data-col': name }) as object;
  const columns: TableColumnsType<Channel> = [
    {
      key: 'name',
      title: t('channels:channelsPage.channel'),
      sorter: byText((c) => c.name, locale),
      render: (_, c) => (
        <>
          <a href={channelHref(c.id)} onClick={(e) => e.stopPropagation()} data-col="name">
            {c.name}
          </a>
          {c.archivedAt && <span className="pill">{t('channels:channelDetail.archived')}</span>}
        </>
      ),
    },
    {
      key: 'kind',
      title: t('channels:channelForm.kind'),
      filters: CHANNEL_KINDS.map((k) => ({ text: kindName(k, locale), value: k })),
      onFilter: (value, c) => c.kind === value,
      onCell: col('kind'),
      render: (_, c) => <span className={`pill kind-${c.kind}`}>{kindName(c.kind, locale)}</span>,
    },
    {
      key: 'codes',
      title: t('channels:channelsPage.variantCode'),
      onCell: col('codes'),
      render: (_, c) =>
        c.codes.map((code) => (
          <span className="tag" key={code.code}>
            {channelVariantName(code.variant, locale)} · <span className="mono">{code.code}</span>
          </span>
        )),
    },
    {
      key: 'delivered',
      title: t('channels:channelsPage.delivered'),
      align: 'right',
      sorter: byNumber(delivered),
      onCell: col('delivered'),
      render: (_, c) => delivered(c),
    },
    {
      key: 'cameIn',
      title: t('channels:channelDetail.cameIn'),
      align: 'right',
      sorter: byNumber((c) => totals.get(c.id)?.cameIn ?? -1),
      onCell: col('cameIn'),
      render: (_, c) => totals.get(c.id)?.cameIn ?? '—',
    },
    {
      key: 'recall',
      title: t('channels:channelDetail.recallRate'),
      align: 'right',
      sorter: byNumber((c) => totals.get(c.id)?.recallRate ?? -1),
      onCell: col('recall'),
      render: (_, c) => pct(totals.get(c.id)?.recallRate, 2),
    },
    {
      key: 'createdAt',
      title: t('channels:channelDetail.created'),
      className: 'muted',
      sorter: byNumber((c) => new Date(c.createdAt).getTime()),
      render: (_, c) => formatTime(c.createdAt, locale),
    },
    {
      key: 'actions',
      className: 'actions',
      render: (_, c) => (
        <>
          <a href={channelQrHref(c.id)} onClick={(e) => e.stopPropagation()} data-testid="qr-link">
            {t('channels:channelsPage.qrCodes')}
          </a>
          {canEdit && !c.archivedAt && <ArchiveButton channel={c} onDone={reload} />}
        </>
      ),
    },
  ];
  return (
    <main className="page" data-testid="channels-page">
      <PageNav current="channels" />
      <header className="page-head">
        <h1>{t('channels:channelsPage.channels')}</h1>
        <p className="muted">{t('channels:channelsPage.packageCardsWecomLiveCodes')}</p>
        <div className="filters">
          <label className="check">
            <input
              type="checkbox"
              checked={archived}
              onChange={(e) => setArchived(e.target.checked)}
              data-testid="show-archived"
            />
            {t('channels:channelsPage.showArchived')}
          </label>
          <a href={CHANNEL_REPORT_HREF} data-testid="to-channel-report">
            {t('channels:channelsPage.channelReport')} →
          </a>
          <span className="spacer" />
          {canEdit === false && (
            <span className="pill" data-testid="read-only">
              {t('channels:channelDetail.readOnlyViewer')}
            </span>
          )}
          {canEdit && !creating && (
            <Button type="primary" onClick={() => setCreating(true)} data-testid="new-channel">
              + {t('channels:channelForm.newChannel')}
            </Button>
          )}
        </div>
      </header>
      {canEdit && creating && (
        <ChannelForm onCreated={(id) => (location.hash = channelHref(id))} onCancel={() => setCreating(false)} />
      )}
      {list.error && <p className="field-message">{errorText(list.error)}</p>}
      {report.error && <p className="field-message">{errorText(report.error)}</p>}
      <Table<Channel>
        className="data-table"
        rowKey="id"
        columns={columns}
        dataSource={list.data ?? []}
        loading={list.isPending}
        pagination={false}
        data-testid="channel-list"
        rowClassName={(c) => (c.archivedAt ? 'archived' : '')}
        locale={{ emptyText: <span className="muted">{t('channels:channelsPage.noChannelsYet')}</span> }}
        onRow={(c) =>
          rowAttributes('channel-row', { 'channel-id': c.id }, { onClick: () => (location.hash = channelHref(c.id)) })
        }
      />
      <p className="muted">{t('channels:channelsPage.deliveredRecordedCardsPostersSms')}</p>
    </main>
  );
}
