import { useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { api } from '../app/server-api.ts';
import { usePolling } from '../app/use-polling.ts';
import { useCanEdit } from '../app/use-role.ts';
import { formatTime, providerName } from './format.ts';
import { CustomerLink } from './CustomerLink.tsx';

type Action = 'resend' | 'markSent' | 'skip';

/**
 * Sends at this node whose outcome is unknown (an earlier attempt may have reached the provider and
 * it cannot tell): the customers wait here until an operator resends, marks sent or skips. Shown
 * in the node's customer drawer; hidden when there are none.
 */
export function UnknownOutcomes(props: { journeyId: string; nodeId: string }) {
  const { tr, locale } = useLocale();
  const canEdit = useCanEdit();
  const [busy, setBusy] = useState<number>();
  const [actionError, setActionError] = useState('');
  const { data, error, reload } = usePolling(
    () => api.outcomes.list.query({ journeyId: props.journeyId, nodeId: props.nodeId, limit: 100 }),
    5_000,
    [props.journeyId, props.nodeId],
  );
  if (!data?.length && !error) return null;
  const labels: Record<Action, string> = {
    resend: tr('重发', 'Resend'),
    markSent: tr('标记已发', 'Mark sent'),
    skip: tr('跳过', 'Skip'),
  };
  // Resending may reach the customer twice; skipping moves them on without the message. Both are asked.
  const confirmations: Partial<Record<Action, string>> = {
    resend: tr(
      '重发：之前的短信可能已送达，客户可能收到两次。继续？',
      'Resend: the earlier message may have arrived, so the customer may get it twice. Continue?',
    ),
    skip: tr(
      '跳过：不再发送，客户沿“已跳过”分支继续。继续？',
      'Skip: nothing is sent and the customer takes the "skipped" path. Continue?',
    ),
  };
  const decide = (effectId: number, action: Action) => {
    const question = confirmations[action];
    if (question && !confirm(question)) return;
    setBusy(effectId);
    setActionError('');
    api.outcomes.resolve.mutate({ effectId, action }).then(
      () => {
        setBusy(undefined);
        reload();
      },
      (e: Error) => {
        setBusy(undefined);
        setActionError(e.message);
      },
    );
  };
  return (
    <section data-testid="unknown-outcomes">
      <h4 className="warn">{tr(`发送结果未知 ${data?.length ?? 0} 位`, `Outcome unknown: ${data?.length ?? 0}`)}</h4>
      <p className="muted">
        {tr(
          '之前的发送可能已送达，服务商无法确认。客户停在此节点，等你决定；不会自动重发。',
          'An earlier send may have gone out and the provider cannot tell. These customers wait here for your decision; nothing is resent automatically.',
        )}
      </p>
      {(error || actionError) && <p className="field-message">{error || actionError}</p>}
      <ul className="plain-list">
        {data?.map((o) => (
          <li key={o.effectId} className="plain-item" data-testid="unknown-outcome">
            <CustomerLink customerId={o.customerId} customer={o.customer} />
            <span className="muted">
              {o.message ? ` · ${providerName(o.message.provider, locale)} ${o.message.recipient}` : ''} ·{' '}
              {tr('自', 'since')} {formatTime(o.since, locale)}
            </span>
            {canEdit && (
              <div className="button-row">
                {(['resend', 'markSent', 'skip'] as const).map((action) => (
                  <button
                    key={action}
                    type="button"
                    disabled={busy === o.effectId}
                    onClick={() => decide(o.effectId, action)}
                  >
                    {labels[action]}
                  </button>
                ))}
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
