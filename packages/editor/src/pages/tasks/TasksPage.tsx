import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Input, Modal, Select, Table, type TableColumnsType, Tag } from 'antd';
import { useState } from 'react';
import { useLocale } from '../../app/i18n.ts';
import { errorText, trpc } from '../../app/kit/query.ts';
import { pagination, rowAttributes } from '../../app/kit/table.ts';
import { customerHref } from '../../app/routes.ts';
import { StaffName } from '../../app/StaffName.tsx';
import type { api } from '../../app/server-api.ts';
import { useStaffNames } from '../../app/staff-names.ts';
import { useCanEdit } from '../../app/use-role.ts';
import { formatTime } from '../format.ts';
import { PageNav } from '../PageNav.tsx';
import { StaffCounts } from './StaffCounts.tsx';
import { type TaskStatus, taskStatusLabel } from './task-words.ts';

type Task = Awaited<ReturnType<typeof api.staffTasks.list.query>>['tasks'][number];
const STATUSES: TaskStatus[] = ['open', 'expired', 'done', 'skipped'];
const STATUS_COLORS: Record<TaskStatus, string> = {
  open: 'blue',
  expired: 'default',
  done: 'green',
  skipped: 'orange',
};

/**
 * 员工任务 (SOP): what journeys asked staff to do for a customer (call them, send a coupon by hand),
 * by staff member and status, with the counts per staff member. Staff mark a task done, or skip it
 * saying why; either moves the waiting customer on in their journey.
 */
