import type { JourneyGraph } from '@siyu/shared';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ChannelDetail } from '../channels/ChannelDetail.tsx';
import { ChannelsPage } from '../channels/ChannelsPage.tsx';
import { QrSheet } from '../channels/QrSheet.tsx';
import { type CanvasOverlay, edgeShares } from '../model/overlay.ts';
import { AuditPage } from '../pages/AuditPage.tsx';
import { CallbacksPage } from '../pages/CallbacksPage.tsx';
import { CredentialsPage } from '../pages/CredentialsPage.tsx';
import { CustomerProfile } from '../pages/CustomerProfile.tsx';
import { CustomersPage } from '../pages/CustomersPage.tsx';
import { formatTime, percent } from '../pages/format.ts';
import { NodeCustomers } from '../pages/NodeCustomers.tsx';
import { PageNav } from '../pages/PageNav.tsx';
import { SandboxInbox } from '../pages/SandboxInbox.tsx';
import { PublishDialog } from '../publish/PublishDialog.tsx';
import { ReportsPage } from '../reports/ReportsPage.tsx';
import { CHANNEL_REPORT_HREF, journeyReportHref, useReportRoute } from '../reports/route.ts';
import { SimulationPanel } from '../simulation/SimulationPanel.tsx';
import { VersionHistory } from '../versions/VersionHistory.tsx';
import { Editor } from './Editor.tsx';
import type { NodeStats } from './editor-context.ts';
import { useLocale } from './i18n.ts';
import { loginErrorText } from './login-error.ts';
import { nodeTitle } from './node-title.ts';
import { PausedBanner, PausedNote } from './PausedReason.tsx';
import { registry } from './registry.ts';
import { type PageRoute, usePageRoute } from './routes.ts';
import { api, saveDraft } from './server-api.ts';
import { TemplateGallery } from './TemplateGallery.tsx';
import { usePolling } from './use-polling.ts';

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
  const page = usePageRoute();
  if (!authed) return <Login onDone={() => setAuthed(true)} />;
  if (report) return <ReportsPage route={report} />;
  return page ? <Page route={page} /> : <Journeys />;
}

