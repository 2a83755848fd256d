import { useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { customerHref } from '../app/routes.ts';
import { api } from '../app/server-api.ts';
import { usePolling } from '../app/use-polling.ts';
import { formatTime } from './format.ts';
import { GridTable } from './GridTable.tsx';
import { PageNav } from './PageNav.tsx';

/** Customer search (name, id, phone, tag): the way into a profile. */
export function CustomersPage() {
  const { tr, locale } = useLocale();
  const [text, setText] = useState('');
  const [tag, setTag] = useState('');
  const { data, error } = usePolling(
    () => api.customers.search.query({ text: text || undefined, tags: tag ? [tag] : [], limit: 100 }),
    10_000,
    [text, tag],
  );
  return (
    <main className="page" data-testid="customers-page">
      <PageNav current="customers" />
      <header className="page-head">
        <h1>{tr('客户', 'Customers')}</h1>
        <div className="filters">
          <input
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={tr('姓名、客户 id 或手机号', 'Name, customer id or phone')}
            data-testid="customer-search"
          />
          <input value={tag} onChange={(e) => setTag(e.target.value.trim())} placeholder={tr('标签', 'Tag')} />
        </div>
      </header>
      <GridTable
        error={error}
        headings={[
          tr('客户', 'Customer'),
          tr('手机号', 'Phone'),
          tr('标签', 'Tags'),
          tr('渠道', 'Channel'),
          tr('创建时间', 'Created'),
        ]}
      >
        {data?.items.map((c) => (
          <tr key={c.id} onClick={() => (location.hash = customerHref(c.id))} data-testid="customer-row">
            <td>
              <a href={customerHref(c.id)}>{c.displayName || c.id}</a>
            </td>
            <td className="mono">{c.phone ?? '—'}</td>
            <td>
              {c.tags.map((t) => (
                <span className="tag" key={t}>
                  {t}
                </span>
              ))}
            </td>
            <td>{c.channelCode ? `${c.channelCode}${c.variant ? ` / ${c.variant}` : ''}` : '—'}</td>
            <td className="muted">{formatTime(c.createdAt, locale)}</td>
          </tr>
        ))}
      </GridTable>
      {data && <p className="muted">{tr(`共 ${data.total} 位客户`, `${data.total} customer(s)`)}</p>}
    </main>
  );
}
