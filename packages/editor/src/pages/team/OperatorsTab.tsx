import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, Modal, Select, Table, type TableColumnsType, Tag } from 'antd';
import { useState } from 'react';
import { useLocale } from '../../app/i18n.ts';
import { errorText, trpc } from '../../app/kit/query.ts';
import { rowAttributes } from '../../app/kit/table.ts';
import { useConfirm } from '../../app/kit/use-confirm.ts';
import { setPasswordUrl } from '../../app/routes.ts';
import type { api } from '../../app/server-api.ts';
import { formErrors } from '../../channels/model.ts';
import { formatTime } from '../format.ts';
import { ShownOnce } from './ShownOnce.tsx';
import { roleHelp, roleLabel } from './team-words.ts';

type Operator = Awaited<ReturnType<typeof api.operators.list.query>>[number];
const ROLES = ['admin', 'operator', 'viewer'] as const;

/**
 * 操作员: who may sign in and what each may do. A new colleague gets a one-time set-password link
 * (shown once, to send them); roles change in place; disabling ends their sessions at once.
 */
export function OperatorsTab() {
  const { t, locale } = useLocale();
  const queries = useQueryClient();
  const confirm = useConfirm();
  const me = useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: 60_000 })).data;
  const list = useQuery(trpc.operators.list.queryOptions());
  const reload = () => void queries.invalidateQueries(trpc.operators.list.queryFilter());
  const update = useMutation(trpc.operators.update.mutationOptions({ onSettled: reload }));
  const invite = useMutation(trpc.operators.invite.mutationOptions({ onSuccess: reload }));
  const [creating, setCreating] = useState(false);
  /** The link just made, shown once (with whom it is for). */
  const [link, setLink] = useState<{ name: string; url: string }>();
  const error = errorText(list.error) || errorText(update.error) || errorText(invite.error);

  const setDisabled = async (o: Operator, disabled: boolean) => {
    if (
      disabled &&
      !(await confirm({
        title: t('team:operators.disableTitle', { name: o.displayName }),
        content: t('team:operators.disableContent'),
        okText: t('team:operators.disable'),
        danger: true,
      }))
    )
      return;
    update.mutate({ id: o.id, disabled });
  };
  const newLink = (o: Operator) =>
    invite.mutate({ id: o.id }, { onSuccess: (r) => setLink({ name: o.displayName, url: setPasswordUrl(r.token) }) });

  const columns: TableColumnsType<Operator> = [
    {
      key: 'name',
      title: t('team:operators.name'),
      render: (_, o) => (
        <>
          <strong>{o.displayName}</strong> <span className="muted">{o.username}</span>
        </>
      ),
    },
    {
      key: 'role',
      title: t('team:operators.role'),
      render: (_, o) =>
        // Your own role is not yours to lower (the server refuses it too).
        o.id === me?.id ? (
          roleLabel(o.role, t)
        ) : (
          <Select
            size="small"
            value={o.role as (typeof ROLES)[number]}
            style={{ width: 120 }}
            aria-label={t('team:operators.role')}
            data-testid="operator-role"
            onChange={(role) => update.mutate({ id: o.id, role })}
            options={ROLES.map((r) => ({ value: r, label: roleLabel(r, t) }))}
          />
        ),
    },
    {
      key: 'status',
      title: t('team:operators.status'),
      render: (_, o) =>
        o.disabledAt ? (
          <Tag color="red">{t('team:operators.disabled')}</Tag>
        ) : o.inviteExpiresAt ? (
          <Tag color="gold">{t('team:operators.invitedUntil', { time: formatTime(o.inviteExpiresAt, locale) })}</Tag>
        ) : (
          <Tag color="green">{t('team:operators.active')}</Tag>
        ),
    },
    {
      key: 'created',
      title: t('team:operators.created'),
      className: 'muted',
      render: (_, o) => formatTime(o.createdAt, locale),
    },
    {
      key: 'actions',
      render: (_, o) =>
        o.id === me?.id ? (
          <span className="muted">{t('team:operators.you')}</span>
        ) : (
          <>
            {!o.disabledAt && (
              <Button type="link" size="small" onClick={() => newLink(o)} data-testid="operator-new-link">
                {t('team:operators.newLink')}
              </Button>
            )}
            {o.disabledAt ? (
              <Button type="link" size="small" onClick={() => void setDisabled(o, false)} data-testid="operator-enable">
                {t('team:operators.enable')}
              </Button>
            ) : (
              <Button
                type="link"
                size="small"
                danger
                onClick={() => void setDisabled(o, true)}
                data-testid="operator-disable"
              >
                {t('team:operators.disable')}
              </Button>
            )}
          </>
        ),
    },
  ];
  return (
    <section data-testid="operators-tab">
      <div className="filters">
        <Button type="primary" onClick={() => setCreating(true)} data-testid="operator-new">
          {t('team:operators.new')}
        </Button>
      </div>
      {error && (
        <p className="field-message" role="alert">
          {error}
        </p>
      )}
      <Table<Operator>
        className="data-table"
        rowKey="id"
        columns={columns}
        dataSource={list.data}
        loading={list.isPending}
        pagination={false}
        onRow={(o) => rowAttributes('operator-row', { username: o.username, role: o.role, disabled: !!o.disabledAt })}
      />
      {creating && (
        <CreateOperator
          onClose={() => setCreating(false)}
          onCreated={(name, token) => {
            setCreating(false);
            reload();
            setLink({ name, url: setPasswordUrl(token) });
          }}
        />
      )}
      <Modal
        open={!!link}
        title={t('team:operators.linkTitle', { name: link?.name ?? '' })}
        onCancel={() => setLink(undefined)}
        destroyOnHidden
        footer={<Button onClick={() => setLink(undefined)}>{t('team:operators.done')}</Button>}
      >
        {link && <ShownOnce value={link.url} warning={t('team:operators.linkOnce')} testId="invite-link" />}
      </Modal>
    </section>
  );
}

