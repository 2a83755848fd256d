import type { JourneyGraph } from '@siyu/shared';
import { Button, Modal } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useLocale } from '../app/i18n.ts';
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
  const { tr, locale, loc } = useLocale();
  const [versions, setVersions] = useState<Versions>();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('draft');
  const [result, setResult] = useState<{ diff: Diff; graph: JourneyGraph }>();
  const [error, setError] = useState('');
  useEffect(() => {
    api.journeys.versions.query({ id: journeyId }).then(
      (list) => {
        setVersions(list);
        // Newest first: compare the live version with the draft, or the last two versions.
        if (list[0]) setFrom(list[0].id);
      },
      (e: Error) => setError(e.message),
    );
  }, [journeyId]);
  useEffect(() => {
    if (!from || from === to) return setResult(undefined);
    let live = true;
    const graphOf = async (ref: string) =>
      ref === 'draft'
        ? (await api.journeys.get.query({ id: journeyId })).draft
        : (await api.journeys.getVersion.query({ versionId: ref })).graph;
    Promise.all([api.journeys.diff.query({ journeyId, from, to }), graphOf(from), graphOf(to)]).then(
      ([diff, a, b]) => live && setResult({ diff, graph: unionGraph(a, b) }),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [journeyId, from, to]);
  const overlay = useMemo(() => (result ? diffOverlay(result.diff) : undefined), [result]);
  const label = (ref: string) => {
    if (ref === 'draft') return tr('当前草稿', 'Current draft');
    const v = versions?.find((x) => x.id === ref);
    return v ? `v${v.version}` : ref;
  };
  const typeLabel = (type: string) => {
    const d = registry.get(type);
    return d ? loc(d.label) : type;
  };
  const options = [
    ...(versions ?? []).map((v) => (
      <option key={v.id} value={v.id}>
        v{v.version} · {formatTime(v.publishedAt, locale)} · {v.publishedBy}
        {v.note ? ` · ${v.note}` : ''}
      </option>
    )),
  ];
  const d = result?.diff;
  return (
    <Modal
      open
      width="94vw"
      centered
      // The diff canvas fills what the list and filters leave of the screen.
      styles={{ body: { height: '74vh', display: 'flex', flexDirection: 'column', overflow: 'auto' } }}
      title={tr('版本历史', 'Version history')}
      onCancel={onClose}
      modalRender={(node) => <div data-testid="versions-panel">{node}</div>}
      footer={
        <Button onClick={onClose} data-testid="versions-close">
          {tr('关闭', 'Close')}
        </Button>
      }
    >
      {error && <p className="field-message">{error}</p>}
      {versions && versions.length === 0 && <p className="muted">{tr('尚未发布过版本', 'Never published')}</p>}
      {versions && versions.length > 0 && (
        <VersionList versions={versions} liveVersionId={liveVersionId} onRollback={onRollback} />
      )}
      {versions && versions.length > 0 && (
        <div className="filters">
          <label>
            {tr('对比', 'Compare')}{' '}
            <select value={from} onChange={(e) => setFrom(e.target.value)} data-testid="diff-from">
              {options}
            </select>
          </label>
          <label>
            {tr('与', 'with')}{' '}
            <select value={to} onChange={(e) => setTo(e.target.value)} data-testid="diff-to">
              <option value="draft">{tr('当前草稿', 'Current draft')}</option>
              {options}
            </select>
          </label>
          <span className="legend">
            <span className="diff-added">{tr('新增', 'Added')}</span>
            <span className="diff-removed">{tr('删除', 'Removed')}</span>
            <span className="diff-changed">{tr('修改', 'Changed')}</span>
            <span className="diff-moved">{tr('仅移动', 'Moved')}</span>
          </span>
        </div>
      )}
      {from === to && from && <p className="muted">{tr('请选择两个不同的版本', 'Pick two different versions')}</p>}
      {d && result && (
        <div className="diff-body">
          <ul className="diff-summary" data-testid="diff-summary">
            <li>
              {label(from)} → {label(to)}
            </li>
            {d.addedNodes.map((n) => (
              <li key={`a${n.id}`} className="diff-added" data-change="added">
                + {n.label || typeLabel(n.type)} <span className="mono muted">{n.id}</span>
              </li>
            ))}
            {d.removedNodes.map((n) => (
              <li key={`r${n.id}`} className="diff-removed" data-change="removed">
                − {n.label || typeLabel(n.type)} <span className="mono muted">{n.id}</span>
              </li>
            ))}
            {d.changedNodes.map((n) => (
              <li key={`c${n.id}`} className="diff-changed" data-change="changed">
                ~ {n.after.label || typeLabel(n.after.type)} <span className="mono muted">{n.id}</span>{' '}
                <span className="muted">({n.fields.join(', ')})</span>
              </li>
            ))}
            <li className="muted">
              {tr(
                `连线 +${d.addedEdges.length} / −${d.removedEdges.length}，移动 ${d.movedNodes.length} 个节点${d.settingsChanged ? tr('，旅程设置有修改', ', settings changed') : ''}`,
                `Edges +${d.addedEdges.length} / −${d.removedEdges.length}, ${d.movedNodes.length} moved${d.settingsChanged ? tr('，旅程设置有修改', ', settings changed') : ''}`,
              )}
            </li>
          </ul>
          {overlay && <DiffCanvas graph={result.graph} overlay={overlay} />}
        </div>
      )}
    </Modal>
  );
}
