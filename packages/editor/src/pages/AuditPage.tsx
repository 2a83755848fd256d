import type { AuditAction } from '@siyu/runtime';
import { useEffect, useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { api } from '../app/server-api.ts';
import { auditActionLabel } from './audit-labels.ts';
import { formatTime } from './format.ts';
import { GridTable } from './GridTable.tsx';
import { PageNav } from './PageNav.tsx';
import { auditDetailLines } from './audit-details.ts';

type AuditPageData = Awaited<ReturnType<typeof api.audit.list.query>>;
const PAGE_SIZE = 50;

/** A datetime-local value ("2026-01-05T10:00") as a Date, or undefined when empty. */
const dateOf = (value: string) => (value ? new Date(value) : undefined);

/**
 * 操作日志 (admins): who published, paused, archived, changed settings, imported, created keys or
 * operators, newest first, filtered by action, actor and time, 50 a page.
 */
export function AuditPage() {
  const { tr, locale } = useLocale();
  const [action, setAction] = useState('');
  const [actor, setActor] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [page, setPage] = useState(1);
  const [actions, setActions] = useState<string[]>([]);
  const [data, setData] = useState<AuditPageData>();
  const [error, setError] = useState('');
  useEffect(() => {
    api.audit.actions.query().then(setActions, () => setActions([]));
  }, []);
  useEffect(() => {
    let live = true;
    api.audit.list
      .query({
        // The select offers only the server's own codes.
        action: (action || undefined) as AuditAction | undefined,
        actor: actor.trim() || undefined,
        from: dateOf(from),
        to: dateOf(to),
        page,
        pageSize: PAGE_SIZE,
      })
      .then(
        (result) => {
          if (!live) return;
          setData(result);
          setError('');
        },
        (e: Error) => live && setError(e.message),
      );
    return () => {
      live = false;
    };
  }, [action, actor, from, to, page]);
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  const filter =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setPage(1);
    };
  return (
    <main className="page" data-testid="audit-page">
      <PageNav current="audit" />
      <header className="page-head">
        <h1>{tr('操作日志', 'Audit log')}</h1>
        <p className="muted">
          {tr(
            '谁在何时发布、暂停、归档旅程，修改设置，导入客户，新建密钥或操作员。不记录密码与密钥。',
            'Who published, paused or archived journeys, changed settings, imported customers, created keys or operators, and when. Passwords and keys are never recorded.',
          )}
        </p>
        <div className="filters">
          <select value={action} onChange={(e) => filter(setAction)(e.target.value)} data-testid="audit-action">
            <option value="">{tr('全部操作', 'All actions')}</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {auditActionLabel(a, locale)}
              </option>
            ))}
          </select>
          <input
            value={actor}
            onChange={(e) => filter(setActor)(e.target.value)}
            placeholder={tr('操作人（用户名或密钥名）', 'Actor (username or key name)')}
            data-testid="audit-actor"
          />
          <label>
            {tr('从', 'From')}{' '}
            <input type="datetime-local" value={from} onChange={(e) => filter(setFrom)(e.target.value)} />
          </label>
          <label>
            {tr('到', 'To')} <input type="datetime-local" value={to} onChange={(e) => filter(setTo)(e.target.value)} />
          </label>
        </div>
      </header>
      <GridTable
        error={error}
        headings={[
          tr('时间', 'Time'),
          tr('操作人', 'Actor'),
          tr('操作', 'Action'),
          tr('对象', 'Target'),
          tr('详情', 'Details'),
        ]}
      >
        {data?.entries.map((e) => (
          <tr key={e.id} data-testid="audit-row" data-action={e.action}>
            <td className="muted">{formatTime(e.at, locale)}</td>
            <td>
              {e.actorName}
              {e.actorKind === 'apiKey' && <span className="muted"> ({tr('API 密钥', 'API key')})</span>}
            </td>
            <td>{auditActionLabel(e.action, locale)}</td>
            {/* The action already says what kind of object; the object by its name when the entry has one (its id on hover). */}
            <td data-testid="audit-target" title={e.targetId ?? undefined}>
              {typeof e.summary.name === 'string' ? e.summary.name : (e.targetName ?? e.targetId ?? '—')}
            </td>
            <td data-testid="audit-details">
              <AuditDetails summary={e.summary} />
            </td>
          </tr>
        ))}
      </GridTable>
      {data && data.entries.length === 0 && <p className="muted empty">{tr('没有记录。', 'No entries.')}</p>}
      {data && (
        <p className="muted">
          <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            {tr('上一页', 'Previous')}
          </button>{' '}
          {tr(`第 ${page} / ${pages} 页，共 ${data.total} 条`, `Page ${page} of ${pages}, ${data.total} entries`)}{' '}
          <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            {tr('下一页', 'Next')}
          </button>
        </p>
      )}
    </main>
  );
}

/** An entry's details, a labelled line each. */
function AuditDetails({ summary }: { summary: Record<string, unknown> }) {
  const { locale } = useLocale();
  const lines = auditDetailLines(summary, locale);
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
