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
  const { t } = useLocale();
  const journey = useLoad(() => api.journeys.get.query({ id: journeyId }), journeyId);
  if (journey.error) return <p className="field-message">{journey.error}</p>;
  if (!journey.data) return <p className="muted">{t('reports:journeyReport.loading')}</p>;
  const nodes = journey.data.draft.nodes;
  const splits = nodes.filter((n) => n.type === 'core.abSplit');
  const sends = nodes.filter((n) => registry.get(n.type)?.category === 'message');
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
        <Monitoring journeyId={journeyId} sends={sends.map((n) => ({ id: n.id, label: n.label }))} />
      )}
    </>
  );
}

function Funnel({ journeyId }: { journeyId: string }) {
  const { t, loc } = useLocale();
  const { data, error } = useLoad(() => api.reports.funnel.query({ journeyId }), journeyId);
  const rows = data
    ? [
        { name: t('reports:journeyReport.entered'), count: data.entered, share: data.entered > 0 ? 1 : null },
        ...data.steps.map((s) => ({ name: s.label ? loc(s.label) : s.nodeId, count: s.count, share: s.ofEntered })),
        {
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
          <table className="report-table">
            <thead>
              <tr>
                <th>{t('reports:journeyReport.step')}</th>
                <th>{t('reports:journeyReport.runs')}</th>
                <th>{t('reports:journeyReport.ofEntered')}</th>
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
  const [message, setMessage] = useState('');
  const confirm = useConfirm();
  const promote = async (variantId: string) => {
    const sure = await confirm({
      title: t('reports:journeyReport.promoteVariantId', { variantId }),
      content: t('reports:journeyReport.everyoneWhoEntersFromNow', { variantId }),
      okText: t('reports:journeyReport.promoteAndPublish'),
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
      setMessage(t('reports:journeyReport.promotedVariantIdPublishedAs', { variantId, version: r.version }));
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
      title={`${t('reports:journeyReport.aBTest')} · ${props.label ?? nodeId}`}
      testId={`report-ab-${nodeId}`}
      csv={{ report: 'abTest', input: { journeyId: journey.id, nodeId } }}
    >
      {error && <p className="field-message">{error}</p>}
      {message && <p className="report-message">{message}</p>}
      {data && (
        <>
          {!data.winner && !data.leader && (
            <p className="muted" data-testid="ab-no-leader">
              {t('reports:journeyReport.noVariantIsAheadYet')}
            </p>
          )}
          {data.winner && (
            <p className="report-message">
              {t('reports:journeyReport.endedWinnerWinnerEveryoneNow', { winner: data.winner })}
            </p>
          )}
          <table className="report-table">
            <thead>
              <tr>
                <th>{t('reports:channelReport.variant')}</th>
                <th>{t('reports:journeyReport.entered')}</th>
                <th>{t('reports:journeyReport.converted')}</th>
                <th>{t('reports:journeyReport.rate')}</th>
                <th>{t('reports:journeyReport.n95Ci')}</th>
                <th>{t('reports:journeyReport.vsControl')}</th>
                <th>{t('reports:journeyReport.pValue')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {data.variants.map((v) => (
                <tr key={v.variantId} data-testid={`ab-row-${v.variantId}`}>
                  <td>
                    {v.label} <span className="muted">({v.variantId})</span>
                    {v.variantId === data.controlId && (
                      <span className="pill">{t('reports:journeyReport.control')}</span>
                    )}
                    {data.leader?.variantId === v.variantId && (
                      <span className={`pill ${data.leader.significant ? 'live' : ''}`}>
                        {data.leader.significant
                          ? t('reports:journeyReport.significantLead')
                          : t('reports:journeyReport.leadingNotSignificant')}
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
                        {v.vsControl.significant
                          ? t('reports:journeyReport.significant')
                          : t('reports:journeyReport.notSignificant')}
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
                        {t('reports:journeyReport.promoteWinner')}
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
          <table className="report-table">
            <thead>
              <tr>
                <th>{t('reports:journeyReport.group')}</th>
                <th>{t('reports:journeyReport.entered')}</th>
                <th>{t('reports:journeyReport.converted')}</th>
                <th>{t('reports:journeyReport.rate')}</th>
                <th>{t('reports:journeyReport.n95Ci')}</th>
              </tr>
            </thead>
            <tbody>
              {(
                [
                  [t('reports:journeyReport.journeyGroup'), data.journey],
                  [t('reports:journeyReport.controlGroup'), data.control],
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

function Monitoring({ journeyId, sends }: { journeyId: string; sends: { id: string; label?: string }[] }) {
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
      <label className="report-inline">
        {t('reports:journeyReport.sendNode')}
        <select value={sendNodeId} onChange={(e) => setSendNodeId(e.target.value)}>
          {sends.map((s) => (
            <option key={s.id} value={s.id}>
              {s.label ?? s.id}
            </option>
          ))}
        </select>
        {data && <span className="muted">{t('reports:journeyReport.sentSent', { sent: data.sent ?? 0 })}</span>}
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
