import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button } from 'antd';
import { useState } from 'react';
import { FailureNote } from '../app/FailureNote.tsx';
import { failureText, retryStepQuestion } from '../app/failure-reason.ts';
import { useLocale } from '../app/i18n.ts';
import { errorText, trpc } from '../app/kit/query.ts';
import { useConfirm } from '../app/kit/use-confirm.ts';
import { customerHref } from '../app/routes.ts';
import { useCanEdit } from '../app/use-role.ts';
import { CustomerLink } from './CustomerLink.tsx';
import { formatTime } from './format.ts';

/**
 * Customers whose step failed at this node, each with the reason in words and a way out: a link
 * to the customer's profile when the fix is in their data (a phone number), and a retry for a run that
 * ended here because of the failure. Shown in the node's customer drawer; hidden when none failed.
 */
export function NodeFailures(props: { journeyId: string; nodeId: string }) {
  const { t, locale } = useLocale();
  const canEdit = useCanEdit();
  const [busy, setBusy] = useState<number>();
  const confirm = useConfirm();
  const { message } = App.useApp();
  const queries = useQueryClient();
  const failures = useQuery(
    trpc.runs.failures.queryOptions(
      { journeyId: props.journeyId, nodeId: props.nodeId, limit: 50 },
      { refetchInterval: 5_000 },
    ),
  );
  const retryStep = useMutation(
    trpc.runs.retryStep.mutationOptions({
      onSuccess: () => void message.success(t('pages:nodeFailures.retried')),
      onSettled: () => {
        setBusy(undefined);
        void queries.invalidateQueries(trpc.runs.pathFilter());
      },
    }),
  );
  const { data } = failures;
  const error = errorText(failures.error) || errorText(retryStep.error);
  if (!data?.total && !error) return null;
  const retry = async (instanceId: number) => {
    const question = retryStepQuestion(locale);
    if (
      !(await confirm({
        title: t('pages:nodeFailures.retryThisStep'),
        content: question,
        okText: t('pages:customerProfile.retry'),
      }))
    )
      return;
    setBusy(instanceId);
    retryStep.mutate({ instanceId });
  };
  return (
    <section data-testid="node-failures">
      <h4 className="bad">{t('pages:nodeFailures.failedHereTotal', { total: data?.total ?? 0 })}</h4>
      {error && <p className="field-message">{error}</p>}
      <ul className="plain-list">
        {data?.items.map((f) => {
          const failure = { ...(f.code ? { code: f.code } : {}), ...(f.error ? { error: f.error } : {}) };
          const onProfile = failureText(failure, locale).fixOnProfile;
          return (
            <li key={f.instanceId} className="plain-item" data-testid="node-failure">
              <CustomerLink customerId={f.customerId} customer={f.customer} />
              <span className="muted"> · {formatTime(f.at, locale)}</span>
              <FailureNote
                failure={failure}
                action={
                  <span className="button-row">
                    {onProfile && (
                      <a href={customerHref(f.customerId)} data-testid="node-failure-fix">
                        {t('pages:nodeFailures.openTheCustomerProfile')}
                      </a>
                    )}
                    {f.retryable && canEdit && (
                      <Button
                        size="small"
                        disabled={busy === f.instanceId}
                        onClick={() => void retry(f.instanceId)}
                        data-testid="node-failure-retry"
                      >
                        {t('pages:customerProfile.retry')}
                      </Button>
                    )}
                    {!f.retryable && <span className="muted">{t('pages:nodeFailures.tookTheFailurePathOr')}</span>}
                  </span>
                }
              />
            </li>
          );
        })}
      </ul>
    </section>
  );
}
