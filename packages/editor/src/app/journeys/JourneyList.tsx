import { useCallback, useEffect, useState } from 'react';
import { formatTime, percent } from '../../pages/format.ts';
import { PageNav } from '../../pages/PageNav.tsx';
import { CHANNEL_REPORT_HREF, journeyReportHref } from '../../reports/route.ts';
import { useLocale } from '../i18n.ts';
import { PausedNote } from '../PausedReason.tsx';
import { api } from '../server-api.ts';
import { TemplateGallery } from '../TemplateGallery.tsx';
import { usePolling } from '../use-polling.ts';
import { type JourneyRow, type OpenJourney, STATUS } from './journey-types.ts';
import { ServerEditor } from './ServerEditor.tsx';

/**
 * The journey list (entries and conversion refreshed every 10 s, duplicate, reports, archive, new
 * from blank or a template); opening a journey swaps the list for its editor.
 */
export function JourneyList() {
  const { tr, locale } = useLocale();
  const [rows, setRows] = useState<JourneyRow[]>([]);
  const [open, setOpen] = useState<OpenJourney | null>(null);
  const [error, setError] = useState('');
  const reload = useCallback(() => {
    api.journeys.list.query({}).then(setRows, (e: Error) => setError(e.message));
  }, []);
  useEffect(reload, [reload]);
  // Entries and conversion refresh while the list is open (customers keep arriving).
  const { data: summaries } = usePolling(() => api.overview.journeys.query({}), 10_000, [], !open);
  const summary = new Map(summaries?.map((s) => [s.journeyId, s]));
  const i = locale === 'en' ? 1 : 0;
  if (open)
    return (
      <ServerEditor
        journey={open}
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
            setOpen(await api.journeys.get.query({ id: created.id }));
          }}
        >
          + {tr('新建空白旅程', 'New blank journey')}
        </button>
      </header>
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
              <tr
                key={j.id}
                data-testid="journey-row"
                data-journey-id={j.id}
                onClick={async () => setOpen(await api.journeys.get.query({ id: j.id }))}
              >
                <td>{j.name}</td>
                <td>
                  <span className={`pill ${j.status}`}>{STATUS[j.status]?.[i] ?? j.status}</span>
                  {j.pausedReason && <PausedNote reason={j.pausedReason} />}
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
                  <button
                    type="button"
                    className="link"
                    onClick={async (e) => {
                      e.stopPropagation();
                      await api.journeys.duplicate.mutate({ id: j.id });
                      reload();
                    }}
                  >
                    {tr('复制', 'Duplicate')}
                  </button>
                  <a
                    className="link"
                    href={journeyReportHref(j.id)}
                    data-testid="journey-report-link"
                    onClick={(e) => e.stopPropagation()}
                  >
                    {tr('报表', 'Reports')}
                  </a>
                  <button
                    type="button"
                    className="link danger"
                    data-testid="journey-archive"
                    onClick={async (e) => {
                      e.stopPropagation();
                      const sure = confirm(
                        tr(
                          `归档旅程「${j.name}」？归档后不再有客户进入，旅程从列表中移除，且不能恢复。`,
                          `Archive journey "${j.name}"? No customer enters it any more, it leaves the list, and this cannot be undone.`,
                        ),
                      );
                      if (!sure) return;
                      await api.journeys.archive.mutate({ id: j.id });
                      reload();
                    }}
                  >
                    {tr('归档', 'Archive')}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <TemplateGallery onCreated={async (created) => setOpen(await api.journeys.get.query({ id: created.id }))} />
    </main>
  );
}