export function TasksPage() {
  const { t, loc, locale } = useLocale();
  const canEdit = useCanEdit();
  const queries = useQueryClient();
  const [assignee, setAssignee] = useState('');
  const [status, setStatus] = useState<TaskStatus | ''>('open');
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [skipping, setSkipping] = useState<Task>();
  const counts = useQuery(trpc.staffTasks.counts.queryOptions());
  const staffName = useStaffNames();
  const list = useQuery(
    trpc.staffTasks.list.queryOptions(
      {
        assignee: assignee || undefined,
        status: status || undefined,
        page: page.current,
        pageSize: page.pageSize,
      },
      { placeholderData: keepPreviousData },
    ),
  );
  const reload = () => {
    void queries.invalidateQueries(trpc.staffTasks.list.queryFilter());
    void queries.invalidateQueries(trpc.staffTasks.counts.queryFilter());
  };
  const complete = useMutation(trpc.staffTasks.complete.mutationOptions({ onSettled: reload }));
  const error = errorText(counts.error) || errorText(list.error) || errorText(complete.error);
  // A narrower filter starts on its first page.
  const filter =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setPage((p) => ({ ...p, current: 1 }));
    };

  const columns: TableColumnsType<Task> = [
    {
      key: 'task',
      title: t('team:tasks.task'),
      render: (_, task) => (
        <>
          <strong>{task.title}</strong>
          {task.body && <div className="muted">{task.body}</div>}
        </>
      ),
    },
    {
      key: 'customer',
      title: t('team:tasks.customer'),
      render: (_, task) => (
        <a href={customerHref(task.customerId)} data-testid="task-customer">
          {task.customerName || t('team:tasks.unnamedCustomer')}
        </a>
      ),
    },
    {
      key: 'journey',
      title: t('team:tasks.journeyStep'),
      render: (_, task) =>
        [task.journeyName ?? t('team:tasks.journeyGone'), task.nodeTitle ? loc(task.nodeTitle) : null]
          .filter(Boolean)
          .join(' · '),
    },
    { key: 'assignee', title: t('team:tasks.staff'), render: (_, task) => <StaffName userId={task.assignee} /> },
    {
      key: 'due',
      title: t('team:tasks.due'),
      className: 'muted',
      render: (_, task) => formatTime(task.dueAt, locale),
    },
    {
      key: 'status',
      title: t('team:tasks.status'),
      render: (_, task) => (
        <>
          <Tag color={STATUS_COLORS[task.status]}>{taskStatusLabel(task.status, t)}</Tag>
          {task.doneAt && <span className="muted">{formatTime(task.doneAt, locale)}</span>}
          {task.note && <div data-testid="task-note">{task.note}</div>}
        </>
      ),
    },
  ];
  if (canEdit)
    columns.push({
      key: 'actions',
      render: (_, task) =>
        task.status === 'open' && (
          <>
            <Button
              type="link"
              size="small"
              loading={complete.isPending && complete.variables?.id === task.id}
              onClick={() => complete.mutate({ id: task.id })}
              data-testid="task-complete"
            >
              {t('team:tasks.complete')}
            </Button>
            <Button type="link" size="small" onClick={() => setSkipping(task)} data-testid="task-skip">
              {t('team:tasks.skip')}
            </Button>
          </>
        ),
    });
  const staff = (counts.data ?? []).map((c) => c.assignee);
  return (
    <main className="page" data-testid="tasks-page">
      <PageNav current="tasks" />
      <header className="page-head">
        <h1>{t('team:tasks.title')}</h1>
        <p className="muted">{t('team:tasks.intro')}</p>
      </header>
      {error && (
        <p className="field-message" role="alert">
          {error}
        </p>
      )}
      <StaffCounts
        counts={counts.data ?? []}
        selected={assignee}
        onSelect={(who, s) => {
          filter(setAssignee)(who);
          setStatus(s);
        }}
      />
      <div className="filters">
        <Select
          value={assignee}
          onChange={filter(setAssignee)}
          aria-label={t('team:tasks.staff')}
          data-testid="tasks-staff"
          style={{ minWidth: 160 }}
          options={[
            { value: '', label: t('team:tasks.allStaff') },
            ...staff.map((s) => ({ value: s, label: staffName(s).name })),
          ]}
        />
        <Select
          value={status}
          onChange={filter(setStatus)}
          aria-label={t('team:tasks.status')}
          data-testid="tasks-status"
          style={{ minWidth: 140 }}
          options={[
            { value: '', label: t('team:tasks.allStatuses') },
            ...STATUSES.map((s) => ({ value: s, label: taskStatusLabel(s, t) })),
          ]}
        />
      </div>
      <Table<Task>
        className="data-table"
        rowKey="id"
        columns={columns}
        dataSource={list.data?.tasks ?? []}
        loading={list.isPending}
        locale={{ emptyText: <span className="muted">{t('team:tasks.none')}</span> }}
        pagination={{
          ...pagination(t),
          current: page.current,
          pageSize: page.pageSize,
          total: list.data?.total ?? 0,
          onChange: (current, pageSize) => setPage({ current, pageSize }),
        }}
        onRow={(task) => rowAttributes('task-row', { customer: task.customerName ?? '', status: task.status })}
      />
      {skipping && (
        <SkipTask
          task={skipping}
          onClose={() => setSkipping(undefined)}
          onSkipped={() => {
            setSkipping(undefined);
            reload();
          }}
        />
      )}
    </main>
  );
}

/** Skipping needs a reason (the team lead reads it): the customer goes on by the journey's "expired" path now. */
function SkipTask(props: { task: Task; onClose: () => void; onSkipped: () => void }) {
  const { t } = useLocale();
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const skip = useMutation(trpc.staffTasks.skip.mutationOptions({ onSuccess: props.onSkipped }));
  return (
    <Modal
      open
      title={t('team:tasks.skipTitle', { task: props.task.title, customer: props.task.customerName ?? '' })}
      okText={t('team:tasks.skip')}
      cancelText={t('team:tasks.cancel')}
      confirmLoading={skip.isPending}
      onCancel={props.onClose}
      okButtonProps={{ 'data-testid': 'task-skip-confirm' } as never}
      onOk={() => {
        if (!note.trim()) return setMissing(true);
        skip.mutate({ id: props.task.id, note: note.trim() });
      }}
    >
      <p className="muted">{t('team:tasks.skipExplained')}</p>
      <Input.TextArea
        value={note}
        maxLength={500}
        rows={3}
        status={missing ? 'error' : undefined}
        placeholder={t('team:tasks.notePlaceholder')}
        onChange={(e) => {
          setNote(e.target.value);
          setMissing(false);
        }}
        data-testid="task-skip-note"
      />
      {(missing || skip.error) && (
        <p className="field-message" role="alert">
          {missing ? t('team:tasks.noteRequired') : errorText(skip.error)}
        </p>
      )}
    </Modal>
  );
}
