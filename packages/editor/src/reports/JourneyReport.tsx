import { Button, Select, Table, type TableColumnsType, Tag } from 'antd';
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { useLocale } from '../app/i18n.ts';
import { errorText } from '../app/kit/query.ts';
import { byNumber, rowAttributes } from '../app/kit/table.ts';
import { useConfirm } from '../app/kit/use-confirm.ts';
import type { Words } from '../app/kit/words.ts';
import { nodeTitle } from '../app/node-title.ts';
import { registry } from '../app/registry.ts';
import { api } from '../app/server-api.ts';
import { interval, pct, pValue } from './format.ts';
import { Rule, Section, useLoad } from './parts.tsx';
import { variantName } from './variant-name.ts';

type Journey = Awaited<ReturnType<typeof api.journeys.get.query>>;
type Variant = Awaited<ReturnType<typeof api.reports.abTest.query>>['variants'][number];
type Group = Awaited<ReturnType<typeof api.reports.holdout.query>>['journey'];
/** Sorts rates that may be missing ("—") below every real one. */
const orLow = (x: number | null | undefined) => x ?? Number.NEGATIVE_INFINITY;

/** 报表 for one journey: funnel, A/B splits (with promote), holdout uplift, monitoring after a send. */
export function JourneyReport({ journeyId }: { journeyId: string }) {
  const { t, loc } = useLocale();
  const journey = useLoad(() => api.journeys.get.query({ id: journeyId }), journeyId);
  if (journey.error) return <p className="field-message">{journey.error}</p>;
  if (!journey.data) return <p className="muted">{t('reports:journeyReport.loading')}</p>;
  const nodes = journey.data.draft.nodes;
  const splits = nodes.filter((n) => n.type === 'core.abSplit');
  const sends = nodes.filter((n) => registry.get(n.type)?.category === 'message');
  const draft = journey.data.draft;
  // What a marketer calls each send: its name on the canvas, else its type's (never its id).
  const titleOf = (nodeId: string) => nodeTitle(draft, nodeId, registry, loc, '');
  return (
    <>
      <h1 data-testid="report-title">
        {t('reports:journeyReport.journeyReport')} · {journey.data.name}
      </h1>
      <Funnel journeyId={journeyId} />
      {splits.map((s) => (
        <AbTest
          key={s.id}
          journey={journey.data as Journey}
          nodeId={s.id}
          label={s.label}
          onPromoted={journey.reload}
        />
      ))}
      <Holdout journeyId={journeyId} />
      {sends.length > 0 && (
        <Monitoring journeyId={journeyId} sends={sends.map((n) => ({ id: n.id, label: titleOf(n.id) }))} />
      )}
    </>
  );
}

type FunnelRow = { key: string; name: string; count: number; share: number | null };

function Funnel({ journeyId }: { journeyId: string }) {
  const { t, loc } = useLocale();
  const { data, error } = useLoad(() => api.reports.funnel.query({ journeyId }), journeyId);
  // Keys are positions: step names can repeat across versions.
  const rows: FunnelRow[] = data
    ? [
        {
          key: 'entered',
          name: t('reports:journeyReport.entered'),
          count: data.entered,
          share: data.entered > 0 ? 1 : null,
        },
        ...data.steps.map((s, i) => ({
          key: `step-${i}`,
          name: s.label ? loc(s.label) : s.nodeId,
          count: s.count,
          share: s.ofEntered,
        })),
        {
          key: 'goal',
          name: t('reports:journeyReport.convertedAnyGoal'),
          count: data.goal.count,
          share: data.goal.ofEntered,
        },
      ]
    : [];
  return (
    <Section
      title={t('reports:journeyReport.funnel')}
      testId="report-funnel"
      csv={{ report: 'funnel', input: { journeyId } }}
    >
      {error && <p className="field-message">{error}</p>}
      {data && (
        <div className="report-split">
          <BarChart
            width={560}
            height={Math.max(160, rows.length * 36)}
            data={rows}
            layout="vertical"
            margin={{ left: 40 }}
          >
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" allowDecimals={false} />
            <YAxis type="category" dataKey="name" width={120} />
            <Tooltip />
            <Bar dataKey="count" name={t('reports:journeyReport.runs')} fill="#2563eb" isAnimationActive={false} />
          </BarChart>
          {/* In the funnel's own order: a step's place is its meaning, so no sorting here. */}
          <Table<FunnelRow>
            size="small"
            rowKey={(r) => r.key}
            columns={[
              { key: 'name', title: t('reports:journeyReport.step'), dataIndex: 'name' },
              { key: 'count', title: t('reports:journeyReport.runs'), dataIndex: 'count', align: 'right' },
              {
                key: 'share',
                title: t('reports:journeyReport.ofEntered'),
                align: 'right',
                render: (_, r) => pct(r.share),
              },
            ]}
            dataSource={rows}
            pagination={false}
          />
        </div>
      )}
      {data && data.holdout > 0 && (
        <p className="muted">{t('reports:journeyReport.holdoutHeldOutRunsNot', { holdout: data.holdout })}</p>
      )}
      {data && <Rule text={data.definition} />}
    </Section>
  );
}

