import type { AuditAction } from '@siyu/runtime';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { DatePicker, Input, Select, Table, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { errorText, trpc } from '../app/kit/query.ts';
import { pagination, rowAttributes } from '../app/kit/table.ts';
import type { api } from '../app/server-api.ts';
import { useStaffNames } from '../app/staff-names.ts';
import { TimeZoneNote } from '../app/TimeZoneNote.tsx';
import { pickedInstant, WORKSPACE_TIME_ZONE } from '../app/time-zone.ts';
import { auditDetailLines } from './audit-details.ts';
import { auditActionLabel } from './audit-labels.ts';
import { formatTime } from './format.ts';
import { PageNav } from './PageNav.tsx';

/** Times on this page (the picker, the rows) are in the workspace's zone. */
const zone = WORKSPACE_TIME_ZONE;

type AuditEntry = Awaited<ReturnType<typeof api.audit.list.query>>['entries'][number];

/**
 * 操作日志 (admins): who published, paused, archived, changed settings, imported, created keys or
 * operators, newest first, filtered by action, actor and time; the server pages (50 a page).
 */
export function AuditPage() {
  const { t, locale } = useLocale();
  const [action, setAction] = useState('');
  const [actor, setActor] = useState('');
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [page, setPage] = useState({ current: 1, pageSize: 50 });
  const actions = useQuery(trpc.audit.actions.queryOptions()).data ?? [];
  const { data, error, isPending } = useQuery(
    trpc.audit.list.queryOptions(
      {
        // The select offers only the server's own codes.
        action: (action || undefined) as AuditAction | undefined,
        actor: actor.trim() || undefined,
        // The picked times are the workspace's wall-clock times, wherever the browser is.
        from: range?.[0] ? new Date(pickedInstant(range[0], zone)) : undefined,
        to: range?.[1] ? new Date(pickedInstant(range[1], zone)) : undefined,
        page: page.current,
        pageSize: page.pageSize,
      },
      { placeholderData: keepPreviousData },
    ),
  );
  // A narrower filter starts on its first page.
  const filter =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setPage((p) => ({ ...p, current: 1 }));
    };
  const columns: TableColumnsType<AuditEntry> = [
    {
      key: 'at',
      title: t('pages:auditPage.time'),
      className: 'muted',
      render: (_, e) => formatTime(e.at, locale, zone),
    },
    {
      key: 'actor',
      title: t('pages:auditPage.actor'),
      render: (_, e) => (
        <>
          {e.actorName}
          {e.actorKind === 'apiKey' && <span className="muted"> ({t('pages:auditPage.apiKey')})</span>}
        </>
      ),
    },
    { key: 'action', title: t('pages:auditPage.action'), render: (_, e) => auditActionLabel(e.action, locale) },
    {
      key: 'target',
      title: t('pages:auditPage.target'),
      // The action already says what kind of object; the object by its name when the entry has one (its id on hover).
      onCell: (e) => ({ 'data-testid': 'audit-target', title: e.targetId ?? undefined }) as object,
      render: (_, e) => (typeof e.summary.name === 'string' ? e.summary.name : (e.targetName ?? e.targetId ?? '—')),
    },
    {
      key: 'details',
      title: t('pages:auditPage.details'),
      onCell: () => ({ 'data-testid': 'audit-details' }) as object,
      render: (_, e) => <AuditDetails summary={e.summary} />,
    },
  ];
  return (
    <main className="page" data-testid="audit-page">
      <PageNav current="audit" />
      <header className="page-head">
        <h1>{t('pages:auditPage.auditLog')}</h1>
        <p className="muted">{t('pages:auditPage.whoPublishedPausedOrArchived')}</p>
        <div className="filters">
          <Select
            value={action}
            onChange={filter(setAction)}
            data-testid="audit-action"
            aria-label={t('pages:auditPage.action')}
            style={{ minWidth: 180 }}
            options={[
              { value: '', label: t('pages:auditPage.allActions') },
              ...actions.map((a) => ({ value: a, label: auditActionLabel(a, locale) })),
            ]}
          />
          <Input
            allowClear
            value={actor}
            onChange={(e) => filter(setActor)(e.target.value)}
            placeholder={t('pages:auditPage.actorUsernameOrKeyName')}
            style={{ width: 220 }}
            data-testid="audit-actor"
          />
          <DatePicker.RangePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            value={range}
            onChange={filter(setRange)}
            allowEmpty={[true, true]}
            placeholder={[t('pages:auditPage.from'), t('pages:auditPage.to')]}
            data-testid="audit-range"
          />
          <TimeZoneNote zone={zone} locale={locale} />
        </div>
      </header>
      {error && <p className="field-message">{errorText(error)}</p>}
      <Table<AuditEntry>
        className="data-table"
        rowKey="id"
        columns={columns}
        dataSource={data?.entries ?? []}
        loading={isPending}
        locale={{ emptyText: <span className="muted">{t('pages:auditPage.noEntries')}</span> }}
        pagination={{
          ...pagination(t, 50),
          current: page.current,
          pageSize: page.pageSize,
          total: data?.total ?? 0,
          onChange: (current, pageSize) => setPage({ current, pageSize }),
        }}
        onRow={(e) => rowAttributes('audit-row', { action: e.action })}
      />
    </main>
  );
}

/** An entry's details, a labelled line each. */
function AuditDetails({ summary }: { summary: Record<string, unknown> }) {
  const { locale } = useLocale();
  const staffName = useStaffNames();
  const lines = auditDetailLines(summary, locale, (userId) => staffName(userId).name);
  if (lines.length === 0) return <>—</>;
  return (
    <dl className="detail-lines">
      {lines.map((line) => (
        <div key={line.label}>
          <dt>{line.label}</dt>
          <dd>{line.value}</dd>
        </div>
      ))}
    </dl>
  );
}
