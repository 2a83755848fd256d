import type { JourneyGraph } from '@siyu/shared';
import { useCallback, useEffect, useState } from 'react';
import { Editor } from './app/Editor.tsx';
import { useLocale } from './app/i18n.ts';
import { largeJourney } from './app/large-journey.ts';
import { emptyGraph, type LocalJourney, loadJourneys, saveJourneys } from './app/local-journeys.ts';
import { registry } from './app/registry.ts';
import { ServerApp } from './app/ServerApp.tsx';
import { probeServer } from './app/server-api.ts';

/** Journey list and editor over localStorage (no server). `?demo=300` opens a generated 300-node journey (performance checks). */
export function LocalApp() {
  const { tr } = useLocale();
  const params = new URLSearchParams(location.search);
  const demo = Number(params.get('demo'));
  const [journeys, setJourneys] = useState(() => {
    const stored = loadJourneys();
    if (!demo) return stored;
    const journey: LocalJourney = {
      id: `demo-${demo}`,
      name: tr(`性能演示（${demo} 个节点）`, `Performance demo (${demo} nodes)`),
      status: 'draft',
      updatedAt: new Date().toISOString(),
      draft: largeJourney(registry, demo),
      versions: [],
    };
    return [...stored.filter((j) => j.id !== journey.id), journey];
  });
  const [openId, setOpenId] = useState<string | null>(() => (demo ? `demo-${demo}` : params.get('journey')));
  const update = useCallback((id: string, edit: (j: LocalJourney) => LocalJourney) => {
    setJourneys((all) => {
      const next = all.map((j) => (j.id === id ? edit(j) : j));
      saveJourneys(next);
      return next;
    });
  }, []);
  const open = journeys.find((j) => j.id === openId);
  const onChange = useCallback(
    (graph: JourneyGraph) => {
      if (openId) update(openId, (j) => ({ ...j, draft: graph, updatedAt: new Date().toISOString() }));
    },
    [openId, update],
  );

  if (open) {
    return (
      <Editor
        key={open.id}
        graph={open.draft}
        onChange={onChange}
        onPublish={(graph) => {
          update(open.id, (j) => ({
            ...j,
            status: 'live',
            versions: [...j.versions, { version: j.versions.length + 1, publishedAt: new Date().toISOString(), graph }],
          }));
          alert(tr('已发布为新版本', 'Published as a new version'));
        }}
        title={
          <>
            <button type="button" className="link" onClick={() => setOpenId(null)} data-testid="back">
              ← {tr('旅程', 'Journeys')}
            </button>
            <input
              className="journey-name"
              value={open.name}
              onChange={(e) => update(open.id, (j) => ({ ...j, name: e.target.value }))}
            />
            <span className={`pill ${open.status}`}>
              {open.status === 'live' ? tr('已上线', 'Live') : tr('草稿', 'Draft')}
            </span>
          </>
        }
      />
    );
  }
  return (
    <main className="list-page" data-testid="journey-list">
      <header>
        <h1>{tr('私域旅程', 'Customer journeys')}</h1>
        <button
          type="button"
          className="primary"
          data-testid="new-journey"
          onClick={() => {
            const journey: LocalJourney = {
              id: `j${Date.now().toString(36)}`,
              name: tr('未命名旅程', 'Untitled journey'),
              status: 'draft',
              updatedAt: new Date().toISOString(),
              draft: emptyGraph(),
              versions: [],
            };
            const next = [...journeys, journey];
            saveJourneys(next);
            setJourneys(next);
            setOpenId(journey.id);
          }}
        >
          + {tr('新建空白旅程', 'New blank journey')}
        </button>
      </header>
      <table>
        <thead>
          <tr>
            <th>{tr('名称', 'Name')}</th>
            <th>{tr('状态', 'Status')}</th>
            <th>{tr('节点数', 'Nodes')}</th>
            <th>{tr('版本', 'Versions')}</th>
            <th>{tr('最后编辑', 'Last edit')}</th>
          </tr>
        </thead>
        <tbody>
          {journeys.map((j) => (
            <tr key={j.id} onClick={() => setOpenId(j.id)}>
              <td>{j.name}</td>
              <td>
                <span className={`pill ${j.status}`}>
                  {j.status === 'live' ? tr('已上线', 'Live') : tr('草稿', 'Draft')}
                </span>
              </td>
              <td>{j.draft.nodes.length}</td>
              <td>{j.versions.length}</td>
              <td>{new Date(j.updatedAt).toLocaleString()}</td>
            </tr>
          ))}
          {journeys.length === 0 && (
            <tr>
              <td colSpan={5} className="muted">
                {tr('还没有旅程，新建一个吧', 'No journeys yet: create one')}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </main>
  );
}

/** Uses the server when one answers at /trpc; otherwise the browser-only journey store. */
export function App() {
  const [server, setServer] = useState<{ signedIn: boolean } | undefined | 'probing'>('probing');
  useEffect(() => {
    void probeServer().then(setServer);
  }, []);
  if (server === 'probing') return null;
  return server ? <ServerApp signedIn={server.signedIn} /> : <LocalApp />;
}
