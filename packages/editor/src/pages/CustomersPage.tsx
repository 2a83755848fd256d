import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Input, Table, type TableColumnsType, Tag } from 'antd';
import { useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { errorText, trpc } from '../app/kit/query.ts';
import { pagination, rowAttributes } from '../app/kit/table.ts';
import { customerHref, IMPORT_HREF } from '../app/routes.ts';
import type { api } from '../app/server-api.ts';
import { formatTime } from './format.ts';
import { PageNav } from './PageNav.tsx';

type CustomerItem = Awaited<ReturnType<typeof api.customers.search.query>>['items'][number];

/** Customer search (name, id, phone, tag): the way into a profile. The server pages; refreshed every 10 s. */
export function CustomersPage() {
  const { t, locale } = useLocale();
  const [text, setText] = useState('');
  const [tag, setTag] = useState('');
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const { data, error, isPending } = useQuery(
    trpc.customers.search.queryOptions(
      {
        text: text || undefined,
        tags: tag ? [tag] : [],
        limit: page.pageSize,
        offset: (page.current - 1) * page.pageSize,
      },
      { refetchInterval: 10_000, placeholderData: keepPreviousData },
    ),
  );
  const columns: TableColumnsType<CustomerItem> = [
    {
      key: 'name',
      title: t('pages:customersPage.customer'),
      render: (_, c) => <a href={customerHref(c.id)}>{c.displayName || c.id}</a>,
    },
    { key: 'phone', title: t('pages:customersPage.phone'), className: 'mono', render: (_, c) => c.phone ?? '—' },
    {
      key: 'tags',
      title: t('pages:customerProfile.tags'),
      render: (_, c) =>
        c.tags.map((t) => (
          <Tag key={t} className="tag">
            {t}
          </Tag>
        )),
    },
    {
      key: 'channel',
      title: t('pages:customersPage.channel'),
      render: (_, c) => (c.channelCode ? `${c.channelCode}${c.variant ? ` / ${c.variant}` : ''}` : '—'),
    },
    {
      key: 'createdAt',
      title: t('pages:customersPage.created'),
      className: 'muted',
      render: (_, c) => formatTime(c.createdAt, locale),
    },
  ];
  // A new search starts on its first page.
  const narrow = (set: (value: string) => void) => (value: string) => {
    set(value);
    setPage((p) => ({ ...p, current: 1 }));
  };
  return (
    <main className="page" data-testid="customers-page">
      <PageNav current="customers" />
      <header className="page-head">
        <h1>{t('pages:customersPage.customers')}</h1>
        <div className="filters">
          <Input
            allowClear
            value={text}
            onChange={(e) => narrow(setText)(e.target.value)}
            placeholder={t('pages:customersPage.nameCustomerIdOrPhone')}
            style={{ width: 260 }}
            data-testid="customer-search"
          />
          <Input
            allowClear
            value={tag}
            onChange={(e) => narrow(setTag)(e.target.value.trim())}
            placeholder={t('pages:customersPage.tag')}
            style={{ width: 160 }}
          />
          <Button href={IMPORT_HREF} data-testid="customers-import">
            {t('importer:importCustomers')}
          </Button>
        </div>
      </header>
      {error && <p className="field-message">{errorText(error)}</p>}
      <Table<CustomerItem>
        className="data-table"
        rowKey="id"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={isPending}
        pagination={{
          ...pagination(t),
          current: page.current,
          pageSize: page.pageSize,
          total: data?.total ?? 0,
          onChange: (current, pageSize) => setPage({ current, pageSize }),
        }}
        onRow={(c) =>
          rowAttributes(
            'customer-row',
            {},
            { onClick: () => (location.hash = customerHref(c.id)), style: { cursor: 'pointer' } },
          )
        }
      />
      {data && <p className="muted">{t('pages:customersPage.countCustomers', { count: data.total })}</p>}
    </main>
  );
}
