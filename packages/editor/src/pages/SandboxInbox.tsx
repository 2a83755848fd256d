import { useQuery } from '@tanstack/react-query';
import { Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { errorText, trpc } from '../app/kit/query.ts';
import { registry } from '../app/registry.ts';
import { customerHref, sandboxHref } from '../app/routes.ts';
import { channelName } from './channel-name.ts';
import { formatTime } from './format.ts';
import { PageNav } from './PageNav.tsx';
import { SimulateContact } from './SimulateContact.tsx';

type Channel = 'sms' | 'wecom' | 'coupon';

/**
 * 沙箱消息: every SMS, WeCom message and coupon the sandbox providers recorded, newest first and
 * refreshed every 2 s, so an operator without provider accounts watches a journey work.
 */
export function SandboxInbox({ customerId }: { customerId?: string }) {
  const { t, locale } = useLocale();
  const [channel, setChannel] = useState<Channel | ''>('');
  const messages = useQuery(
    trpc.sandbox.messages.queryOptions(
      { customerId, channel: channel || undefined, limit: 200 },
      { refetchInterval: 2_000 },
    ),
  );
  const { data } = messages;
  const error = errorText(messages.error);
  const reload = () => void messages.refetch();
  return (
    <main className="page" data-testid="sandbox-inbox">
      <PageNav current="sandbox" />
      <header className="page-head">
        <h1>{t('pages:pageNav.messageSandbox')}</h1>
        <p className="muted">{t('pages:sandboxInbox.withoutSmsWecomOrWechat')}</p>
        <Space wrap className="filters">
          {customerId && (
            <Tag data-testid="inbox-customer">
              {t('pages:customersPage.customer')} {customerId}{' '}
              <a href={sandboxHref()} title={t('pages:sandboxInbox.allCustomers')}>
                ×
              </a>
            </Tag>
          )}
          <Select<Channel | ''>
            className="inbox-channel"
            value={channel}
            onChange={setChannel}
            data-testid="inbox-channel"
            options={[
              { value: '', label: t('pages:sandboxInbox.allChannels') },
              ...(['sms', 'wecom', 'coupon'] as const).map((c) => ({
                value: c,
                label: channelName(c, locale, registry.packages),
              })),
            ]}
          />
          <Typography.Text type="secondary">{t('pages:sandboxInbox.refreshesEvery2S')}</Typography.Text>
        </Space>
      </header>
      <SimulateContact onDone={reload} />
      {error && <p className="field-message">{error}</p>}
      {data && data.length === 0 && <p className="muted empty">{t('pages:sandboxInbox.noMessagesYet')}</p>}
      <ul className="inbox" data-testid="inbox-list">
        {data?.map((m) => (
          <li
            key={m.key}
            className={`inbox-item channel-${m.channel}`}
            data-testid="inbox-item"
            data-channel={m.channel}
          >
            <div className="inbox-meta">
              <span className={`pill channel-${m.channel}`}>{channelName(m.channel, locale, registry.packages)}</span>
              {m.customerId ? (
                <a href={customerHref(m.customerId)}>{m.customerName || m.customerId}</a>
              ) : (
                <span>{m.recipient}</span>
              )}
              <span className="muted mono">→ {m.recipient}</span>
              <span className="spacer" />
              <span className="muted">{formatTime(m.sentAt, locale)}</span>
            </div>
            <div className="inbox-content">{m.content}</div>
            <div className="muted">
              {m.journeyName ?? m.journeyId ?? ''}
              {m.nodeId ? ` · ${m.nodeId}` : ''} · {m.status}
            </div>
          </li>
        ))}
      </ul>
    </main>
  );
}
