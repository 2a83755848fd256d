import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { useLocale } from '../app/i18n.ts';
import { useConfirm } from '../app/kit/use-confirm.ts';
import { registry } from '../app/registry.ts';
import { api } from '../app/server-api.ts';
import { interval, pct, pValue } from './format.ts';
import { Rule, Section, useLoad } from './parts.tsx';

type Journey = Awaited<ReturnType<typeof api.journeys.get.query>>;

/** 报表 for one journey: funnel, A/B splits (with promote), holdout uplift, monitoring after a send. */
export function JourneyReport({ journeyId }: { journeyId: string }) {
  const { tr } = useLocale();
  const journey = useLoad(() => api.journeys.get.query({ id: journeyId }), journeyId);
  if (journey.error) return <p className="field-message">{journey.error}</p>;
  if (!journey.data) return <p className="muted">{tr('加载中…', 'Loading…')}</p>;
  const nodes = journey.data.draft.nodes;
  const splits = nodes.filter((n) => n.type === 'core.abSplit');
  const sends = nodes.filter((n) => registry.get(n.type)?.category === 'message');
  return (
    <>
      <h1 data-testid="report-title">
        {tr('旅程报表', 'Journey report')} · {journey.data.name}
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
        <Monitoring journeyId={journeyId} sends={sends.map((n) => ({ id: n.id, label: n.label }))} />
      )}
    </>
  );
}

