import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Table, type TableColumnsType, Tag } from 'antd';
import { useLocale } from '../../app/i18n.ts';
import { errorText, trpc } from '../../app/kit/query.ts';
import { rowAttributes } from '../../app/kit/table.ts';
import type { api } from '../../app/server-api.ts';
import { useStaffDirectory } from '../../app/staff-names.ts';
import { formatTime } from '../format.ts';

type Member = Awaited<ReturnType<typeof api.wecom.staff.query>>[number];

/**
 * 企业微信员工: the staff directory the other screens name staff from (a customer's owner, task
 * assignees, live codes, node fields). The server reads it from WeCom at start and every 6 hours;
 * an admin reads it again here after adding someone in WeCom.
 */
export function StaffTab() {
  const { t, locale } = useLocale();
  const queries = useQueryClient();
  const list = useStaffDirectory();
  const sync = useMutation(
    trpc.wecom.syncStaff.mutationOptions({
      onSettled: () => void queries.invalidateQueries(trpc.wecom.staff.queryFilter()),
    }),
  );
  const error = errorText(list.error) || errorText(sync.error);
  const columns: TableColumnsType<Member> = [
    { key: 'name', title: t('team:staff.name'), render: (_, m) => <strong>{m.name}</strong> },
    { key: 'account', title: t('team:staff.account'), render: (_, m) => <span className="mono">{m.userId}</span> },
    {
      key: 'status',
      title: t('team:staff.status'),
      render: (_, m) =>
        m.active ? <Tag color="green">{t('team:staff.active')}</Tag> : <Tag>{t('team:staff.inactive')}</Tag>,
    },
    {
      key: 'synced',
      title: t('team:staff.syncedAt'),
      className: 'muted',
      render: (_, m) => formatTime(m.syncedAt, locale),
    },
  ];
  const result = sync.data;
  return (
    <section data-testid="staff-tab">
      <p className="muted">{t('team:staff.intro')}</p>
      <p>
        <Button type="primary" onClick={() => sync.mutate()} loading={sync.isPending} data-testid="staff-sync">
          {t('team:staff.sync')}
        </Button>
      </p>
      {result && (
        <p role="status" data-testid="staff-sync-result">
          {t('team:staff.synced', {
            listed: result.listed,
            added: result.added,
            renamed: result.renamed,
            deactivated: result.deactivated,
          })}
          {result.unread.length > 0 && ` ${t('team:staff.unread', { count: result.unread.length })}`}
        </p>
      )}
      {error && (
        <p className="field-message" role="alert">
          {error}
        </p>
      )}
      <Table
        rowKey="userId"
        columns={columns}
        dataSource={list.data ?? []}
        loading={list.isLoading}
        pagination={false}
        data-testid="staff-list"
        onRow={(m) => rowAttributes('staff-row', { user: m.userId })}
        locale={{ emptyText: t('team:staff.empty') }}
      />
    </section>
  );
}
