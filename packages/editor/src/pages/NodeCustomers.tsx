import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Pagination } from 'antd';
import { useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { errorText, trpc } from '../app/kit/query.ts';
import { CustomerLink } from './CustomerLink.tsx';
import { formatTime } from './format.ts';
import { NodeFailures } from './NodeFailures.tsx';
import { UnknownOutcomes } from './UnknownOutcomes.tsx';

const PAGE = 20;

/** The customers now at one node of a live journey, 20 per page, refreshed every 5 s. */
export function NodeCustomers(props: { journeyId: string; nodeId: string; nodeTitle: string; onClose: () => void }) {
  const { t, locale } = useLocale();
  const [offset, setOffset] = useState(0);
  const instances = useQuery(
    trpc.runs.instances.queryOptions(
      { journeyId: props.journeyId, nodeId: props.nodeId, status: 'active', limit: PAGE, offset },
      { refetchInterval: 5_000, placeholderData: keepPreviousData },
    ),
  );
  const { data } = instances;
  const error = errorText(instances.error);
  const total = data?.total ?? 0;
  return (
    <aside className="inspector" data-testid="node-customers">
      <header className="panel-head">
        <h3>
          {t('pages:nodeCustomers.customersAtNode')} · {props.nodeTitle}
        </h3>
        <span className="spacer" />
        <button type="button" className="link" onClick={props.onClose}>
          {t('pages:nodeCustomers.close')}
        </button>
      </header>
      {error && <p className="field-message">{error}</p>}
      <UnknownOutcomes journeyId={props.journeyId} nodeId={props.nodeId} />
      <NodeFailures journeyId={props.journeyId} nodeId={props.nodeId} />
      <p className="muted" data-testid="node-customers-total">
        {t('pages:nodeCustomers.atThisNodeNowTotal', { total })}
      </p>
      <ul className="plain-list">
        {data?.items.map((run) => (
          <li key={run.id} className="plain-item" data-testid="node-customer">
            <CustomerLink customerId={run.customerId} customer={run.customer} />
            <span className="muted">
              {' '}
              · {t('pages:nodeCustomers.entered')} {formatTime(run.enteredAt, locale)}
              {run.waitingFor ? ` · ${t('pages:nodeCustomers.waitingFor')} ${run.waitingFor}` : ''}
            </span>
            {run.retry && (
              <div className="retry-note" data-testid="node-customer-retry">
                {run.retry.held
                  ? t('pages:nodeCustomers.attemptAttemptsFailedRetriedWhen', { attempts: run.retry.attempts })
                  : t('pages:nodeCustomers.attemptAttemptsFailedNextTry', {
                      attempts: run.retry.attempts,
                      formatTime: formatTime(run.retry.nextAttemptAt, locale),
                    })}
                {run.retry.lastError ? ` · ${run.retry.lastError}` : ''}
              </div>
            )}
          </li>
        ))}
      </ul>
      {total > PAGE && (
        <Pagination
          size="small"
          simple
          current={offset / PAGE + 1}
          pageSize={PAGE}
          total={total}
          onChange={(current) => setOffset((current - 1) * PAGE)}
        />
      )}
    </aside>
  );
}
