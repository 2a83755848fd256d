import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, Popconfirm, Table, type TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { errorText, trpc } from '../app/kit/query.ts';
import { byText, rowAttributes } from '../app/kit/table.ts';
import { api } from '../app/server-api.ts';
import { useIsAdmin } from '../app/use-role.ts';
import { formErrors } from '../channels/model.ts';
import { clearCredentialOptions } from '../inspector/CredentialPicker.tsx';
import type { JsonSchema } from '../inspector/json-schema.ts';
import { SchemaForm } from '../inspector/SchemaForm.tsx';
import { isSecretState } from '../inspector/SecretInput.tsx';
import { PageNav } from './PageNav.tsx';

type Credential = Awaited<ReturnType<typeof api.credentials.list.query>>[number];
type CredentialTypeInfo = Awaited<ReturnType<typeof api.credentials.types.query>>[number];

/** What the form edits: a new credential of a type, or an existing one. */
type Editing = { mode: 'create'; type: string } | { mode: 'edit'; credential: Credential };

/**
 * 凭据 (credentials): accounts with third parties that nodes use, e.g. a webhook's signing secret.
 * Everyone signed in sees names and which secrets are set; admins create, edit and delete. Secret
 * fields are password inputs that never receive the stored value ("已设置 / set"); leaving one
 * empty on edit keeps it.
 */
export function CredentialsPage() {
  const { t, loc, locale } = useLocale();
  const isAdmin = useIsAdmin();
  const queries = useQueryClient();
  const typesQuery = useQuery(trpc.credentials.types.queryOptions());
  const types = typesQuery.data ?? [];
  const list = useQuery(trpc.credentials.list.queryOptions());
  const items = list.data;
  const [editing, setEditing] = useState<Editing>();
  const reload = () => {
    clearCredentialOptions();
    void queries.invalidateQueries(trpc.credentials.list.queryFilter());
  };
  const deletion = useMutation(trpc.credentials.delete.mutationOptions({ onSuccess: reload }));
  const error = errorText(typesQuery.error) || errorText(list.error) || errorText(deletion.error);
  // Opened from a node's "新建凭据" link: start the form for that type.
  useEffect(() => {
    const wanted = new URLSearchParams(location.hash.split('?')[1] ?? '').get('new');
    if (wanted && isAdmin && types.some((t) => t.type === wanted)) setEditing({ mode: 'create', type: wanted });
  }, [isAdmin, types]);
  const typeOf = (type: string) => types.find((t) => t.type === type);
  const columns: TableColumnsType<Credential> = [
    {
      key: 'name',
      title: t('pages:credentialsPage.name'),
      sorter: byText((c) => c.name, locale),
      render: (_, c) => c.name,
    },
    {
      key: 'type',
      title: t('pages:credentialsPage.type'),
      filters: types.map((t) => ({ text: loc(t.label), value: t.type })),
      onFilter: (value, c) => c.type === value,
      render: (_, c) => {
        const type = typeOf(c.type);
        return type ? loc(type.label) : t('pages:credentialsPage.typeNotInstalled');
      },
    },
    {
      key: 'fields',
      title: t('pages:credentialsPage.fields'),
      render: (_, c) => {
        const type = typeOf(c.type);
        return c.problem === 'unreadable'
          ? t('pages:credentialsPage.cannotDecryptWrongKey')
          : Object.entries(c.fields).map(([key, value]) => (
              <span key={key} className="chip" data-field={key}>
                {fieldLabel(type, key, loc)}
                {t('pages:credentialsPage.text')}
                {isSecretState(value)
                  ? value.set
                    ? t('pages:credentialsPage.set')
                    : t('pages:credentialsPage.notSet')
                  : String(value ?? '')}
              </span>
            ));
      },
    },
    { key: 'updatedBy', title: t('pages:credentialsPage.changedBy'), render: (_, c) => c.updatedBy ?? '' },
  ];
  if (isAdmin)
    columns.push({
      key: 'actions',
      render: (_, c) => (
        <>
          <Button type="link" size="small" onClick={() => setEditing({ mode: 'edit', credential: c })}>
            {t('pages:credentialsPage.edit')}
          </Button>
          {/* Nodes that use it stop working until another credential is chosen: asked first. */}
          <Popconfirm
            title={t('pages:credentialsPage.deleteCredentialName', { name: c.name })}
            description={t('pages:credentialsPage.nodesThatUseItCannot')}
            okText={t('pages:credentialsPage.delete')}
            cancelText={t('pages:credentialsPage.cancel')}
            okButtonProps={{ danger: true }}
            onConfirm={() => deletion.mutate({ id: c.id })}
          >
            <Button type="link" size="small" danger>
              {t('pages:credentialsPage.delete')}
            </Button>
          </Popconfirm>
        </>
      ),
    });
  return (
    <main className="page" data-testid="credentials-page">
      <PageNav current="credentials" />
      <header className="page-head">
        <h1>{t('pages:credentialsPage.credentials')}</h1>
        <p className="muted">{t('pages:credentialsPage.accountsAndSecretsOfThird')}</p>
        {isAdmin && types.length > 0 && !editing && (
          <div className="filters">
            {types.map((kind) => (
              <Button
                key={kind.type}
                onClick={() => setEditing({ mode: 'create', type: kind.type })}
                data-testid={`credential-new-${kind.type}`}
              >
                {t('pages:credentialsPage.new')}
                {loc(kind.label)}
              </Button>
            ))}
          </div>
        )}
      </header>
      {error && (
        <p className="field-message" role="alert">
          {error}
        </p>
      )}
      {editing && (
        <CredentialForm
          editing={editing}
          type={typeOf(editing.mode === 'create' ? editing.type : editing.credential.type)}
          onDone={() => {
            setEditing(undefined);
            if (location.hash.includes('?')) history.replaceState(null, '', '#/credentials');
            reload();
          }}
        />
      )}
      {items && items.length === 0 && <p className="muted">{t('pages:credentialsPage.noCredentialsYet')}</p>}
      {items && items.length > 0 && (
        <Table<Credential>
          className="data-table"
          rowKey="id"
          columns={columns}
          dataSource={items}
          pagination={false}
          data-testid="credentials-table"
          onRow={(c) => rowAttributes('credential-row', { credential: c.name })}
        />
      )}
    </main>
  );
}