interface NewOperator {
  username: string;
  displayName: string;
  role: (typeof ROLES)[number];
}

/** The form for a new colleague: sign-in name, the name others see, the role. */
function CreateOperator(props: { onClose: () => void; onCreated: (name: string, token: string) => void }) {
  const { t, locale } = useLocale();
  const [form] = Form.useForm<NewOperator>();
  const [message, setMessage] = useState('');
  const create = useMutation(trpc.operators.create.mutationOptions());
  const submit = (values: NewOperator) =>
    create.mutate(values, {
      onSuccess: (created) => props.onCreated(created.displayName, created.invite?.token ?? ''),
      onError: (error) => {
        const parsed = formErrors(error, (path) => path === 'username' || path === 'displayName', locale);
        form.setFields(Object.entries(parsed.fields).map(([name, text]) => ({ name, errors: [text] })) as never);
        setMessage(parsed.message);
      },
    });
  return (
    <Modal
      open
      title={t('team:operators.new')}
      onCancel={props.onClose}
      okText={t('team:operators.create')}
      cancelText={t('team:operators.cancel')}
      confirmLoading={create.isPending}
      onOk={() => form.submit()}
      okButtonProps={{ 'data-testid': 'operator-create' } as never}
    >
      <Form form={form} layout="vertical" initialValues={{ role: 'operator' }} onFinish={submit}>
        <Form.Item
          name="username"
          label={t('team:operators.username')}
          extra={t('team:operators.usernameHelp')}
          rules={[{ required: true, pattern: /^[a-zA-Z0-9_.-]{2,50}$/, message: t('team:operators.usernameRule') }]}
        >
          <Input autoComplete="off" data-testid="operator-username" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('team:operators.displayName')}
          rules={[{ required: true, whitespace: true, max: 100, message: t('team:operators.displayNameRule') }]}
        >
          <Input data-testid="operator-display-name" />
        </Form.Item>
        <Form.Item name="role" label={t('team:operators.role')}>
          <Select
            data-testid="operator-new-role"
            options={ROLES.map((r) => ({ value: r, label: `${roleLabel(r, t)} — ${roleHelp(r, t)}` }))}
          />
        </Form.Item>
        <p className="muted">{t('team:operators.linkExplained')}</p>
        {message && (
          <p className="field-message" role="alert">
            {message}
          </p>
        )}
      </Form>
    </Modal>
  );
}
