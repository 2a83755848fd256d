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
  const { t } = useLocale();
  const params = new URLSearchParams(location.search);
  const demo = Number(params.get('demo'));
  const [journeys, setJourneys] = useState(() => {
    const stored = loadJourneys();
    if (!demo) return stored;
    const journey: LocalJourney = {
      id: `demo-${demo}`,
      name: t('app:app.performanceDemoDemoNodes', { demo }),
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
          alert(t('app:app.publishedAsANewVersion'));
        }}
        title={
          <>
            <button type="button" className="link" onClick={() => setOpenId(null)} data-testid="back">
              ← {t('app:app.journeys')}
            </button>
            <input
              className="journey-name"
              value={open.name}
              onChange={(e) => update(open.id, (j) => ({ ...j, name: e.target.value }))}
            />
            <span className={`pill ${open.status}`}>
              {open.status === 'live' ? t('app:app.live') : t('app:app.draft')}
            </span>
          </>
        }
      />
    );
  }
  return (
    <main className="list-page" data-testid="journey-list">
      <header>
        <h1>{t('app:app.customerJourneys')}</h1>
        <button
          type="button"
          className="primary"
          data-testid="new-journey"
          onClick={() => {
            const journey: LocalJourney = {
              id: `j${Date.now().toString(36)}`,
              name: t('app:app.untitledJourney'),
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
          + {t('app:app.newBlankJourney')}
        </button>
      </header>
      <table>
        <thead>
          <tr>
            <th>{t('app:app.name')}</th>
            <th>{t('app:app.status')}</th>
            <th>{t('app:app.nodes')}</th>
            <th>{t('app:app.versions')}</th>
            <th>{t('app:app.lastEdit')}</th>
          </tr>
        </thead>
        <tbody>
          {journeys.map((j) => (
            <tr key={j.id} onClick={() => setOpenId(j.id)}>
              <td>{j.name}</td>
              <td>
                <span className={`pill ${j.status}`}>
                  {j.status === 'live' ? t('app:app.live') : t('app:app.draft')}
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
                {t('app:app.noJourneysYetCreateOne')}
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