function AbTest(props: { journey: Journey; nodeId: string; label?: string; onPromoted: () => void }) {
  const { t, loc } = useLocale();
  const { journey, nodeId } = props;
  const { data, error, reload } = useLoad(
    () => api.reports.abTest.query({ journeyId: journey.id, nodeId }),
    `${journey.id}/${nodeId}`,
  );
  const [busy, setBusy] = useState('');
  // Worded at each render (kit/words.ts): it follows a language switch.
  const [message, setMessage] = useState<Words | null>(null);
  const confirm = useConfirm();
  // Operators named their variants (文案 A); the key (a) is the config's, never shown.
  const nameOf = (variantId: string) => (data ? variantName(data.variants, variantId) : variantId);
  const promote = async (variantId: string) => {
    const variant = nameOf(variantId);
    const sure = await confirm({
      title: t('reports:journeyReport.promoteVariantId', { variant }),
      content: t('reports:journeyReport.everyoneWhoEntersFromNow', { variant }),
      okText: t('reports:journeyReport.promoteAndPublish'),
    });
    if (!sure) return;
    setBusy(variantId);
    setMessage(null);
    try {
      const r = await api.reports.promoteWinner.mutate({
        journeyId: journey.id,
        nodeId,
        variantId,
        expectedRevision: journey.draftRevision,
      });
      const promoted: Words = (t) =>
        t('reports:journeyReport.promotedVariantIdPublishedAs', { variant, version: r.version });
      setMessage(() => promoted);
      reload();
      props.onPromoted();
    } catch (e) {
      setMessage(() => () => errorText(e));
    } finally {
      setBusy('');
    }
  };
  type AbData = NonNullable<typeof data>;
  const abColumns = (ab: AbData): TableColumnsType<Variant> => [
    {
      key: 'variant',
      title: t('reports:channelReport.variant'),
      render: (_, v) => (
        <>
          {variantName(ab.variants, v.variantId)}{' '}
          {v.variantId === ab.controlId && <Tag>{t('reports:journeyReport.control')}</Tag>}
          {ab.leader?.variantId === v.variantId && (
            <Tag color={ab.leader.significant ? 'green' : undefined}>
              {ab.leader.significant
                ? t('reports:journeyReport.significantLead')
                : t('reports:journeyReport.leadingNotSignificant')}
            </Tag>
          )}
        </>
      ),
    },
    {
      key: 'entered',
      title: t('reports:journeyReport.entered'),
      dataIndex: 'entered',
      align: 'right',
      sorter: byNumber((v: Variant) => v.entered),
    },
    {
      key: 'converted',
      title: t('reports:journeyReport.converted'),
      dataIndex: 'converted',
      align: 'right',
      sorter: byNumber((v: Variant) => v.converted),
    },
    {
      key: 'rate',
      title: t('reports:journeyReport.rate'),
      align: 'right',
      sorter: byNumber((v: Variant) => orLow(v.rate)),
      render: (_, v) => pct(v.rate),
    },
    { key: 'ci', title: t('reports:journeyReport.n95Ci'), render: (_, v) => interval(v.ci95) },
    {
      key: 'vsControl',
      title: t('reports:journeyReport.vsControl'),
      align: 'right',
      sorter: byNumber((v: Variant) => orLow(v.vsControl?.difference)),
      render: (_, v) => (v.vsControl ? `${v.vsControl.difference >= 0 ? '+' : ''}${pct(v.vsControl.difference)}` : '—'),
    },
    {
      key: 'pValue',
      title: t('reports:journeyReport.pValue'),
      render: (_, v) => (
        <>
          {pValue(v.vsControl?.pValue)}{' '}
          {v.vsControl && (
            <span className={v.vsControl.significant ? 'sig' : 'muted'}>
              {v.vsControl.significant
                ? t('reports:journeyReport.significant')
                : t('reports:journeyReport.notSignificant')}
            </span>
          )}
        </>
      ),
    },
    {
      key: 'promote',
      render: (_, v) =>
        // Only the variant ahead can be promoted (none on a tie: the server refuses too).
        !ab.winner &&
        ab.leader?.variantId === v.variantId && (
          <Button
            size="small"
            data-testid={`promote-${v.variantId}`}
            disabled={busy !== ''}
            loading={busy === v.variantId}
            onClick={() => void promote(v.variantId)}
          >
            {t('reports:journeyReport.promoteWinner')}
          </Button>
        ),
    },
  ];
  return (
    <Section
      // The split's name when it has one; an unnamed split is just "A/B test" (never its id).
      title={props.label ? `${t('reports:journeyReport.aBTest')} · ${props.label}` : t('reports:journeyReport.aBTest')}
      testId={`report-ab-${nodeId}`}
      csv={{ report: 'abTest', input: { journeyId: journey.id, nodeId } }}
    >
      {error && <p className="field-message">{error}</p>}
      {message && (
        <p className="report-message" data-testid="ab-promoted">
          {message(t)}
        </p>
      )}
      {data && (
        <>
          {!data.winner && !data.leader && (
            <p className="muted" data-testid="ab-no-leader">
              {t('reports:journeyReport.noVariantIsAheadYet')}
            </p>
          )}
          {data.winner && (
            <p className="report-message">
              {t('reports:journeyReport.endedWinnerWinnerEveryoneNow', { winner: nameOf(data.winner) })}
            </p>
          )}
          <Table<Variant>
            size="small"
            rowKey="variantId"
            columns={abColumns(data)}
            dataSource={data.variants}
            pagination={false}
            onRow={(v) => rowAttributes(`ab-row-${v.variantId}`)}
          />
          {data.warnings.map((w) => (
            <p key={w.en} className="field-message">
              {loc(w)}
            </p>
          ))}
          <Rule text={data.test} />
          <Rule text={data.definition} />
        </>
      )}
    </Section>
  );
}

