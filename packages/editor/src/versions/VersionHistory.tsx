import type { JourneyGraph } from '@siyu/shared';
import { Button, Modal, Select } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { distinctNames } from '../app/kit/distinct-names.ts';
import { useErrorText } from '../app/kit/query.ts';
import { listText } from '../app/list-format.ts';
import { registry } from '../app/registry.ts';
import { api } from '../app/server-api.ts';
import { diffOverlay } from '../model/overlay.ts';
import { formatTime } from '../pages/format.ts';
import { DiffCanvas } from './DiffCanvas.tsx';
import { unionGraph } from './diff-graph.ts';
import { VersionList } from './VersionList.tsx';

type Versions = Awaited<ReturnType<typeof api.journeys.versions.query>>;
type Diff = Awaited<ReturnType<typeof api.journeys.diff.query>>;

/**
 * 版本历史: every published version, and a visual diff of any two (or a version and the draft):
 * added nodes green, removed red, changed amber, on a read-only canvas, with the list of changes.
 */
export function VersionHistory({
  journeyId,
  liveVersionId,
  onRollback,
  onClose,
}: {
  journeyId: string;
  liveVersionId?: string | null;
  /** Offered on every version but the live one (operators only). */
  onRollback?: (version: { id: string; version: number }) => void;
  onClose: () => void;
}) {
  const { t, locale, loc } = useLocale();
  const [versions, setVersions] = useState<Versions>();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('draft');
  const [result, setResult] = useState<{ diff: Diff; graph: JourneyGraph }>();
  const [error, setError] = useErrorText();
  useEffect(() => {
    api.journeys.versions.query({ id: journeyId }).then(
      (list) => {
        setVersions(list);
        // Newest first: compare the live version with the draft, or the last two versions.
        if (list[0]) setFrom(list[0].id);
      },
      (e: Error) => setError(e),
    );
  }, [journeyId, setError]);
  useEffect(() => {
    if (!from || from === to) return setResult(undefined);
    let live = true;
    const graphOf = async (ref: string) =>
      ref === 'draft'
        ? (await api.journeys.get.query({ id: journeyId })).draft
        : (await api.journeys.getVersion.query({ versionId: ref })).graph;
    Promise.all([api.journeys.diff.query({ journeyId, from, to }), graphOf(from), graphOf(to)]).then(
      ([diff, a, b]) => live && setResult({ diff, graph: unionGraph(a, b) }),
      (e: Error) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [journeyId, from, to, setError]);
  const overlay = useMemo(() => (result ? diffOverlay(result.diff) : undefined), [result]);
  const label = (ref: string) => {
    if (ref === 'draft') return t('versions:versionHistory.currentDraft');
    const v = versions?.find((x) => x.id === ref);
    return v ? `v${v.version}` : ref;
  };
  const typeLabel = (type: string) => {
    const d = registry.get(type);
    return d ? loc(d.label) : type;
  };
  const options = (versions ?? []).map((v) => ({
    value: v.id,
    label: `v${v.version} · ${formatTime(v.publishedAt, locale)} · ${v.publishedBy}${v.note ? ` · ${v.note}` : ''}`,
  }));
  const d = result?.diff;
  // Nodes by the canvas's words, told apart when two share them (two unnamed SMS nodes: 发送短信 #1, #2);
  // the removed ones are in the older version's graph only, so they are named with the shown ones.
  const canvasName = (n: { label?: string; type: string }) => n.label || typeLabel(n.type);
  const nodeNames = distinctNames(
    [...(result?.graph.nodes ?? []), ...(d?.removedNodes ?? [])],
    (n) => n.id,
    canvasName,
  );
  const nameOf = (n: { id: string; label?: string; type: string }) => nodeNames.get(n.id) ?? canvasName(n);
  return (
    <Modal
      open
      width="94vw"
      centered
      // The diff canvas fills what the list and filters leave of the screen.
      styles={{ body: { height: '74vh', display: 'flex', flexDirection: 'column', overflow: 'auto' } }}
      title={t('versions:versionHistory.versionHistory')}
      onCancel={onClose}
      modalRender={(node) => <div data-testid="versions-panel">{node}</div>}
      footer={
        <Button onClick={onClose} data-testid="versions-close">
          {t('versions:versionHistory.close')}
        </Button>
      }
    >
      {error && <p className="field-message">{error}</p>}
      {versions && versions.length === 0 && <p className="muted">{t('versions:versionHistory.neverPublished')}</p>}
      {versions && versions.length > 0 && (
        <VersionList versions={versions} liveVersionId={liveVersionId} onRollback={onRollback} />
      )}
      {versions && versions.length > 0 && (
        <div className="filters">
          {/* Spans, not labels: a label's click would reach the Select's hidden input and close it again. */}
          <span>
            {t('versions:versionHistory.compare')}{' '}
            <Select className="diff-pick" value={from} onChange={setFrom} options={options} data-testid="diff-from" />
          </span>
          <span>
            {t('versions:versionHistory.with')}{' '}
            <Select
              className="diff-pick"
              value={to}
              onChange={setTo}
              options={[{ value: 'draft', label: t('versions:versionHistory.currentDraft') }, ...options]}
              data-testid="diff-to"
            />
          </span>
          <span className="legend">
            <span className="diff-added">{t('versions:versionHistory.added')}</span>
            <span className="diff-removed">{t('versions:versionHistory.removed')}</span>
            <span className="diff-changed">{t('versions:versionHistory.changed')}</span>
            <span className="diff-moved">{t('versions:versionHistory.moved')}</span>
          </span>
        </div>
      )}
      {from === to && from && <p className="muted">{t('versions:versionHistory.pickTwoDifferentVersions')}</p>}
      {d && result && (
        <div className="diff-body">
          <ul className="diff-summary" data-testid="diff-summary">
            <li>
              {label(from)} → {label(to)}
            </li>
            {d.addedNodes.map((n) => (
              <li key={`a${n.id}`} className="diff-added" data-change="added">
                + {nameOf(n)}
              </li>
            ))}
            {d.removedNodes.map((n) => (
              <li key={`r${n.id}`} className="diff-removed" data-change="removed">
                − {nameOf(n)}
              </li>
            ))}
            {d.changedNodes.map((n) => (
              <li key={`c${n.id}`} className="diff-changed" data-change="changed">
                ~ {nameOf({ ...n.after, id: n.id })}{' '}
                <span className="muted">
                  (
                  {listText(
                    n.fields.map((f) => t(`versions:versionHistory.changedParts.${f}`, { defaultValue: f })),
                    locale,
                  )}
                  )
                </span>
              </li>
            ))}
            <li className="muted">
              {t('versions:versionHistory.edgesLengthLength2Length3Moved', {
                length: d.addedEdges.length,
                length2: d.removedEdges.length,
                length3: d.movedNodes.length,
                value: d.settingsChanged ? t('versions:versionHistory.settingsChanged') : '',
              })}
            </li>
          </ul>
          {overlay && <DiffCanvas graph={result.graph} overlay={overlay} />}
        </div>
      )}
    </Modal>
  );
}
