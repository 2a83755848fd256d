import { useCallback, useEffect, useState } from 'react';
import { formatTime, percent } from '../../pages/format.ts';
import { PageNav } from '../../pages/PageNav.tsx';
import { CHANNEL_REPORT_HREF } from '../../reports/route.ts';
import { useLocale } from '../i18n.ts';
import { PausedNote } from '../PausedReason.tsx';
import { api } from '../server-api.ts';
import { TemplateGallery } from '../TemplateGallery.tsx';
import { usePolling } from '../use-polling.ts';
import { useCanEdit } from '../use-role.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { type JourneyFilter, JourneyFilters, listQuery, NO_FILTER } from './JourneyFilters.tsx';
import { type ConfirmRequest, JourneyRowActions } from './JourneyRowActions.tsx';
import { type JourneyRow, type OpenJourney, STATUS } from './journey-types.ts';
import { lifecycleText } from './lifecycle-text.ts';
import { ServerEditor } from './ServerEditor.tsx';

/**
 * The journey list (entries and conversion refreshed every 10 s; search, status and folder
 * filters; the archive with restore; duplicate, reports, pause/resume, stop, archive behind
 * confirms; new from blank or a template); opening a journey swaps the list for its editor.
 */
export function JourneyList() {
  const { tr, locale } = useLocale();
  const canEdit = useCanEdit() === true;
  const [rows, setRows] = useState<JourneyRow[]>([]);
  const [filter, setFilter] = useState<JourneyFilter>(NO_FILTER);
  const [confirming, setConfirming] = useState<ConfirmRequest | null>(null);
  const [open, setOpen] = useState<OpenJourney | null>(null);
  const [error, setError] = useState('');
  const reload = useCallback(() => {
    api.journeys.list.query(listQuery(filter)).then(setRows, (e: Error) => setError(e.message));
  }, [filter]);
  useEffect(reload, [reload]);
  const openJourney = async (id: string) => setOpen(await api.journeys.get.query({ id }));
  // Entries and conversion refresh while the list is open (customers keep arriving).
  const { data: summaries } = usePolling(() => api.overview.journeys.query({}), 10_000, [], !open);
  const summary = new Map(summaries?.map((s) => [s.journeyId, s]));
  const i = locale === 'en' ? 1 : 0;
  if (open)
    return (
      <ServerEditor
        key={`${open.id}:${open.draftRevision}`}
        journey={open}
        onReopen={() => void openJourney(open.id)}
        onBack={() => {
          setOpen(null);
          reload();
        }}
      />
    );
  return (
    <main className="list-page" data-testid="journey-list">
      <PageNav current="journeys" />
      <header>
        <h1>{tr('私域旅程', 'Customer journeys')}</h1>
        <a href={CHANNEL_REPORT_HREF} data-testid="channel-report-link">
          {tr('渠道报表', 'Channel report')}
        </a>
        <button
          type="button"
          className="primary"
          data-testid="new-journey"
          onClick={async () => {
            const created = await api.journeys.create.mutate({ name: tr('未命名旅程', 'Untitled journey') });
            await openJourney(created.id);
          }}
        >
          + {tr('新建空白旅程', 'New blank journey')}
        </button>
      </header>
      <JourneyFilters
        key={filter.archived ? 'archived' : 'journeys'}
        filter={filter}
        onChange={(change) => setFilter((f) => ({ ...f, ...change }))}
      />
      {filter.archived && (
        <p className="muted" data-testid="archived-heading">
          {tr(
            '已归档的旅程：不再有新客户进入，可恢复到列表。',
            'Archived journeys: nobody new enters; restore one to bring it back.',
          )}
        </p>
      )}
      {error && <p className="field-message">{error}</p>}
      <table>
        <thead>
          <tr>
            <th>{tr('名称', 'Name')}</th>
            <th>{tr('状态', 'Status')}</th>
            <th className="num">{tr('今日进入', 'Entries today')}</th>
            <th className="num">{tr('累计进入', 'Entries total')}</th>
            <th className="num">{tr('转化率', 'Conversion')}</th>
            <th>{tr('最后编辑', 'Last edit')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((j) => {
            const s = summary.get(j.id);
            return (
              <tr key={j.id} data-testid="journey-row" data-journey-id={j.id} onClick={() => void openJourney(j.id)}>
                <td>
                  <span data-testid="journey-name">{j.name}</span>
                  {j.folder && <span className="pill folder">{j.folder}</span>}
                  {j.description && <div className="muted journey-description">{j.description}</div>}
                </td>
                <td>
                  <span className={`pill ${j.status}`}>{STATUS[j.status]?.[i] ?? j.status}</span>
                  {j.pausedReason && <PausedNote reason={j.pausedReason} />}
                  {j.status === 'paused' && !j.pausedReason && (
                    <div className="muted" data-testid="journey-paused-note">
                      {lifecycleText('pausedNote', locale, j.name, j.activeRuns)}
                    </div>
                  )}
                  {j.status === 'stopped' && j.stoppedReason && (
                    <div className="muted" data-testid="journey-stopped-note">
                      {tr('停止原因：', 'Stopped: ')}
                      {j.stoppedReason}
                    </div>
                  )}
                </td>
                <td className="num" data-col="entriesToday">
                  {s?.entriesToday ?? 0}
                </td>
                <td className="num" data-col="entriesTotal">
                  {s?.entriesTotal ?? 0}
                </td>
                <td className="num" data-col="conversion">
                  {s && s.entriesTotal > 0 ? percent(s.conversionRate) : '—'}
                </td>
                <td>{formatTime(j.updatedAt, locale)}</td>
                <td>
                  <JourneyRowActions row={j} canEdit={canEdit} ask={setConfirming} done={reload} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {rows.length === 0 && (
        <p className="muted" data-testid="journey-list-empty">
          {tr('没有符合条件的旅程', 'No journeys match')}
        </p>
      )}
      {!filter.archived && <TemplateGallery onCreated={(created) => void openJourney(created.id)} />}
      {confirming && <ConfirmDialog {...confirming} onClose={() => setConfirming(null)} />}
    </main>
  );
}