function Holdout({ journeyId }: { journeyId: string }) {
  const { t } = useLocale();
  const { data, error } = useLoad(() => api.reports.holdout.query({ journeyId }), journeyId);
  return (
    <Section
      title={t('reports:journeyReport.holdoutUplift')}
      testId="report-holdout"
      csv={{ report: 'holdout', input: { journeyId } }}
    >
      {error && <p className="field-message">{error}</p>}
      {data && data.control.entered === 0 && <p className="muted">{t('reports:journeyReport.noControlGroupYetSet')}</p>}
      {data && data.control.entered > 0 && (
        <>
          <Table<Group & { name: string }>
            size="small"
            rowKey="name"
            columns={[
              { key: 'name', title: t('reports:journeyReport.group'), dataIndex: 'name' },
              { key: 'entered', title: t('reports:journeyReport.entered'), dataIndex: 'entered', align: 'right' },
              {
                key: 'converted',
                title: t('reports:journeyReport.converted'),
                dataIndex: 'converted',
                align: 'right',
              },
              { key: 'rate', title: t('reports:journeyReport.rate'), align: 'right', render: (_, g) => pct(g.rate) },
              { key: 'ci', title: t('reports:journeyReport.n95Ci'), render: (_, g) => interval(g.ci95) },
            ]}
            dataSource={[
              { ...data.journey, name: t('reports:journeyReport.journeyGroup') },
              { ...data.control, name: t('reports:journeyReport.controlGroup') },
            ]}
            pagination={false}
          />
          {data.uplift && (
            <p className="report-message" data-testid="holdout-uplift">
              {t('reports:journeyReport.uplift')} {data.uplift.difference >= 0 ? '+' : ''}
              {pct(data.uplift.difference)} · {t('reports:journeyReport.relative')} {pct(data.uplift.relative)} · p ={' '}
              {pValue(data.uplift.pValue)}{' '}
              {data.uplift.significant
                ? t('reports:journeyReport.significant2')
                : t('reports:journeyReport.notSignificant2')}
            </p>
          )}
          <Rule text={data.test} />
          <Rule text={data.definition} />
        </>
      )}
    </Section>
  );
}

function Monitoring({ journeyId, sends }: { journeyId: string; sends: { id: string; label: string }[] }) {
  const { t } = useLocale();
  const [sendNodeId, setSendNodeId] = useState((sends[0] as { id: string }).id);
  const { data, error } = useLoad(
    () => api.reports.monitoring.query({ journeyId, sendNodeId }),
    `${journeyId}/${sendNodeId}`,
  );
  const points = (data?.points ?? []).map((p) => ({ ...p, name: `${p.hours}h` }));
  return (
    <Section
      title={t('reports:journeyReport.afterSendMonitoring')}
      testId="report-monitoring"
      csv={{ report: 'monitoring', input: { journeyId, sendNodeId } }}
    >
      <div className="report-inline">
        {t('reports:journeyReport.sendNode')}
        <Select
          className="monitoring-send"
          value={sendNodeId}
          onChange={setSendNodeId}
          options={sends.map((s) => ({ value: s.id, label: s.label }))}
        />
        {data && <span className="muted">{t('reports:journeyReport.sentSent', { sent: data.sent ?? 0 })}</span>}
      </div>
      {error && <p className="field-message">{error}</p>}
      {data && (
        <>
          <LineChart width={640} height={260} data={points} margin={{ top: 10, right: 20 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            <Line
              dataKey="clicks"
              name={t('reports:journeyReport.clicks')}
              stroke="#2563eb"
              isAnimationActive={false}
            />
            <Line
              dataKey="entries"
              name={t('reports:journeyReport.entries')}
              stroke="#16a34a"
              isAnimationActive={false}
            />
            <Line
              dataKey="orders"
              name={t('reports:channelReport.orders2')}
              stroke="#ea580c"
              isAnimationActive={false}
            />
          </LineChart>
          <Rule text={data.definition} />
        </>
      )}
    </Section>
  );
}
