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
  const { t, locale } = useLocale();
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
    resend: t('pages:unknownOutcomes.resend'),
    markSent: t('pages:unknownOutcomes.markSent'),
    skip: t('pages:unknownOutcomes.skip'),
  };
  // Resending may reach the customer twice; skipping moves them on without the message. Both are asked.
  const confirmations: Partial<Record<Action, string>> = {
    resend: t('pages:unknownOutcomes.resendTheEarlierMessageMay'),
    skip: t('pages:unknownOutcomes.skipNothingIsSentAnd'),
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
      <h4 className="warn">{t('pages:unknownOutcomes.outcomeUnknownLength', { length: data?.length ?? 0 })}</h4>
      <p className="muted">{t('pages:unknownOutcomes.anEarlierSendMayHave')}</p>
      {shownError && <p className="field-message">{shownError}</p>}
      <ul className="plain-list">
        {data?.map((o) => (
          <li key={o.effectId} className="plain-item" data-testid="unknown-outcome">
            <CustomerLink customerId={o.customerId} customer={o.customer} />
            <span className="muted">
              {o.message ? ` · ${providerName(o.message.provider, locale)} ${o.message.recipient}` : ''} ·{' '}
              {t('pages:unknownOutcomes.since')} {formatTime(o.since, locale)}
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
