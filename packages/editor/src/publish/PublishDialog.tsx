import type { JourneyGraph } from '@siyu/shared';
import { Button, Input, Modal, Radio, Select, Table, type TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { useErrorText } from '../app/kit/query.ts';
import { rowAttributes } from '../app/kit/table.ts';
import type { Words } from '../app/kit/words.ts';
import { nodeTitle } from '../app/node-title.ts';
import { registry } from '../app/registry.ts';
import { api } from '../app/server-api.ts';
import { DryRunPanel } from './DryRunPanel.tsx';
import { defaultMapping, unmappedCount } from './migration.ts';

interface Occupied {
  nodeId: string;
  waiting: number;
}

/**
 * Publishing a journey that already has customers in it asks what happens to them: stay on the
 * version they started (default, nothing changes for them) or move to the new one, node by node
 * (same node ids by default; nodes the new version lacks are chosen by hand or stay behind).
 */
export function PublishDialog(props: {
  journeyId: string;
  draft: JourneyGraph;
  /** Saves pending edits and publishes; returns the new version. */
  publish: (note: string) => Promise<{ versionId: string; version: number }>;
  /** For a roll-back: its own heading and what it does (the draft is replaced). */
  title?: string;
  intro?: string;
  /** Saves the draft: given when publishing the draft, it turns on the dry run (not for a roll-back). */
  saveDraft?: () => Promise<void>;
  /** Awaited: the dialog stays busy until what follows a publish is done. */
  onDone: (message: Words) => void | Promise<void>;
  onCancel: () => void;
}) {
  const { t, loc } = useLocale();
  const [occupied, setOccupied] = useState<Occupied[]>();
  // The newest published graph: names the nodes customers wait at that the draft no longer has.
  const [published, setPublished] = useState<JourneyGraph>();
  const [mode, setMode] = useState<'stay' | 'move'>('stay');
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useErrorText();
  const newIds = new Set(props.draft.nodes.map((n) => n.id));
  // biome-ignore lint/correctness/useExhaustiveDependencies: computed once, when the dialog opens
  useEffect(() => {
    // Every version's customers: after this publish, all of them are on an older version.
    api.stats.journey.query({ journeyId: props.journeyId }).then(
      (stats) => {
        const list = stats.nodes.filter((n) => n.waiting > 0).map((n) => ({ nodeId: n.nodeId, waiting: n.waiting }));
        setOccupied(list);
        if (list.some((n) => !newIds.has(n.nodeId))) void loadNewestGraph(props.journeyId).then(setPublished);
        setMapping(
          defaultMapping(
            list.map((n) => n.nodeId),
            newIds,
          ),
        );
      },
      (e: Error) => setError(e),
    );
  }, [props.journeyId]);
  const inFlight = occupied?.reduce((s, n) => s + n.waiting, 0) ?? 0;
  // What a marketer calls a node (never its id): the draft's name, else the published version's.
  const label = (id: string) =>
    nodeTitle(
      newIds.has(id) || !published ? props.draft : published,
      id,
      registry,
      loc,
      t('publish:publishDialog.unknownNode'),
    );
  // Where each occupied node's customers go: a node of the new version, or nowhere (they stay).
  const targets = [
    { value: '', label: t('publish:publishDialog.doNotMoveStay') },
    ...props.draft.nodes
      .filter((node) => !registry.get(node.type)?.entry)
      .map((node) => ({ value: node.id, label: label(node.id) })),
  ];
  const mappingColumns: TableColumnsType<Occupied> = [
    {
      key: 'nodeId',
      title: t('publish:publishDialog.nowAt'),
      render: (_, n) => label(n.nodeId),
    },
    { key: 'waiting', title: t('publish:publishDialog.customers'), dataIndex: 'waiting', align: 'right' },
    {
      key: 'target',
      title: t('publish:publishDialog.nodeInTheNewVersion'),
      render: (_, n) => (
        <Select
          className="publish-target"
          value={mapping[n.nodeId] ?? ''}
          onChange={(id: string) => {
            const next = { ...mapping };
            if (id) next[n.nodeId] = id;
            else delete next[n.nodeId];
            setMapping(next);
          }}
          options={targets}
          data-testid="publish-target"
        />
      ),
    },
  ];
  const confirm = async () => {
    setBusy(true);
    setError('');
    try {
      const published = await props.publish(note);
      let moved: number | undefined;
      if (mode === 'move' && inFlight > 0) {
        ({ moved } = await api.journeys.migrateInstances.mutate({
          journeyId: props.journeyId,
          toVersionId: published.versionId,
          nodeMapping: mapping,
        }));
      }
      const message: Words = (t) =>
        t('publish:publishDialog.publishedVersionVersion', { version: published.version }) +
        (moved === undefined ? '' : t('publish:publishDialog.countCustomersMovedToIt', { count: moved }));
      await props.onDone(message);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={props.title ?? t('publish:publishDialog.publishANewVersion')}
      onCancel={props.onCancel}
      width={props.saveDraft ? 680 : undefined}
      mask={{ closable: !busy }}
      modalRender={(node) => <div data-testid="publish-dialog">{node}</div>}
      footer={[
        <Button key="cancel" onClick={props.onCancel} disabled={busy}>
          {t('publish:publishDialog.cancel')}
        </Button>,
        <Button
          key="ok"
          type="primary"
          loading={busy}
          onClick={() => void confirm()}
          disabled={occupied === undefined}
          data-testid="publish-confirm"
        >
          {t('publish:publishDialog.publish')}
        </Button>,
      ]}
    >
      {props.intro && (
        <p className="warn" data-testid="publish-intro">
          {props.intro}
        </p>
      )}
      <div className="field">
        <span className="field-label">{t('publish:publishDialog.noteOptional')}</span>
        <Input
          aria-label={t('publish:publishDialog.note')}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          data-testid="publish-note"
        />
      </div>
      {occupied === undefined && !error && <p className="muted">{t('publish:publishDialog.countingCustomers')}</p>}
      {occupied && inFlight === 0 && (
        <p className="muted" data-testid="publish-no-inflight">
          {t('publish:publishDialog.noCustomersAreInThe')}
        </p>
      )}
      {occupied && inFlight > 0 && (
        <fieldset className="group" data-testid="publish-inflight">
          <legend>{t('publish:publishDialog.countCustomersAreInThe', { count: inFlight })}</legend>
          <Radio.Group
            className="publish-mode"
            value={mode}
            onChange={(e) => setMode(e.target.value as 'stay' | 'move')}
          >
            <Radio value="stay" data-testid="publish-stay">
              {t('publish:publishDialog.stayFinishOnTheVersion')}
            </Radio>
            <Radio value="move" data-testid="publish-move">
              {t('publish:publishDialog.moveContinueOnTheNew')}
            </Radio>
          </Radio.Group>
          {mode === 'move' && (
            <Table<Occupied>
              size="small"
              rowKey="nodeId"
              columns={mappingColumns}
              dataSource={occupied}
              pagination={false}
              data-testid="publish-mapping"
              onRow={(n) => rowAttributes('publish-mapping-row', { node: n.nodeId })}
            />
          )}
          {mode === 'move' && unmappedCount(occupied, mapping) > 0 && (
            <p className="warn">
              {t('publish:publishDialog.countCustomersAreAtNodes', { count: unmappedCount(occupied, mapping) })}
            </p>
          )}
        </fieldset>
      )}
      {props.saveDraft && <DryRunPanel journeyId={props.journeyId} saveDraft={props.saveDraft} />}
      {error && <p className="field-message">{error}</p>}
    </Modal>
  );
}

/** The graph of the journey's newest published version (undefined when none or on error). */
async function loadNewestGraph(journeyId: string): Promise<JourneyGraph | undefined> {
  try {
    const [newest] = await api.journeys.versions.query({ id: journeyId });
    return newest ? (await api.journeys.getVersion.query({ versionId: newest.id })).graph : undefined;
  } catch {
    return undefined;
  }
}
