import { KNOWN_EVENT_TYPES } from '@siyu/shared';
import { useState } from 'react';
import { eventTypeText } from '../app/event-type-text.ts';
import { StepFailureNote } from '../app/FailureNote.tsx';
import { useLocale } from '../app/i18n.ts';
import { useErrorText } from '../app/kit/query.ts';
import { listText } from '../app/list-format.ts';
import { registry } from '../app/registry.ts';
import { api } from '../app/server-api.ts';
import { stepKindText } from '../app/step-kinds.ts';
import { TagPicker } from '../app/TagPicker.tsx';
import { type CanvasOverlay, pathOverlay } from '../model/overlay.ts';
import { channelName } from '../pages/channel-name.ts';
import { formatDuration } from '../pages/format.ts';
import { fastForward, inject, type SimulationScript, startScript } from './script.ts';

type Result = Awaited<ReturnType<typeof api.runs.testRun.mutate>>;
const DAY = 86_400_000;

const SAMPLE_DATA: Record<string, Record<string, unknown>> = {
  'order.placed': { orderId: 'SIM-1', amountCents: 9900 },
  'order.paid': { orderId: 'SIM-1', amountCents: 9900 },
  'wecom.groupJoined': { chatId: '', state: '' },
  'link.clicked': { code: '' },
};

/**
 * 模拟: a made-up customer goes through the saved draft on a simulated clock, in a scratch
 * database on the server (no real customer, message or count is touched). Fast-forward jumps to
 * the next wait ending; events such as "order placed" are injected at the current simulated time.
 */
