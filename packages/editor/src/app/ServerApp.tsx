import type { JourneyGraph } from '@siyu/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ReportsPage } from '../reports/ReportsPage.tsx';
import { CHANNEL_REPORT_HREF, journeyReportHref, useReportRoute } from '../reports/route.ts';
import { Editor } from './Editor.tsx';
import type { NodeStats } from './editor-context.ts';
import { useLocale } from './i18n.ts';
import { api, saveDraft } from './server-api.ts';

type JourneyRow = Awaited<ReturnType<typeof api.journeys.list.query>>[number];
type OpenJourney = Awaited<ReturnType<typeof api.journeys.get.query>>;

const STATUS: Record<string, [string, string]> = {
  draft: ['草稿', 'Draft'],
  live: ['已上线', 'Live'],
  paused: ['已暂停', 'Paused'],
  archived: ['已归档', 'Archived'],
};

/** The editor against the real server: sign-in, journey list, autosaved drafts, publishing. */
export function ServerApp({ signedIn }: { signedIn: boolean }) {
  const [authed, setAuthed] = useState(signedIn);
  const report = useReportRoute();
  if (!authed) return <Login onDone={() => setAuthed(true)} />;
  return report ? <ReportsPage route={report} /> : <Journeys />;
}

function Login({ onDone }: { onDone: () => void }) {
  const { tr } = useLocale();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  return (
    <main className="list-page" data-testid="login">
      <h1>{tr('登录', 'Sign in')}</h1>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          api.auth.login
            .mutate({ username, password })
            .then(onDone)
            .catch((err: Error) => setError(err.message));
        }}
      >
        <label className="field">
          <span className="field-label">{tr('用户名', 'Username')}</span>
          <input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" />
        </label>
        <label className="field">
          <span className="field-label">{tr('密码', 'Password')}</span>
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
          />
        </label>
        {error && <p className="field-message">{error}</p>}
        <button type="submit" className="primary">
          {tr('登录', 'Sign in')}
        </button>
      </form>
    </main>
  );
}

function Journeys() {
  const { tr, locale } = useLocale();
  const [rows, setRows] = useState<JourneyRow[]>([]);
  const [open, setOpen] = useState<OpenJourney | null>(null);
  const [error, setError] = useState('');
  const reload = useCallback(() => {
    api.journeys.list.query({}).then(setRows, (e: Error) => setError(e.message));
  }, []);
  useEffect(reload, [reload]);
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
            <th>{tr('最后编辑', 'Last edit')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((j) => (
            <tr key={j.id} onClick={async () => setOpen(await api.journeys.get.query({ id: j.id }))}>
              <td>{j.name}</td>
              <td>
                <span className={`pill ${j.status}`}>{STATUS[j.status]?.[i] ?? j.status}</span>
              </td>
              <td>{new Date(j.updatedAt).toLocaleString()}</td>
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
                  onClick={async (e) => {
                    e.stopPropagation();
                    await api.journeys.archive.mutate({ id: j.id });
                    reload();
                  }}
                >
                  {tr('归档', 'Archive')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}

/** Autosaves the draft (optimistic concurrency on draftRevision); a conflict stops saving. */
function ServerEditor({ journey, onBack }: { journey: OpenJourney; onBack: () => void }) {
  const { tr } = useLocale();
  const revision = useRef(journey.draftRevision);
  const [saveState, setSaveState] = useState<'saved' | 'saving' | 'conflict' | 'error'>('saved');
  const queue = useRef<Promise<void>>(Promise.resolve());
  const conflicted = useRef(false);
  const lastSaved = useRef(JSON.stringify(journey.draft));
  const onChange = useCallback(
    (graph: JourneyGraph) => {
      queue.current = queue.current.then(async () => {
        const text = JSON.stringify(graph);
        if (conflicted.current || text === lastSaved.current) return;
        setSaveState('saving');
        try {
          const result = await saveDraft(journey.id, revision.current, graph);
          if (result === 'conflict') {
            conflicted.current = true;
            return setSaveState('conflict');
          }
          revision.current = result;
          lastSaved.current = text;
          setSaveState('saved');
        } catch {
          setSaveState('error');
        }
      });
    },
    [journey.id],
  );
  const stats = useLiveStats(journey.id, journey.liveVersionId);
  const [versions, setVersions] = useState<Awaited<ReturnType<typeof api.journeys.versions.query>> | null>(null);
  const label = {
    saved: tr('已保存', 'Saved'),
    saving: tr('保存中…', 'Saving…'),
    conflict: tr('草稿已在别处修改，请刷新', 'Draft changed elsewhere: reload'),
    error: tr('保存失败', 'Save failed'),
  }[saveState];
  return (
    <Editor
      stats={stats}
      graph={journey.draft}
      onChange={onChange}
      onPublish={async () => {
        await queue.current;
        const result = await api.journeys.publish.mutate({ id: journey.id, expectedRevision: revision.current });
        alert(tr(`已发布第 ${result.version} 版`, `Published version ${result.version}`));
      }}
      title={
        <>
          <button type="button" className="link" onClick={onBack} data-testid="back">
            ← {tr('旅程', 'Journeys')}
          </button>
          <strong>{journey.name}</strong>
          <span className="pill" data-testid="save-state">
            {label}
          </span>
          <span className="versions">
            <button
              type="button"
              className="link"
              onClick={async () => setVersions(versions ? null : await api.journeys.versions.query({ id: journey.id }))}
            >
              {tr('版本历史', 'Versions')}
            </button>
            {versions && (
              <div className="edge-menu" data-testid="versions">
                {versions.length === 0 && <span className="muted">{tr('尚未发布', 'Never published')}</span>}
                {versions.map((v) => (
                  <span key={v.id}>
                    v{v.version} · {new Date(v.publishedAt).toLocaleString()} {v.note ?? ''}
                  </span>
                ))}
              </div>
            )}
          </span>
        </>
      }
    />
  );
}

/** Polls the live version's per-node counts every 5 s while the journey is open. */
function useLiveStats(journeyId: string, liveVersionId: string | null): ReadonlyMap<string, NodeStats> | undefined {
  const [stats, setStats] = useState<ReadonlyMap<string, NodeStats>>();
  useEffect(() => {
    if (!liveVersionId) return;
    let stopped = false;
    const load = async () => {
      try {
        const result = await api.stats.journey.query({ journeyId });
        if (!stopped) setStats(new Map(result.nodes.map((n) => [n.nodeId, n])));
      } catch {
        // Keep the last counts; the next poll retries.
      }
    };
    void load();
    const timer = setInterval(load, 5_000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [journeyId, liveVersionId]);
  return stats;
}
