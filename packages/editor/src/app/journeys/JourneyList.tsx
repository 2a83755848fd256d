import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Table, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { formatTime, percent } from '../../pages/format.ts';
import { PageNav } from '../../pages/PageNav.tsx';
import { CHANNEL_REPORT_HREF } from '../../reports/route.ts';
import { useLocale } from '../i18n.ts';
import { errorText, trpc } from '../kit/query.ts';
import { byNumber, byText, pagination, rowAttributes } from '../kit/table.ts';
import { PausedNote } from '../PausedReason.tsx';
import { api } from '../server-api.ts';
import { TemplateGallery } from '../TemplateGallery.tsx';
import { useCanEdit } from '../use-role.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { type JourneyFilter, JourneyFilters, listQuery, NO_FILTER } from './JourneyFilters.tsx';
import { type ConfirmRequest, JourneyRowActions } from './JourneyRowActions.tsx';
import type { JourneyRow, OpenJourney } from './journey-types.ts';
import { lifecycleText } from './lifecycle-text.ts';
import { ServerEditor } from './ServerEditor.tsx';

/**
 * The journey list (entries and conversion refreshed every 10 s; search, status and folder
 * filters; sortable columns, 20 a page; the archive with restore; duplicate, reports, pause/resume,
 * stop, archive behind confirms; new from blank or a template); opening a journey swaps the list
 * for its editor.
 */
export function JourneyList() {
  const { t, locale } = useLocale();
  const canEdit = useCanEdit() === true;
  const queries = useQueryClient();
  const [filter, setFilter] = useState<JourneyFilter>(NO_FILTER);
  // "Nothing matches" only when something was asked for; an empty workspace says where to start.
  const filtered = Boolean(filter.search.trim() || filter.status || filter.folder !== undefined);
  const [confirming, setConfirming] = useState<ConfirmRequest | null>(null);
  const [open, setOpen] = useState<OpenJourney | null>(null);
  const list = useQuery(
    trpc.journeys.list.queryOptions(listQuery(filter), { enabled: !open, placeholderData: keepPreviousData }),
  );
  // Entries and conversion refresh while the list is open (customers keep arriving).
  const overview = useQuery(trpc.overview.journeys.queryOptions({}, { refetchInterval: 10_000, enabled: !open }));
  const reload = () => void queries.invalidateQueries(trpc.journeys.pathFilter());
  const openJourney = async (id: string) => setOpen(await api.journeys.get.query({ id }));
  const summary = new Map(overview.data?.map((s) => [s.journeyId, s]));
  if (open)
    return (
      <ServerEditor
        key={`${open.id}:${open.draftRevision}`}
        journey={open}
        onReopen={() => openJourney(open.id)}
        onBack={() => {
          setOpen(null);
          reload();
        }}
      />
    );
  const stat = (row: JourneyRow) => summary.get(row.id);
  const columns: TableColumnsType<JourneyRow> = [
    {
      key: 'name',
      title: t('journeys:journeyDetailsDialog.name'),
      sorter: byText((j) => j.name, locale),
      render: (_, j) => (
        <>
          <span data-testid="journey-name">{j.name}</span>
          {j.folder && <span className="pill folder">{j.folder}</span>}
          {j.description && <div className="muted journey-description">{j.description}</div>}
        </>
      ),
    },
    {
      key: 'status',
      title: t('journeys:journeyFilters.status'),
      render: (_, j) => (
        <>
          <span className={`pill ${j.status}`}>{t(`journeys:status.${j.status}`, { defaultValue: j.status })}</span>
          {j.pausedReason && <PausedNote reason={j.pausedReason} />}
          {j.status === 'paused' && !j.pausedReason && (
            <div className="muted" data-testid="journey-paused-note">
              {lifecycleText('pausedNote', locale, j.name, j.activeRuns)}
            </div>
          )}
          {j.status === 'stopped' && j.stoppedReason && (
            <div className="muted" data-testid="journey-stopped-note">
              {t('journeys:journeyList.stopped')}
              {j.stoppedReason}
            </div>
          )}
        </>
      ),
    },
    {
      key: 'entriesToday',
      title: t('journeys:journeyList.entriesToday'),
      align: 'right',
      sorter: byNumber((j) => stat(j)?.entriesToday ?? 0),
      onCell: () => ({ 'data-col': 'entriesToday' }) as object,
      render: (_, j) => stat(j)?.entriesToday ?? 0,
    },
    {
      key: 'entriesTotal',
      title: t('journeys:journeyList.entriesTotal'),
      align: 'right',
      sorter: byNumber((j) => stat(j)?.entriesTotal ?? 0),
      onCell: () => ({ 'data-col': 'entriesTotal' }) as object,
      render: (_, j) => stat(j)?.entriesTotal ?? 0,
    },
    {
      key: 'conversion',
      title: t('journeys:journeyList.conversion'),
      align: 'right',
      sorter: byNumber((j) => stat(j)?.conversionRate ?? -1),
      onCell: () => ({ 'data-col': 'conversion' }) as object,
      render: (_, j) => {
        const s = stat(j);
        return s && s.entriesTotal > 0 ? percent(s.conversionRate) : '—';
      },
    },
    {
      key: 'updatedAt',
      title: t('journeys:journeyList.lastEdit'),
      sorter: byNumber((j) => new Date(j.updatedAt).getTime()),
      render: (_, j) => formatTime(j.updatedAt, locale),
    },
    {
      key: 'actions',
      onCell: () => ({ style: { whiteSpace: 'nowrap' } }),
      render: (_, j) => <JourneyRowActions row={j} canEdit={canEdit} ask={setConfirming} done={reload} />,
    },
  ];
  return (
    <main className="list-page" data-testid="journey-list">
      <PageNav current="journeys" />
      <header>
        <h1>{t('journeys:journeyList.customerJourneys')}</h1>
        <a href={CHANNEL_REPORT_HREF} data-testid="channel-report-link">
          {t('journeys:journeyList.channelReport')}
        </a>
        <Button
          type="primary"
          data-testid="new-journey"
          onClick={async () => {
            const created = await api.journeys.create.mutate({ name: t('journeys:journeyList.untitledJourney') });
            await openJourney(created.id);
          }}
        >
          + {t('journeys:journeyList.newBlankJourney')}
        </Button>
      </header>
      <JourneyFilters
        key={filter.archived ? 'archived' : 'journeys'}
        filter={filter}
        onChange={(change) => setFilter((f) => ({ ...f, ...change }))}
      />
      {filter.archived && (
        <p className="muted" data-testid="archived-heading">
          {t('journeys:journeyList.archivedJourneysNobodyNewEnters')}
        </p>
      )}
      {list.error && <p className="field-message">{errorText(list.error)}</p>}
      <Table<JourneyRow>
        className="data-table"
        rowKey="id"
        columns={columns}
        dataSource={list.data ?? []}
        loading={list.isPending}
        pagination={pagination(t)}
        locale={{
          emptyText: (
            <span className="muted" data-testid="journey-list-empty">
              {filtered
                ? t('journeys:journeyList.noJourneysMatch')
                : filter.archived
                  ? t('journeys:journeyList.noArchivedJourneys')
                  : t('journeys:journeyList.noJourneysYet')}
            </span>
          ),
        }}
        onRow={(j) => rowAttributes('journey-row', { 'journey-id': j.id }, { onClick: () => void openJourney(j.id) })}
      />
      {!filter.archived && <TemplateGallery onCreated={(created) => void openJourney(created.id)} />}
      {confirming && <ConfirmDialog {...confirming} onClose={() => setConfirming(null)} />}
    </main>
  );
}