function Page({ route }: { route: PageRoute }) {
  if (route.page === 'sandbox') return <SandboxInbox customerId={route.customerId} />;
  if (route.page === 'customer') return <CustomerProfile key={route.customerId} customerId={route.customerId} />;
  if (route.page === 'channels') return <ChannelsPage />;
  if (route.page === 'channel') return <ChannelDetail key={route.channelId} channelId={route.channelId} />;
  if (route.page === 'channelQr') return <QrSheet key={route.channelId} channelId={route.channelId} />;
  if (route.page === 'audit') return <AuditPage />;
  if (route.page === 'credentials') return <CredentialsPage />;
  if (route.page === 'callbacks') return <CallbacksPage />;
  return <CustomersPage />;
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
            .catch((err: unknown) => setError(loginErrorText(err, tr)));
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
        {error && (
          <p className="field-message" data-testid="login-error">
            {error}
          </p>
        )}
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

/**
 * The editor on a server journey: autosaves the draft (optimistic concurrency on draftRevision; a
 * conflict stops saving), publishes through the in-flight dialog, and adds the version history,
 * the simulation panel, live counts with edge shares and a node's customers.
 */
function ServerEditor({ journey, onBack }: { journey: OpenJourney; onBack: () => void }) {
  const { tr, loc, locale } = useLocale();
  const revision = useRef(journey.draftRevision);
  // The graph as last edited, so a side panel names a node by its current title.
  const latestGraph = useRef(journey.draft);
  const [saveState, setSaveState] = useState<'saved' | 'saving' | 'conflict' | 'error'>('saved');
  const queue = useRef<Promise<void>>(Promise.resolve());
  const conflicted = useRef(false);
  const lastSaved = useRef(JSON.stringify(journey.draft));
  const [status, setStatus] = useState({ status: journey.status, liveVersionId: journey.liveVersionId });
  const [paused, setPaused] = useState(journey.pausedReason);
  const [publishing, setPublishing] = useState<JourneyGraph | null>(null);
  const [panel, setPanel] = useState<{ kind: 'simulation' } | { kind: 'customers'; nodeId: string } | null>(null);
  const [showVersions, setShowVersions] = useState(false);
  const [simPath, setSimPath] = useState<CanvasOverlay>();
  const [notice, setNotice] = useState('');
  // What the server finds in the saved draft (references to missing channels, stocks…): refreshed
  // by every save, which the editor already debounces.
  const [serverProblems, setServerProblems] = useState(journey.problems);
  const onChange = useCallback(
    (graph: JourneyGraph) => {
      latestGraph.current = graph;
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
          revision.current = result.revision;
          setServerProblems(result.problems);
          lastSaved.current = text;
          setSaveState('saved');
        } catch {
          setSaveState('error');
        }
      });
    },
    [journey.id],
  );
  // The editor saves 250 ms after the last edit: wait for that, then for the save itself.
  const flush = useCallback(async () => {
    await new Promise((r) => setTimeout(r, 300));
    await queue.current;
  }, []);
  const live = useLiveStats(journey.id, status.liveVersionId);
  const shares = useMemo(
    () =>
      live?.edges &&
      edgeShares(live.edges, (share, count) =>
        locale === 'en' ? `${percent(share)} · ${count}` : `${percent(share)} · ${count} 人`,
      ),
    [live?.edges, locale],
  );
  // The simulated path replaces the live shares while the simulation panel is open.
  const overlay = useMemo<CanvasOverlay | undefined>(
    () => simPath ?? (shares ? { nodes: new Map(), edges: shares } : undefined),
    [simPath, shares],
  );
  const onNodeCustomers = useCallback((nodeId: string) => setPanel({ kind: 'customers', nodeId }), []);
  const label = {
    saved: tr('已保存', 'Saved'),
    saving: tr('保存中…', 'Saving…'),
    conflict: tr('草稿已在别处修改，请刷新', 'Draft changed elsewhere: reload'),
    error: tr('保存失败', 'Save failed'),
  }[saveState];
  const i = locale === 'en' ? 1 : 0;
  return (
    <>
      <Editor
        stats={live?.nodes}
        overlay={overlay}
        onNodeCustomers={status.liveVersionId ? onNodeCustomers : undefined}
        graph={journey.draft}
        serverProblems={serverProblems}
        onChange={onChange}
        onPublish={(graph) => setPublishing(graph)}
        banner={
          paused && (
            <PausedBanner
              reason={paused}
              onResume={
                status.status === 'paused'
                  ? async () => {
                      await api.journeys.resume.mutate({ id: journey.id });
                      setStatus((s) => ({ ...s, status: 'live' }));
                      setPaused(null);
                    }
                  : undefined
              }
            />
          )
        }
        sidePanel={
          panel?.kind === 'simulation' ? (
            <SimulationPanel
              journeyId={journey.id}
              flush={flush}
              onPath={setSimPath}
              onClose={() => setPanel(null)}
              nodeTitle={(nodeId) =>
                nodeTitle(latestGraph.current, nodeId, registry, loc, tr('未知节点', 'Unknown node'))
              }
            />
          ) : panel?.kind === 'customers' ? (
            <NodeCustomers
              journeyId={journey.id}
              nodeId={panel.nodeId}
              nodeTitle={nodeTitle(latestGraph.current, panel.nodeId, registry, loc, tr('未知节点', 'Unknown node'))}
              onClose={() => setPanel(null)}
            />
          ) : undefined
        }
        toolbarExtra={
          <>
            <button
              type="button"
              onClick={() => {
                setSimPath(undefined);
                setPanel(panel?.kind === 'simulation' ? null : { kind: 'simulation' });
              }}
              data-testid="simulate"
            >
              🧪 {tr('模拟', 'Simulate')}
            </button>
            <button type="button" onClick={() => setShowVersions(true)} data-testid="versions">
              🕘 {tr('版本历史', 'Versions')}
            </button>
          </>
        }
        title={
          <>
            <button type="button" className="link" onClick={onBack} data-testid="back">
              ← {tr('旅程', 'Journeys')}
            </button>
            <strong>{journey.name}</strong>
            <span className={`pill ${status.status}`} data-testid="journey-status">
              {STATUS[status.status]?.[i] ?? status.status}
            </span>
            <span className="pill" data-testid="save-state">
              {label}
            </span>
            {status.liveVersionId && (
              <span className="muted" data-testid="draft-note">
                {tr('正在编辑草稿，发布后生效', 'Editing a draft: changes apply when published')}
              </span>
            )}
            {notice && (
              <span className="notice" data-testid="notice">
                {notice}
              </span>
            )}
          </>
        }
      />
      {publishing && (
        <PublishDialog
          journeyId={journey.id}
          draft={publishing}
          publish={async (note) => {
            await flush();
            const result = await api.journeys.publish.mutate({
              id: journey.id,
              expectedRevision: revision.current,
              note,
            });
            setStatus({ status: 'live', liveVersionId: result.versionId });
            // A new version is live: the engine releases the paused journey on its next tick.
            setPaused(null);
            return result;
          }}
          onDone={(message) => {
            setPublishing(null);
            setNotice(message);
          }}
          onCancel={() => setPublishing(null)}
        />
      )}
      {showVersions && <VersionHistory journeyId={journey.id} onClose={() => setShowVersions(false)} />}
    </>
  );
}

type JourneyStats = Awaited<ReturnType<typeof api.stats.journey.query>>;

/** Polls the journey's per-node counts and edge counts every 3 s while it is open and live. */
function useLiveStats(
  journeyId: string,
  liveVersionId: string | null,
): { nodes: ReadonlyMap<string, NodeStats>; edges: JourneyStats['edges'] } | undefined {
  const { data } = usePolling(
    () => api.stats.journey.query({ journeyId }),
    3_000,
    [journeyId, liveVersionId],
    Boolean(liveVersionId),
  );
  return useMemo(
    () => (data ? { nodes: new Map(data.nodes.map((n) => [n.nodeId, n])), edges: data.edges } : undefined),
    [data],
  );
}
