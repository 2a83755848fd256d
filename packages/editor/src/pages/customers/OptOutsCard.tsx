import { Button } from 'antd';
import { useLocale } from '../../app/i18n.ts';
import { useConfirm } from '../../app/kit/use-confirm.ts';
import { api } from '../../app/server-api.ts';
import { useCanEdit } from '../../app/use-role.ts';
import { formatTime } from '../format.ts';
import { optOutReasonText } from './opt-out-reason.ts';

type Profile = Awaited<ReturnType<typeof api.customers.get.query>>;

/**
 * 退订状态: per channel, whether the customer can be messaged, why not and since when. Opting out
 * is one click (the safe way); opting back in asks first, because messaging someone who opted out
 * without their renewed consent is what operators are fined for. Viewers see the state only.
 */
export function OptOutsCard({ profile: c, onChange }: { profile: Profile; onChange: (p: Promise<unknown>) => void }) {
  const { t, locale } = useLocale();
  const canEdit = useCanEdit();
  const confirm = useConfirm();
  const rows = [
    { channel: 'sms' as const, kind: 'phone', label: t('pages:customerProfile.sms') },
    { channel: 'wecom' as const, kind: 'wecomExternalUserId', label: t('pages:customerProfile.wecom') },
  ];
  const setOptOut = (channel: 'sms' | 'wecom', optedOut: boolean) =>
    onChange(api.customers.setOptOut.mutate({ id: c.id, channel, optedOut, reason: 'operator' }));
  return (
    <section className="card" data-testid="profile-optouts">
      <h3>{t('pages:customerProfile.optOuts')}</h3>
      {rows.map((r) => {
        const identity = c.identities.find((id) => id.kind === r.kind);
        const optOut = c.optOuts.find((o) => o.channel === r.channel);
        const reason = optOut ? optOutReasonText(optOut.reason, locale) : '';
        return (
          <div key={r.channel} className="optout-row" data-channel={r.channel}>
            <span>{r.label}</span>
            {!identity ? (
              <span className="muted">{t('pages:customerProfile.noAddress')}</span>
            ) : optOut ? (
              <>
                <span className="pill bad">{t('pages:customerProfile.optedOut')}</span>
                <span className="muted" data-testid="optout-reason">
                  {reason} · {t('pages:customerProfile.optedOutSince', { time: formatTime(optOut.createdAt, locale) })}
                </span>
                {canEdit && (
                  <Button
                    size="small"
                    data-testid="opt-back-in"
                    onClick={async () => {
                      const sure = await confirm({
                        title: t('pages:customerProfile.optBackInTitle', { channel: r.label }),
                        content: t('pages:customerProfile.optBackInQuestion', { reason, channel: r.label }),
                        okText: t('pages:customerProfile.optBackInOk'),
                      });
                      if (sure) setOptOut(r.channel, false);
                    }}
                  >
                    {t('pages:customerProfile.optBackIn')}
                  </Button>
                )}
              </>
            ) : (
              <>
                <span className="pill ok">{t('pages:customerProfile.subscribed')}</span>
                {canEdit && (
                  <Button size="small" data-testid="opt-out" onClick={() => setOptOut(r.channel, true)}>
                    {t('pages:customerProfile.optOut')}
                  </Button>
                )}
              </>
            )}
          </div>
        );
      })}
    </section>
  );
}
