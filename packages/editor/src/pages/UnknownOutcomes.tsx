import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Space } from 'antd';
import { useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { errorText, trpc } from '../app/kit/query.ts';
import { useConfirm } from '../app/kit/use-confirm.ts';
import { useCanEdit } from '../app/use-role.ts';
import { CustomerLink } from './CustomerLink.tsx';
import { formatTime, providerName } from './format.ts';

type Action = 'resend' | 'markSent' | 'skip';

/**
 * Sends at this node whose outcome is unknown (an earlier attempt may have reached the provider and
 * it cannot tell): the customers wait here until an operator resends, marks sent or skips. Shown
 * in the node's customer drawer; hidden when there are none. Refreshed every 5 s.
 */
export function UnknownOutcomes(props: { journeyId: string; nodeId: string }) {
  const { tr, locale } = useLocale();
  const canEdit = useCanEdit();
  const confirm = useConfirm();
  const queries = useQueryClient();
  const [busy, setBusy] = useState<number>();
  const { data, error } = useQuery(
    trpc.outcomes.list.queryOptions(
      { journeyId: props.journeyId, nodeId: props.nodeId, limit: 100 },
      { refetchInterval: 5_000 },
    ),
  );
  const resolve = useMutation(
    trpc.outcomes.resolve.mutationOptions({
      onSettled: () => {
        setBusy(undefined);
        void queries.invalidateQueries(trpc.outcomes.list.pathFilter());
      },
    }),
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
  const decide = async (effectId: number, action: Action) => {
    const question = confirmations[action];
    if (question && !(await confirm({ title: labels[action], content: question, okText: labels[action] }))) return;
    setBusy(effectId);
    resolve.mutate({ effectId, action });
  };
  const shownError = errorText(error) || errorText(resolve.error);
  return (
    <section data-testid="unknown-outcomes">
      <h4 className="warn">{tr(`发送结果未知 ${data?.length ?? 0} 位`, `Outcome unknown: ${data?.length ?? 0}`)}</h4>
      <p className="muted">
        {tr(
          '之前的发送可能已送达，服务商无法确认。客户停在此节点，等你决定；不会自动重发。',
          'An earlier send may have gone out and the provider cannot tell. These customers wait here for your decision; nothing is resent automatically.',
        )}
      </p>
      {shownError && <p className="field-message">{shownError}</p>}
      <ul className="plain-list">
        {data?.map((o) => (
          <li key={o.effectId} className="plain-item" data-testid="unknown-outcome">
            <CustomerLink customerId={o.customerId} customer={o.customer} />
            <span className="muted">
              {o.message ? ` · ${providerName(o.message.provider, locale)} ${o.message.recipient}` : ''} ·{' '}
              {tr('自', 'since')} {formatTime(o.since, locale)}
            </span>
            {canEdit && (
              <Space size="small" className="button-row">
                {(['resend', 'markSent', 'skip'] as const).map((action) => (
                  <Button
                    key={action}
                    size="small"
                    disabled={busy === o.effectId}
                    onClick={() => void decide(o.effectId, action)}
                  >
                    {labels[action]}
                  </Button>
                ))}
              </Space>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
