import { Table, type TableColumnsType } from 'antd';
import { useLocale } from '../../app/i18n.ts';
import { rowAttributes } from '../../app/kit/table.ts';
import { StaffName } from '../../app/StaffName.tsx';
import type { api } from '../../app/server-api.ts';
import { type TaskStatus, taskStatusLabel } from './task-words.ts';

type Counts = Awaited<ReturnType<typeof api.staffTasks.counts.query>>[number];
const COLUMNS: TaskStatus[] = ['open', 'done', 'skipped', 'expired'];

/**
 * Tasks per staff member by status (a team lead's overview). A number opens that staff member's
 * tasks of that status below.
 */
export function StaffCounts(props: {
  counts: Counts[];
  selected: string;
  onSelect: (assignee: string, status: TaskStatus) => void;
}) {
  const { t } = useLocale();
  const columns: TableColumnsType<Counts> = [
    {
      key: 'assignee',
      title: t('team:tasks.staff'),
      render: (_, c) => (
        <strong>
          <StaffName userId={c.assignee} />
        </strong>
      ),
    },
    ...COLUMNS.map((status) => ({
      key: status,
      title: taskStatusLabel(status, t),
      onCell: () => ({ 'data-status': status }) as object,
      render: (_: unknown, c: Counts) => (
        <button type="button" className="link" onClick={() => props.onSelect(c.assignee, status)}>
          {c[status]}
        </button>
      ),
    })),
  ];
  if (props.counts.length === 0) return null;
  return (
    <Table<Counts>
      className="data-table"
      size="small"
      rowKey="assignee"
      columns={columns}
      dataSource={props.counts}
      pagination={false}
      data-testid="staff-counts"
      onRow={(c) => rowAttributes('staff-count-row', { assignee: c.assignee, selected: c.assignee === props.selected })}
    />
  );
}
