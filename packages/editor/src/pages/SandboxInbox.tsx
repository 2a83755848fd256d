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

/** Channels whose recipient is an id (WeCom's external userid, the customer's id for a coupon). */
const ID_RECIPIENTS = new Set(['wecom', 'coupon']);

/** "新客承接 · 欢迎语 · 已发送": what is there, joined. */
const listOf = (parts: Array<string | null | undefined | false>) => parts.filter(Boolean).join(' · ');

/**
 * 沙箱消息: every SMS, WeCom message and coupon the sandbox providers recorded, newest first and
 * refreshed every 2 s, so an operator without provider accounts watches a journey work.
 */
export function SandboxInbox({ customerId }: { customerId?: string }) {
  const { t, loc, locale } = useLocale();
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
  // The filtered customer by name: from their messages, else their profile (no messages yet).
  const named = data?.find((m) => m.customerId === customerId && m.customerName)?.customerName;
  const profile = useQuery(
    trpc.customers.get.queryOptions(
      { id: customerId ?? '' },
      { enabled: Boolean(customerId) && data !== undefined && !named, staleTime: 60_000 },
    ),
  ).data;
  const customerName =
    named ||
    profile?.displayName ||
    profile?.identities.find((x) => x.kind === 'phone')?.value ||
    t('pages:customerLink.unnamedCustomer');
  return (
    <main className="page" data-testid="sandbox-inbox">
      <PageNav current="sandbox" />
      <header className="page-head">
        <h1>{t('pages:pageNav.messageSandbox')}</h1>
        <p className="muted">{t('pages:sandboxInbox.withoutSmsWecomOrWechat')}</p>
        <Space wrap className="filters">
          {customerId && (
            <Tag data-testid="inbox-customer" title={customerId}>
              {t('pages:customersPage.customer')} {customerName}{' '}
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
              {/* A phone (SMS) is an address the operator knows; WeCom's external userid and a
                  coupon's customer id are ids, shown on hover only. */}
              {ID_RECIPIENTS.has(m.channel) ? null : <span className="muted mono">→ {m.recipient}</span>}
              <span className="spacer" />
              <span className="muted">{formatTime(m.sentAt, locale)}</span>
            </div>
            <div className="inbox-content">{m.content}</div>
            <div className="muted" data-testid="inbox-origin">
              {listOf([
                m.journeyName,
                m.nodeId && (m.nodeTitle ? loc(m.nodeTitle) : t('pages:customerProfile.aDeletedNode')),
                // A coupon's `sent` is an issued coupon, not a message sent.
                t(`pages:sandboxInbox.status.${m.channel === 'coupon' && m.status === 'sent' ? 'issued' : m.status}`, {
                  defaultValue: m.status,
                }),
              ])}
            </div>
          </li>
        ))}
      </ul>
    </main>
  );
}
