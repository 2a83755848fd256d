import type { JourneyGraph } from '@siyu/shared';
import { Suspense, useCallback, useState } from 'react';
import type { CanvasOverlay } from '../../model/overlay.ts';
import { Editor } from '../Editor.tsx';
import { useLocale } from '../i18n.ts';
import { errorText } from '../kit/query.ts';
import type { Words } from '../kit/words.ts';
import { Loading, lazyNamed } from '../lazy-page.tsx';
import { nodeTitle } from '../node-title.ts';
import { PausedBanner } from '../PausedReason.tsx';
import { registry } from '../registry.ts';
import { api } from '../server-api.ts';
import { useCanEdit } from '../use-role.ts';
import type { OpenJourney } from './journey-types.ts';
import { lifecycleText } from './lifecycle-text.ts';
import { type SaveState, useDraftAutosave } from './use-draft-autosave.ts';
import { useJourneyStatus } from './use-journey-status.ts';
import { useCanvasOverlay, useLiveStats } from './use-live-stats.ts';

// Panels and dialogs load when first opened; the canvas does not wait for them.
// The details form brings antd's Form: it loads when opened.
const JourneyDetailsDialog = lazyNamed(() => import('./JourneyDetailsDialog.tsx'), 'JourneyDetailsDialog');
const NodeCustomers = lazyNamed(() => import('../../pages/NodeCustomers.tsx'), 'NodeCustomers');
const PublishDialog = lazyNamed(() => import('../../publish/PublishDialog.tsx'), 'PublishDialog');
const SimulationPanel = lazyNamed(() => import('../../simulation/SimulationPanel.tsx'), 'SimulationPanel');
const VersionHistory = lazyNamed(() => import('../../versions/VersionHistory.tsx'), 'VersionHistory');

type SidePanel = { kind: 'simulation' } | { kind: 'customers'; nodeId: string };
/** An older version being published again (a roll-back), with its graph for the in-flight mapping. */
type RollingBack = { versionId: string; version: number; graph: JourneyGraph };

/**
 * The editor on a server journey: autosaves the draft (optimistic concurrency on draftRevision; a
 * conflict stops saving), publishes through the in-flight dialog, and adds the version history,
 * the simulation panel, live counts with edge shares and a node's customers; renames and describes
 * the journey, and rolls back to an older version (then `onReopen` loads the new draft).
 */