export function SimulationPanel(props: {
  journeyId: string;
  /** Saves pending edits so the server simulates what is on the canvas. */
  flush: () => Promise<void>;
  onPath: (overlay: CanvasOverlay | undefined) => void;
  onClose: () => void;
  /** What the canvas calls a node (its title or type's name), for the messages and steps. */
  nodeTitle: (nodeId: string) => string;
}) {
  const { t, loc, locale } = useLocale();
  const [phone, setPhone] = useState('+8613800000000');
  const [wecomId, setWecomId] = useState('wm_sim_customer');
  const [tags, setTags] = useState<string[]>([]);
  const [script, setScript] = useState<SimulationScript>();
  const [result, setResult] = useState<Result>();
  const [eventType, setEventType] = useState('order.placed');
  const [eventData, setEventData] = useState(JSON.stringify(SAMPLE_DATA['order.placed']));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useErrorText();

  const run = async (next: SimulationScript) => {
    setBusy(true);
    setError('');
    try {
      await props.flush();
      const r = await api.runs.testRun.mutate({
        journeyId: props.journeyId,
        source: 'draft',
        customer: { phone: phone || undefined, wecomExternalUserId: wecomId || undefined, tags, attributes: {} },
        events: next.events,
        maxDurationMs: next.horizonMs,
        startAt: next.startAt,
      });
      setScript(next);
      setResult(r);
      props.onPath(pathOverlay(r.steps, r.status === 'active' ? r.nodeId : null));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const parsedData = (() => {
    try {
      const v = JSON.parse(eventData || '{}') as unknown;
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  })();
  const ended = result && result.status !== 'active';
  const eventTypes = [...new Set([...(result?.waitingFor ?? []), ...Object.keys(KNOWN_EVENT_TYPES)])];

  return (
    <aside className="inspector simulation" data-testid="simulation-panel">
      <header className="panel-head">
        <h3>{t('simulation:simulationPanel.simulation')}</h3>
        <span className="spacer" />
        <button
          type="button"
          className="link"
          onClick={() => {
            props.onPath(undefined);
            props.onClose();
          }}
        >
          {t('simulation:simulationPanel.close')}
        </button>
      </header>
      <p className="muted">{t('simulation:simulationPanel.runsATestCustomerThrough')}</p>
      <fieldset className="group">
        <legend>{t('simulation:simulationPanel.testCustomer')}</legend>
        <label className="field">
          <span className="field-label">{t('simulation:simulationPanel.phone')}</span>
          <input value={phone} onChange={(e) => setPhone(e.target.value)} />
        </label>
        <label className="field">
          <span className="field-label">{t('simulation:simulationPanel.wecomExternalUserId')}</span>
          <input value={wecomId} onChange={(e) => setWecomId(e.target.value)} />
        </label>
        <div className="field">
          <span className="field-label">{t('simulation:simulationPanel.tags')}</span>
          <TagPicker
            value={tags}
            onAdd={(t) => setTags([...tags, t])}
            onRemove={(t) => setTags(tags.filter((x) => x !== t))}
          />
        </div>
      </fieldset>
      <div className="button-row">
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => void run(startScript(Date.now()))}
          data-testid="sim-start"
        >
          {script ? t('simulation:simulationPanel.restart') : t('simulation:simulationPanel.start')}
        </button>
      </div>
      {error && (
        <p className="field-message" data-testid="sim-error">
          {error}
        </p>
      )}
      {script && result && (
        <>
          <dl className="facts" data-testid="sim-state">
            <dt>{t('simulation:simulationPanel.status')}</dt>
            <dd data-testid="sim-status">
              {result.status === 'active'
                ? t('simulation:simulationPanel.inProgress')
                : result.status === 'exited'
                  ? t('simulation:simulationPanel.exited')
                  : result.status === 'completed'
                    ? t('simulation:simulationPanel.completed')
                    : result.status}
            </dd>
            <dt>{t('simulation:simulationPanel.atNode')}</dt>
            <dd data-testid="sim-node" data-node-id={result.nodeId ?? undefined}>
              {result.nodeId ? props.nodeTitle(result.nodeId) : '—'}
            </dd>
            <dt>{t('simulation:simulationPanel.simulatedTime')}</dt>
            <dd data-testid="sim-clock">+{formatDuration(script.horizonMs, locale)}</dd>
            {result.waitingFor.length > 0 && (
              <>
                <dt>{t('simulation:simulationPanel.waitingFor')}</dt>
                <dd>
                  {listText(
                    result.waitingFor.map((type) => eventTypeText(type, locale)),
                    locale,
                  )}
                </dd>
              </>
            )}
          </dl>
          {!ended && (
            <div className="button-row">
              <button
                type="button"
                disabled={busy || result.nextWakeMs === null}
                onClick={() => void run(fastForward(script, result.nextWakeMs ?? script.horizonMs))}
                data-testid="sim-fast-forward"
              >
                ⏩{' '}
                {result.nextWakeMs === null
                  ? t('simulation:simulationPanel.noTimerPending')
                  : t('simulation:simulationPanel.fastForwardToFormatDuration', {
                      formatDuration: formatDuration(result.nextWakeMs, locale),
                    })}
              </button>
              <button
                type="button"
                disabled={busy}
                onClick={() => void run(fastForward(script, script.horizonMs + DAY))}
                data-testid="sim-plus-day"
              >
                +1 {t('simulation:simulationPanel.day')}
              </button>
            </div>
          )}
          {!ended && (
            <fieldset className="group">
              <legend>{t('simulation:simulationPanel.injectAnEvent')}</legend>
              <select
                value={eventType}
                onChange={(e) => {
                  setEventType(e.target.value);
                  setEventData(JSON.stringify(SAMPLE_DATA[e.target.value] ?? {}));
                }}
                data-testid="sim-event-type"
              >
                {eventTypes.map((t) => (
                  <option key={t} value={t}>
                    {KNOWN_EVENT_TYPES[t] ? `${loc(KNOWN_EVENT_TYPES[t])} (${t})` : t}
                  </option>
                ))}
              </select>
              <textarea
                className="mono"
                rows={2}
                value={eventData}
                onChange={(e) => setEventData(e.target.value)}
                data-testid="sim-event-data"
              />
              {!parsedData && <span className="field-message">{t('simulation:simulationPanel.eventDataMustBeA')}</span>}
              <button
                type="button"
                disabled={busy || !parsedData}
                onClick={() => parsedData && void run(inject(script, eventType, parsedData))}
                data-testid="sim-inject"
              >
                ⚡ {t('simulation:simulationPanel.inject')}
              </button>
            </fieldset>
          )}
          <h4>{t('simulation:simulationPanel.messagesThatWouldBeSent')}</h4>
          {result.messages.length === 0 && <p className="muted">{t('simulation:simulationPanel.noneYet')}</p>}
          <ul className="inbox compact" data-testid="sim-messages">
            {result.messages.map((m, n) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a replay lists the same messages in the same order
              <li key={n} className="inbox-item" data-testid="sim-message" data-channel={m.channel}>
                <div className="inbox-meta">
                  <span className={`pill channel-${m.channel}`}>
                    {channelName(m.channel, locale, registry.packages)}
                  </span>
                  {m.nodeId && <span className="muted">{props.nodeTitle(m.nodeId)}</span>}
                  <span className="spacer" />
                  <span className="muted">+{formatDuration(m.sentAt - script.startAt, locale)}</span>
                </div>
                <div className="inbox-content">{m.content}</div>
              </li>
            ))}
          </ul>
          <h4>{t('simulation:simulationPanel.steps')}</h4>
          <ol className="timeline" data-testid="sim-steps">
            {result.steps.map((s, n) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: steps have no id of their own
              <li key={n}>
                <span className="muted">+{formatDuration(s.at - script.startAt, locale)}</span>{' '}
                {stepKindText(s.kind, locale)}{' '}
                {s.nodeId && <span data-node-id={s.nodeId}>{props.nodeTitle(s.nodeId)}</span>}
                <StepFailureNote step={s} />
              </li>
            ))}
          </ol>
        </>
      )}
    </aside>
  );
}
