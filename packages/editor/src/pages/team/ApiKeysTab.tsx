import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Checkbox, Form, Input, Modal, Table, type TableColumnsType, Tag } from 'antd';
import { useState } from 'react';
import { useLocale } from '../../app/i18n.ts';
import { errorText, trpc } from '../../app/kit/query.ts';
import { rowAttributes } from '../../app/kit/table.ts';
import { useConfirm } from '../../app/kit/use-confirm.ts';
import type { api } from '../../app/server-api.ts';
import { formErrors } from '../../channels/model.ts';
import { formatTime } from '../format.ts';
import { ShownOnce } from './ShownOnce.tsx';
import { scopeWords } from './team-words.ts';

type ApiKey = Awaited<ReturnType<typeof api.apiKeys.list.query>>[number];
type Scope = Parameters<typeof api.apiKeys.create.mutate>[0]['scopes'][number];

/**
 * API 密钥: what other systems (a shop, a CRM) use to send events, import customers and enrol them
 * through the HTTP API. The secret is shown once, at creation; a revoked key stops working at once.
 */
export function ApiKeysTab() {
  const { t, locale } = useLocale();
  const queries = useQueryClient();
  const confirm = useConfirm();
  const list = useQuery(trpc.apiKeys.list.queryOptions());
  const reload = () => void queries.invalidateQueries(trpc.apiKeys.list.queryFilter());
  const revoke = useMutation(trpc.apiKeys.revoke.mutationOptions({ onSettled: reload }));
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ name: string; key: string }>();
  const error = errorText(list.error) || errorText(revoke.error);

  const askRevoke = async (k: ApiKey) => {
    const ok = await confirm({
      title: t('team:apiKeys.revokeTitle', { name: k.name }),
      content: t('team:apiKeys.revokeContent'),
      okText: t('team:apiKeys.revoke'),
      danger: true,
    });
    if (ok) revoke.mutate({ id: k.id });
  };
  const columns: TableColumnsType<ApiKey> = [
    { key: 'name', title: t('team:apiKeys.name'), render: (_, k) => <strong>{k.name}</strong> },
    {
      key: 'scopes',
      title: t('team:apiKeys.scopes'),
      render: (_, k) =>
        k.scopes.map((s) => (
          <Tag key={s} title={scopeWords(s, t).help}>
            {scopeWords(s, t).label}
          </Tag>
        )),
    },
    {
      key: 'created',
      title: t('team:apiKeys.created'),
      className: 'muted',
      render: (_, k) =>
        k.createdBy
          ? t('team:apiKeys.createdBy', { time: formatTime(k.createdAt, locale), name: k.createdBy })
          : formatTime(k.createdAt, locale),
    },
    {
      key: 'lastUsed',
      title: t('team:apiKeys.lastUsed'),
      className: 'muted',
      render: (_, k) => (k.lastUsedAt ? formatTime(k.lastUsedAt, locale) : t('team:apiKeys.neverUsed')),
    },
    {
      key: 'status',
      title: t('team:apiKeys.status'),
      render: (_, k) =>
        k.revokedAt ? (
          <Tag color="red">{t('team:apiKeys.revokedAt', { time: formatTime(k.revokedAt, locale) })}</Tag>
        ) : (
          <Tag color="green">{t('team:apiKeys.active')}</Tag>
        ),
    },
    {
      key: 'actions',
      render: (_, k) =>
        !k.revokedAt && (
          <Button type="link" size="small" danger onClick={() => void askRevoke(k)} data-testid="api-key-revoke">
            {t('team:apiKeys.revoke')}
          </Button>
        ),
    },
  ];
  return (
    <section data-testid="api-keys-tab">
      <div className="filters">
        <Button type="primary" onClick={() => setCreating(true)} data-testid="api-key-new">
          {t('team:apiKeys.new')}
        </Button>
      </div>
      {error && (
        <p className="field-message" role="alert">
          {error}
        </p>
      )}
      <Table<ApiKey>
        className="data-table"
        rowKey="id"
        columns={columns}
        dataSource={list.data}
        loading={list.isPending}
        pagination={false}
        locale={{ emptyText: t('team:apiKeys.none') }}
        onRow={(k) => rowAttributes('api-key-row', { name: k.name, revoked: !!k.revokedAt })}
      />
      {creating && (
        <CreateApiKey
          onClose={() => setCreating(false)}
          onCreated={(name, key) => {
            setCreating(false);
            reload();
            setSecret({ name, key });
          }}
        />
      )}
      <Modal
        open={!!secret}
        title={t('team:apiKeys.secretTitle', { name: secret?.name ?? '' })}
        onCancel={() => setSecret(undefined)}
        destroyOnHidden
        footer={
          <Button onClick={() => setSecret(undefined)} data-testid="api-key-secret-done">
            {t('team:apiKeys.done')}
          </Button>
        }
      >
        {secret && <ShownOnce value={secret.key} warning={t('team:apiKeys.secretOnce')} testId="api-key-secret" />}
      </Modal>
    </section>
  );
}

/** The form for a new key: its name (which system uses it) and what it may do. */
function CreateApiKey(props: { onClose: () => void; onCreated: (name: string, key: string) => void }) {
  const { t, locale } = useLocale();
  const [form] = Form.useForm<{ name: string; scopes: Scope[] }>();
  const [message, setMessage] = useState('');
  const scopes = useQuery(trpc.apiKeys.scopes.queryOptions());
  const create = useMutation(trpc.apiKeys.create.mutationOptions());
  return (
    <Modal
      open
      title={t('team:apiKeys.new')}
      onCancel={props.onClose}
      okText={t('team:apiKeys.create')}
      cancelText={t('team:apiKeys.cancel')}
      confirmLoading={create.isPending}
      onOk={() => form.submit()}
      okButtonProps={{ 'data-testid': 'api-key-create' } as never}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) =>
          create.mutate(values, {
            onSuccess: (created) => props.onCreated(values.name, created.key),
            onError: (error) => setMessage(formErrors(error, () => false, locale).message),
          })
        }
      >
        <Form.Item
          name="name"
          label={t('team:apiKeys.name')}
          extra={t('team:apiKeys.nameHelp')}
          rules={[{ required: true, whitespace: true, max: 100, message: t('team:apiKeys.nameRule') }]}
        >
          <Input data-testid="api-key-name" />
        </Form.Item>
        <Form.Item
          name="scopes"
          label={t('team:apiKeys.scopes')}
          rules={[{ required: true, type: 'array', min: 1, message: t('team:apiKeys.scopesRule') }]}
        >
          <Checkbox.Group style={{ display: 'grid', gap: 8 }}>
            {(scopes.data ?? []).map((s) => (
              <Checkbox key={s} value={s} data-scope={s}>
                <strong>{scopeWords(s, t).label}</strong> <span className="muted">{scopeWords(s, t).help}</span>
              </Checkbox>
            ))}
          </Checkbox.Group>
        </Form.Item>
        {(message || scopes.error) && (
          <p className="field-message" role="alert">
            {message || errorText(scopes.error)}
          </p>
        )}
      </Form>
    </Modal>
  );
}