function fieldLabel(
  type: CredentialTypeInfo | undefined,
  key: string,
  loc: (t: { 'zh-CN': string; en: string }) => string,
) {
  const label = (type?.jsonSchema as JsonSchema | undefined)?.properties?.[key]?.label;
  return typeof label === 'object' ? loc(label) : (label ?? key);
}

function CredentialForm(props: { editing: Editing; type: CredentialTypeInfo | undefined; onDone: () => void }) {
  const { t, loc, locale } = useLocale();
  const existing = props.editing.mode === 'edit' ? props.editing.credential : undefined;
  const [name, setName] = useState(existing?.name ?? '');
  // Secret fields start as `{ set }` (what the server answered), never as the value.
  const [fields, setFields] = useState<Record<string, unknown>>(existing?.fields ?? {});
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [message, setMessage] = useState('');
  const [saving, setSaving] = useState(false);
  if (!props.type) return <p className="muted">{t('pages:credentialsPage.thisCredentialTypeIsNot')}</p>;
  const schema = props.type.jsonSchema as JsonSchema;
  const save = async () => {
    setSaving(true);
    // A secret left as `{ set }` or empty is not sent: the server keeps the stored one.
    const sent = Object.fromEntries(Object.entries(fields).filter(([, v]) => !isSecretState(v) && v !== ''));
    try {
      if (existing) await api.credentials.update.mutate({ id: existing.id, name, fields: sent });
      else await api.credentials.create.mutate({ type: props.type?.type ?? '', name, fields: sent });
      props.onDone();
    } catch (error) {
      const parsed = formErrors(error, (path) => path === 'name' || path in (schema.properties ?? {}), locale);
      setErrors(new Map(Object.entries(parsed.fields)));
      setMessage(parsed.message || (parsed.fields.name ?? ''));
    } finally {
      setSaving(false);
    }
  };
  return (
    <form
      className="form card"
      data-testid="credential-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2>
        {existing ? t('pages:credentialsPage.editCredential') : t('pages:credentialsPage.newCredential')} ·{' '}
        {loc(props.type.label)}
      </h2>
      {props.type.description && <p className="muted">{loc(props.type.description)}</p>}
      <Form.Item
        label={t('pages:credentialsPage.name')}
        layout="vertical"
        validateStatus={errors.get('name') ? 'error' : undefined}
        help={errors.get('name') ? <span className="field-message">{errors.get('name')}</span> : undefined}
      >
        <Input value={name} onChange={(e) => setName(e.target.value)} data-testid="credential-name" maxLength={100} />
      </Form.Item>
      <SchemaForm schema={schema} value={fields} onChange={setFields} errors={errors} />
      {message && (
        <p className="field-message" role="alert">
          {message}
        </p>
      )}
      <div className="actions">
        <Button type="primary" htmlType="submit" loading={saving} data-testid="credential-save">
          {t('pages:credentialsPage.save')}
        </Button>
        <Button type="link" onClick={props.onDone}>
          {t('pages:credentialsPage.cancel')}
        </Button>
      </div>
    </form>
  );
}