function Funnel({ journeyId }: { journeyId: string }) {
  const { tr, loc } = useLocale();
  const { data, error } = useLoad(() => api.reports.funnel.query({ journeyId }), journeyId);
  const rows = data
    ? [
        { name: tr('进入', 'Entered'), count: data.entered, share: data.entered > 0 ? 1 : null },
        ...data.steps.map((s) => ({ name: s.label ? loc(s.label) : s.nodeId, count: s.count, share: s.ofEntered })),
        {
          name: tr('转化（达成任一目标）', 'Converted (any goal)'),
          count: data.goal.count,
          share: data.goal.ofEntered,
        },
      ]
    : [];
  return (
    <Section title={tr('漏斗', 'Funnel')} testId="report-funnel" csv={{ report: 'funnel', input: { journeyId } }}>
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
            <Bar dataKey="count" name={tr('人次', 'Runs')} fill="#2563eb" isAnimationActive={false} />
          </BarChart>
          <table className="report-table">
            <thead>
              <tr>
                <th>{tr('步骤', 'Step')}</th>
                <th>{tr('人次', 'Runs')}</th>
                <th>{tr('占进入', 'Of entered')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: step names can repeat across versions.
                <tr key={i}>
                  <td>{r.name}</td>
                  <td>{r.count}</td>
                  <td>{pct(r.share)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && data.holdout > 0 && (
        <p className="muted">
          {tr(`另有 ${data.holdout} 人次在对照组（未计入）`, `${data.holdout} held-out runs not counted`)}
        </p>
      )}
      {data && <Rule text={data.definition} />}
    </Section>
  );
}

function AbTest(props: { journey: Journey; nodeId: string; label?: string; onPromoted: () => void }) {
  const { tr, loc } = useLocale();
  const { journey, nodeId } = props;
  const { data, error, reload } = useLoad(
    () => api.reports.abTest.query({ journeyId: journey.id, nodeId }),
    `${journey.id}/${nodeId}`,
  );
  const [busy, setBusy] = useState('');
  const [message, setMessage] = useState('');
  const confirm = useConfirm();
  const promote = async (variantId: string) => {
    const sure = await confirm({
      title: tr(`推广方案 ${variantId}？`, `Promote ${variantId}?`),
      content: tr(
        `所有新进入的客户将走方案 ${variantId}，并立即发布新版本；已在旅程中的客户留在原版本。`,
        `Everyone who enters from now takes ${variantId}, and a new version is published now; customers already in the journey stay on their version.`,
      ),
      okText: tr('推广并发布', 'Promote and publish'),
    });
    if (!sure) return;
    setBusy(variantId);
    setMessage('');
    try {
      const r = await api.reports.promoteWinner.mutate({
        journeyId: journey.id,
        nodeId,
        variantId,
        expectedRevision: journey.draftRevision,
      });
      setMessage(
        tr(`已推广 ${variantId}，发布为第 ${r.version} 版`, `Promoted ${variantId}, published as version ${r.version}`),
      );
      reload();
      props.onPromoted();
    } catch (e) {
      setMessage((e as Error).message);
    } finally {
      setBusy('');
    }
  };
  return (
    <Section
      title={`${tr('A/B 测试', 'A/B test')} · ${props.label ?? nodeId}`}
      testId={`report-ab-${nodeId}`}
      csv={{ report: 'abTest', input: { journeyId: journey.id, nodeId } }}
    >
      {error && <p className="field-message">{error}</p>}
      {message && <p className="report-message">{message}</p>}
      {data && (
        <>
          {!data.winner && !data.leader && (
            <p className="muted" data-testid="ab-no-leader">
              {tr(
                '目前没有领先的方案（转化率相同或数据不足）',
                'No variant is ahead yet (equal rates or not enough data)',
              )}
            </p>
          )}
          {data.winner && (
            <p className="report-message">
              {tr(
                `已结束：胜出方案 ${data.winner}（新进入的客户全部走该方案）`,
                `Ended: winner ${data.winner} (everyone now takes it)`,
              )}
            </p>
          )}
          <table className="report-table">
            <thead>
              <tr>
                <th>{tr('方案', 'Variant')}</th>
                <th>{tr('进入', 'Entered')}</th>
                <th>{tr('转化', 'Converted')}</th>
                <th>{tr('转化率', 'Rate')}</th>
                <th>{tr('95% 置信区间', '95% CI')}</th>
                <th>{tr('与对照差值', 'vs control')}</th>
                <th>{tr('p 值', 'p-value')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {data.variants.map((v) => (
                <tr key={v.variantId} data-testid={`ab-row-${v.variantId}`}>
                  <td>
                    {v.label} <span className="muted">({v.variantId})</span>
                    {v.variantId === data.controlId && <span className="pill">{tr('对照', 'Control')}</span>}
                    {data.leader?.variantId === v.variantId && (
                      <span className={`pill ${data.leader.significant ? 'live' : ''}`}>
                        {data.leader.significant
                          ? tr('显著领先', 'Significant lead')
                          : tr('领先（不显著）', 'Leading (not significant)')}
                      </span>
                    )}
                  </td>
                  <td>{v.entered}</td>
                  <td>{v.converted}</td>
                  <td>{pct(v.rate)}</td>
                  <td>{interval(v.ci95)}</td>
                  <td>
                    {v.vsControl ? `${v.vsControl.difference >= 0 ? '+' : ''}${pct(v.vsControl.difference)}` : '—'}
                  </td>
                  <td>
                    {pValue(v.vsControl?.pValue)}{' '}
                    {v.vsControl && (
                      <span className={v.vsControl.significant ? 'sig' : 'muted'}>
                        {v.vsControl.significant ? tr('显著', 'significant') : tr('不显著', 'not significant')}
                      </span>
                    )}
                  </td>
                  <td>
                    {/* Only the variant ahead can be promoted (none on a tie: the server refuses too). */}
                    {!data.winner && data.leader?.variantId === v.variantId && (
                      <button
                        type="button"
                        className="btn-small"
                        data-testid={`promote-${v.variantId}`}
                        disabled={busy !== ''}
                        onClick={() => void promote(v.variantId)}
                      >
                        {tr('推广胜出方案', 'Promote winner')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
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
  const { tr } = useLocale();
  const { data, error } = useLoad(() => api.reports.holdout.query({ journeyId }), journeyId);
  return (
    <Section
      title={tr('对照组提升', 'Holdout uplift')}
      testId="report-holdout"
      csv={{ report: 'holdout', input: { journeyId } }}
    >
      {error && <p className="field-message">{error}</p>}
      {data && data.control.entered === 0 && (
        <p className="muted">
          {tr(
            '没有对照组数据：在旅程设置中设置对照组比例后再看。',
            'No control group yet: set a holdout percentage in the journey settings.',
          )}
        </p>
      )}
      {data && data.control.entered > 0 && (
        <>
          <table className="report-table">
            <thead>
              <tr>
                <th>{tr('组', 'Group')}</th>
                <th>{tr('进入', 'Entered')}</th>
                <th>{tr('转化', 'Converted')}</th>
                <th>{tr('转化率', 'Rate')}</th>
                <th>{tr('95% 置信区间', '95% CI')}</th>
              </tr>
            </thead>
            <tbody>
              {(
                [
                  [tr('旅程组', 'Journey group'), data.journey],
                  [tr('对照组', 'Control group'), data.control],
                ] as const
              ).map(([name, g]) => (
                <tr key={name}>
                  <td>{name}</td>
                  <td>{g.entered}</td>
                  <td>{g.converted}</td>
                  <td>{pct(g.rate)}</td>
                  <td>{interval(g.ci95)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.uplift && (
            <p className="report-message" data-testid="holdout-uplift">
              {tr('提升', 'Uplift')} {data.uplift.difference >= 0 ? '+' : ''}
              {pct(data.uplift.difference)} · {tr('相对', 'relative')} {pct(data.uplift.relative)} · p ={' '}
              {pValue(data.uplift.pValue)}{' '}
              {data.uplift.significant ? tr('（显著）', '(significant)') : tr('（不显著）', '(not significant)')}
            </p>
          )}
          <Rule text={data.test} />
          <Rule text={data.definition} />
        </>
      )}
    </Section>
  );
}

function Monitoring({ journeyId, sends }: { journeyId: string; sends: { id: string; label?: string }[] }) {
  const { tr } = useLocale();
  const [sendNodeId, setSendNodeId] = useState((sends[0] as { id: string }).id);
  const { data, error } = useLoad(
    () => api.reports.monitoring.query({ journeyId, sendNodeId }),
    `${journeyId}/${sendNodeId}`,
  );
  const points = (data?.points ?? []).map((p) => ({ ...p, name: `${p.hours}h` }));
  return (
    <Section
      title={tr('发送后监测', 'After-send monitoring')}
      testId="report-monitoring"
      csv={{ report: 'monitoring', input: { journeyId, sendNodeId } }}
    >
      <label className="report-inline">
        {tr('发送节点', 'Send node')}
        <select value={sendNodeId} onChange={(e) => setSendNodeId(e.target.value)}>
          {sends.map((s) => (
            <option key={s.id} value={s.id}>
              {s.label ?? s.id}
            </option>
          ))}
        </select>
        {data && <span className="muted">{tr(`已发送 ${data.sent ?? 0} 条`, `${data.sent ?? 0} sent`)}</span>}
      </label>
      {error && <p className="field-message">{error}</p>}
      {data && (
        <>
          <LineChart width={640} height={260} data={points} margin={{ top: 10, right: 20 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            <Line dataKey="clicks" name={tr('点击', 'Clicks')} stroke="#2563eb" isAnimationActive={false} />
            <Line dataKey="entries" name={tr('进入', 'Entries')} stroke="#16a34a" isAnimationActive={false} />
            <Line dataKey="orders" name={tr('订单', 'Orders')} stroke="#ea580c" isAnimationActive={false} />
          </LineChart>
          <Rule text={data.definition} />
        </>
      )}
    </Section>
  );
}