export function ServerEditor({
  journey,
  onBack,
  onReopen,
}: {
  journey: OpenJourney;
  onBack: () => void;
  onReopen: () => Promise<void>;
}) {
  const { t, loc, locale } = useLocale();
  const canEdit = useCanEdit() === true;
  const draft = useDraftAutosave(journey);
  const { status, paused, resume, publish, rollback } = useJourneyStatus(journey, draft.afterSaves);
  const [details, setDetails] = useState({
    name: journey.name,
    description: journey.description,
    folder: journey.folder,
  });
  const [editingDetails, setEditingDetails] = useState(false);
  const [rollingBack, setRollingBack] = useState<RollingBack | null>(null);
  const [publishing, setPublishing] = useState<JourneyGraph | null>(null);
  const [panel, setPanel] = useState<SidePanel | null>(null);
  const [showVersions, setShowVersions] = useState(false);
  const [simPath, setSimPath] = useState<CanvasOverlay>();
  // Worded at each render (kit/words.ts): it follows a language switch.
  const [notice, setNotice] = useState<Words | null>(null);
  const live = useLiveStats(journey.id, status.liveVersionId);
  // The simulated path replaces the live shares while the simulation panel is open.
  const overlay = useCanvasOverlay(live, simPath);
  const onNodeCustomers = useCallback((nodeId: string) => setPanel({ kind: 'customers', nodeId }), []);
  const titleOf = (nodeId: string) =>
    nodeTitle(draft.latestGraph.current, nodeId, registry, loc, t('journeys:serverEditor.unknownNode'));
  return (
    <>
      <Editor
        stats={live?.nodes}
        overlay={overlay}
        onNodeCustomers={status.liveVersionId ? onNodeCustomers : undefined}
        graph={journey.draft}
        serverProblems={draft.serverProblems}
        onChange={draft.onChange}
        onPublish={(graph) => setPublishing(graph)}
        banner={paused && <PausedBanner reason={paused} onResume={status.status === 'paused' ? resume : undefined} />}
        sidePanel={
          panel && (
            <Suspense fallback={<Loading />}>
              {panel.kind === 'simulation' ? (
                <SimulationPanel
                  journeyId={journey.id}
                  flush={draft.flush}
                  onPath={setSimPath}
                  onClose={() => setPanel(null)}
                  nodeTitle={titleOf}
                />
              ) : (
                <NodeCustomers
                  // Another node starts on its first page, with none of the last node's customers shown.
                  key={panel.nodeId}
                  journeyId={journey.id}
                  nodeId={panel.nodeId}
                  nodeTitle={titleOf(panel.nodeId)}
                  onClose={() => setPanel(null)}
                />
              )}
            </Suspense>
          )
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
              🧪 {t('journeys:serverEditor.simulate')}
            </button>
            <button type="button" onClick={() => setShowVersions(true)} data-testid="versions">
              🕘 {t('journeys:serverEditor.versions')}
            </button>
          </>
        }
        title={
          <ServerEditorTitle
            name={details.name}
            onEditDetails={canEdit ? () => setEditingDetails(true) : undefined}
            status={status.status}
            live={Boolean(status.liveVersionId)}
            saveState={draft.saveState}
            notice={notice ? notice(t) : ''}
            onBack={onBack}
          />
        }
      />
      <Suspense fallback={null}>
        {publishing && (
          <PublishDialog
            journeyId={journey.id}
            draft={publishing}
            publish={publish}
            saveDraft={draft.flush}
            onDone={(message) => {
              setPublishing(null);
              setNotice(() => message);
            }}
            onCancel={() => setPublishing(null)}
          />
        )}
      </Suspense>
      <Suspense fallback={null}>
        {showVersions && (
          <VersionHistory
            journeyId={journey.id}
            liveVersionId={status.liveVersionId}
            onRollback={
              canEdit
                ? async (v) => {
                    const { graph } = await api.journeys.getVersion.query({ versionId: v.id });
                    setShowVersions(false);
                    setRollingBack({ versionId: v.id, version: v.version, graph });
                  }
                : undefined
            }
            onClose={() => setShowVersions(false)}
          />
        )}
        {rollingBack && (
          <PublishDialog
            journeyId={journey.id}
            draft={rollingBack.graph}
            title={lifecycleText('rollbackTitle', locale, String(rollingBack.version))}
            intro={lifecycleText('rollbackBody', locale)}
            publish={(note) => rollback(rollingBack.versionId, note)}
            // The dialog stays (busy) until the reopened editor replaces this one: a click in between
            // (on 版本历史, say) would land on an editor about to be swapped out.
            onDone={() =>
              onReopen()
                .catch((e) => setNotice(() => () => errorText(e)))
                .finally(() => setRollingBack(null))
            }
            onCancel={() => setRollingBack(null)}
          />
        )}
      </Suspense>
      {editingDetails && (
        <Suspense fallback={null}>
          <JourneyDetailsDialog
            details={details}
            save={async (next) => {
              await draft.saveDetails(next);
              setDetails(next);
            }}
            onClose={() => setEditingDetails(false)}
          />
        </Suspense>
      )}
    </>
  );
}

/** The toolbar's title: back to the list, name, status, save state, draft note, last notice. */
function ServerEditorTitle(props: {
  name: string;
  onEditDetails?: () => void;
  status: string;
  live: boolean;
  saveState: SaveState;
  notice: string;
  onBack: () => void;
}) {
  const { t } = useLocale();
  const label = {
    saved: t('journeys:serverEditor.saved'),
    saving: t('journeys:serverEditor.saving'),
    conflict: t('journeys:serverEditor.draftChangedElsewhereReload'),
    error: t('journeys:serverEditor.saveFailed'),
  }[props.saveState];
  return (
    <>
      <button type="button" className="link" onClick={props.onBack} data-testid="back">
        ← {t('journeys:serverEditor.journeys')}
      </button>
      <strong data-testid="journey-title">{props.name}</strong>
      {props.onEditDetails && (
        <button type="button" className="link" onClick={props.onEditDetails} data-testid="journey-details">
          ✎ {t('journeys:serverEditor.nameDescription')}
        </button>
      )}
      <span className={`pill ${props.status}`} data-testid="journey-status">
        {t(`journeys:status.${props.status}`, { defaultValue: props.status })}
      </span>
      <span className="pill" data-testid="save-state">
        {label}
      </span>
      {props.live && (
        <span
          className="muted clamp-2"
          data-testid="draft-note"
          title={t('journeys:serverEditor.editingADraftChangesApply')}
        >
          {t('journeys:serverEditor.editingADraftChangesApply')}
        </span>
      )}
      {props.notice && (
        <span className="notice clamp-2" data-testid="notice" title={props.notice}>
          {props.notice}
        </span>
      )}
    </>
  );
}
