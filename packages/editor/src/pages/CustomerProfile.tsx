import { useQuery } from '@tanstack/react-query';
import { Button } from 'antd';
import { StepFailureNote } from '../app/FailureNote.tsx';
import { retryStepQuestion } from '../app/failure-reason.ts';
import { useLocale } from '../app/i18n.ts';
import { StoppedStepNote } from '../app/journeys/StoppedStepNote.tsx';
import { errorText, trpc, useErrorText } from '../app/kit/query.ts';
import { useConfirm } from '../app/kit/use-confirm.ts';
import { listText } from '../app/list-format.ts';
import { CUSTOMERS_HREF, sandboxHref } from '../app/routes.ts';
import { StaffName } from '../app/StaffName.tsx';
import { api } from '../app/server-api.ts';
import { stepKindText } from '../app/step-kinds.ts';
import { forgetExistingTags, TagPicker } from '../app/TagPicker.tsx';
import { useCanEdit } from '../app/use-role.ts';
import { channelVariantName } from '../channels/model.ts';
import { OptOutsCard } from './customers/OptOutsCard.tsx';
import { formatTime } from './format.ts';
import { PageNav } from './PageNav.tsx';
import { tagOrigin } from './tag-origin.ts';

/** 客户档案: who the customer is, their tags, opt-outs and every step of every journey they were in. */
export function CustomerProfile({ customerId }: { customerId: string }) {
  const { t, loc, locale } = useLocale();
  const canEdit = useCanEdit();
  const confirm = useConfirm();
  const profile = useQuery(trpc.customers.get.queryOptions({ id: customerId }, { refetchInterval: 5_000 }));
  const c = profile.data;
  const error = errorText(profile.error);
  const reload = () => void profile.refetch();
  const [actionError, setActionError] = useErrorText();
  const act = (p: Promise<unknown>) =>
    p.then(
      () => {
        setActionError('');
        forgetExistingTags();
        reload();
      },
      (e: Error) => setActionError(e),
    );
  return (
    <main className="page" data-testid="customer-profile">
      <PageNav current="customers" />
      <a href={CUSTOMERS_HREF} className="muted">
        ← {t('pages:customerProfile.allCustomers')}
      </a>
      {error && <p className="field-message">{error}</p>}
      {c && (
        <>
          <header className="page-head">
            {/* The id is for support (hover shows it), not for the marketer's eye. */}
            <h1 data-testid="customer-name" title={`${t('pages:customerProfile.customerId')}: ${c.id}`}>
              {c.displayName ||
                c.identities.find((x) => x.kind === 'phone')?.value ||
                t('pages:customerLink.unnamedCustomer')}
            </h1>
            {c.erasedAt && <p className="warn">{t('pages:customerProfile.thisCustomerWasErased')}</p>}
            <a href={sandboxHref(c.id)} data-testid="customer-inbox-link">
              {t('pages:customerProfile.messagesInTheSandbox')} →
            </a>
          </header>
          {actionError && <p className="field-message">{actionError}</p>}
          <div className="profile-grid">
            <section className="card">
              <h3>{t('pages:customerProfile.tags')}</h3>
              <TagPicker
                testId="profile-tags"
                value={c.tags.map((t) => t.tag)}
                onAdd={(tag) => act(api.customers.updateTags.mutate({ id: c.id, add: [tag], remove: [] }))}
                onRemove={(tag) => act(api.customers.updateTags.mutate({ id: c.id, add: [], remove: [tag] }))}
              />
              <p className="muted" data-testid="profile-tag-origins">
                {listText(
                  c.tags.map((tag) => {
                    const origin = tagOrigin(
                      tag.source,
                      (id) => c.instances.find((r) => r.journeyId === id)?.journey.name,
                      locale,
                    );
                    return t('pages:customerProfile.tagOrigin', { tag: tag.tag, origin });
                  }),
                  locale,
                )}
              </p>
            </section>
            <section className="card">
              <h3>{t('pages:customerProfile.channelAndIdentities')}</h3>
              <dl className="facts">
                <dt>{t('pages:customerProfile.channel')}</dt>
                <dd data-testid="profile-channel">
                  {c.channelCode ? [c.channelName, c.channelCode].filter(Boolean).join(' · ') : '—'}
                </dd>
                <dt>{t('pages:customerProfile.variant')}</dt>
                <dd>{c.variant ? channelVariantName(c.variant, locale) : '—'}</dd>
                <dt>{t('pages:customerProfile.owner')}</dt>
                <dd data-testid="profile-owner">{c.ownerUserId ? <StaffName userId={c.ownerUserId} /> : '—'}</dd>
                {c.identities.map((id) => (
                  <Fact
                    key={`${id.kind}:${id.value}`}
                    label={t(`pages:customerProfile.identityKinds.${id.kind}`, { defaultValue: id.kind })}
                    value={id.value}
                    opaque={OPAQUE_IDENTITY_KINDS.has(id.kind)}
                  />
                ))}
              </dl>
            </section>
            <OptOutsCard profile={c} onChange={act} />
            <section className="card">
              <h3>{t('pages:customerProfile.attributes')}</h3>
              {Object.keys(c.attributes).length === 0 ? (
                <p className="muted">{t('pages:customerProfile.noAttributes')}</p>
              ) : (
                <dl className="facts" data-testid="profile-attributes">
                  {Object.entries(c.attributes).map(([k, v]) => (
                    <Fact key={k} label={k} value={typeof v === 'string' ? v : JSON.stringify(v)} />
                  ))}
                </dl>
              )}
            </section>
          </div>
          <section className="card">
            <h3>{t('pages:customerProfile.journeyTimeline')}</h3>
            {c.instances.length === 0 && <p className="muted">{t('pages:customerProfile.notInAnyJourneyYet')}</p>}
            {c.instances.map((run) => (
              <div key={run.id} className="timeline-run" data-testid="timeline-run">
                <div className="timeline-head">
                  <strong>{run.journey.name}</strong>
                  <span className={`pill ${run.status}`}>
                    {t(`pages:customerProfile.runStatus.${run.status}`, { defaultValue: run.status })}
                  </span>
                  {run.holdout && <span className="pill">{t('pages:customerProfile.holdout')}</span>}
                  {run.exitReason === 'stopped' && (
                    <span className="pill stopped">{t('pages:customerProfile.journeyStopped')}</span>
                  )}
                  {run.nodeId && run.status === 'active' && (
                    <span className="muted">
                      {t('pages:customerProfile.at')}{' '}
                      {run.nodeTitle ? loc(run.nodeTitle) : t('pages:customerProfile.aDeletedNode')}
                    </span>
                  )}
                  <span className="muted">{formatTime(run.enteredAt, locale)}</span>
                  {canEdit &&
                    run.nodeId &&
                    run.status === 'exited' &&
                    run.exitReason === `effectFailed:${run.nodeId}` && (
                      // The run ended because a send failed here: once fixed (a phone added above), retry it.
                      <Button
                        size="small"
                        onClick={async () => {
                          const sure = await confirm({
                            title: t('pages:customerProfile.retryTheFailedStep'),
                            content: retryStepQuestion(locale),
                            okText: t('pages:customerProfile.retry'),
                          });
                          if (sure) act(api.runs.retryStep.mutate({ instanceId: run.id }));
                        }}
                        data-testid="profile-retry"
                      >
                        {t('pages:customerProfile.retryTheFailedStep2')}
                      </Button>
                    )}
                </div>
                <ol className="timeline">
                  {c.timeline
                    .filter((step) => step.instanceId === run.id)
                    .map((step, n) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: steps have no id of their own here
                      <li key={n} className={`step-${step.kind}`}>
                        <span className="muted">{formatTime(step.at, locale)}</span> {stepKindText(step.kind, locale)}
                        {step.nodeId && (
                          <span data-node-id={step.nodeId}>
                            {' '}
                            {step.nodeTitle ? loc(step.nodeTitle) : t('pages:customerProfile.aDeletedNode')}
                          </span>
                        )}
                        {step.port && step.portLabel && <span className="muted"> ({loc(step.portLabel)})</span>}
                        <StepFailureNote step={step} />
                        <StoppedStepNote step={step} />
                      </li>
                    ))}
                </ol>
              </div>
            ))}
          </section>
        </>
      )}
    </main>
  );
}

/**
 * Identities that are a platform's opaque id (WeCom's external userid, WeChat's OpenID/UnionID):
 * the profile says the customer is linked there, with the id on hover for support. A phone or the
 * brand's own member id is something an operator reads and searches by: shown as it is.
 */
const OPAQUE_IDENTITY_KINDS = new Set(['wecomExternalUserId', 'openid', 'unionid']);

function Fact({ label, value, opaque = false }: { label: string; value: string; opaque?: boolean }) {
  const { t } = useLocale();
  return (
    <>
      <dt>{label}</dt>
      {opaque ? (
        <dd title={value} data-testid="identity-linked">
          {t('pages:customerProfile.linked')}
        </dd>
      ) : (
        <dd className="mono">{value}</dd>
      )}
    </>
  );
}
