import { useState } from 'react';
import { FailureNote } from '../app/FailureNote.tsx';
import { failureText, retryStepQuestion } from '../app/failure-reason.ts';
import { useLocale } from '../app/i18n.ts';
import { customerHref } from '../app/routes.ts';
import { api } from '../app/server-api.ts';
import { usePolling } from '../app/use-polling.ts';
import { useCanEdit } from '../app/use-role.ts';
import { formatTime } from './format.ts';
import { CustomerLink } from './CustomerLink.tsx';

/**
 * Customers whose step failed at this node, each with the reason in words and a way out: a link
 * to the customer's profile when the fix is in their data (a phone number), and a retry for a run that
 * ended here because of the failure. Shown in the node's customer drawer; hidden when none failed.
 */
export function NodeFailures(props: { journeyId: string; nodeId: string }) {
  const { tr, locale } = useLocale();
  const canEdit = useCanEdit();
  const [busy, setBusy] = useState<number>();
  const [note, setNote] = useState('');
  const { data, error, reload } = usePolling(
    () => api.runs.failures.query({ journeyId: props.journeyId, nodeId: props.nodeId, limit: 50 }),
    5_000,
    [props.journeyId, props.nodeId],
  );
  if (!data?.total && !error) return null;
  const retry = (instanceId: number) => {
    if (!confirm(retryStepQuestion(locale))) return;
    setBusy(instanceId);
    setNote('');
    api.runs.retryStep.mutate({ instanceId }).then(
      () => {
        setBusy(undefined);
        setNote(tr('已重试', 'Retried'));
        reload();
      },
      (e: Error) => {
        setBusy(undefined);
        setNote(e.message);
      },
    );
  };
  return (
    <section data-testid="node-failures">
      <h4 className="bad">{tr(`在此失败 ${data?.total ?? 0} 位`, `Failed here: ${data?.total ?? 0}`)}</h4>
      {(error || note) && <p className="field-message">{error || note}</p>}
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
                        {tr('查看客户档案', 'Open the customer profile')}
                      </a>
                    )}
                    {f.retryable && canEdit && (
                      <button
                        type="button"
                        disabled={busy === f.instanceId}
                        onClick={() => retry(f.instanceId)}
                        data-testid="node-failure-retry"
                      >
                        {tr('重试', 'Retry')}
                      </button>
                    )}
                    {!f.retryable && (
                      <span className="muted">
                        {tr('已走失败分支或已处理', 'Took the failure path or already handled')}
                      </span>
                    )}
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
