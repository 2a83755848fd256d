import { useCallback, useEffect, useState } from 'react';
import { useLocale } from '../app/i18n.ts';
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
  const { tr, loc } = useLocale();
  const isAdmin = useIsAdmin();
  const [types, setTypes] = useState<CredentialTypeInfo[]>([]);
  const [items, setItems] = useState<Credential[]>();
  const [error, setError] = useState('');
  const [editing, setEditing] = useState<Editing>();
  const reload = useCallback(() => {
    api.credentials.list.query().then(
      (list) => {
        setItems(list);
        clearCredentialOptions();
      },
      (e: Error) => setError(e.message),
    );
  }, []);
  useEffect(() => {
    api.credentials.types.query().then(setTypes, (e: Error) => setError(e.message));
    reload();
  }, [reload]);
  // Opened from a node's "新建凭据" link: start the form for that type.
  useEffect(() => {
    const wanted = new URLSearchParams(location.hash.split('?')[1] ?? '').get('new');
    if (wanted && isAdmin && types.some((t) => t.type === wanted)) setEditing({ mode: 'create', type: wanted });
  }, [isAdmin, types]);
  const typeOf = (type: string) => types.find((t) => t.type === type);
  const remove = (c: Credential) => {
    if (!confirm(tr(`删除凭据「${c.name}」？`, `Delete credential "${c.name}"?`))) return;
    api.credentials.delete.mutate({ id: c.id }).then(reload, (e: Error) => setError(e.message));
  };
  return (
    <main className="page" data-testid="credentials-page">
      <PageNav current="credentials" />
      <header className="page-head">
        <h1>{tr('凭据', 'Credentials')}</h1>
        <p className="muted">
          {tr(
            '节点使用的第三方账号与密钥，加密保存；旅程里只记录所选凭据，密钥不会出现在旅程、版本、导出或日志中。',
            'Accounts and secrets of third parties that nodes use, stored encrypted; a journey records only which credential it uses, never the secret, so it is not in journeys, versions, exports or logs.',
          )}
        </p>
        {isAdmin && types.length > 0 && !editing && (
          <div className="filters">
            {types.map((t) => (
              <button
                key={t.type}
                type="button"
                onClick={() => setEditing({ mode: 'create', type: t.type })}
                data-testid={`credential-new-${t.type}`}
              >
                {tr('新建：', 'New: ')}
                {loc(t.label)}
              </button>
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
      {items && items.length === 0 && <p className="muted">{tr('还没有凭据。', 'No credentials yet.')}</p>}
      {items && items.length > 0 && (
        <table className="table" data-testid="credentials-table">
          <thead>
            <tr>
              <th>{tr('名称', 'Name')}</th>
              <th>{tr('类型', 'Type')}</th>
              <th>{tr('内容', 'Fields')}</th>
              <th>{tr('修改人', 'Changed by')}</th>
              {isAdmin && <th />}
            </tr>
          </thead>
          <tbody>
            {items.map((c) => {
              const type = typeOf(c.type);
              return (
                <tr key={c.id} data-credential={c.name}>
                  <td>{c.name}</td>
                  <td>{type ? loc(type.label) : tr('未安装的类型', 'Type not installed')}</td>
                  <td>
                    {c.problem === 'unreadable'
                      ? tr('无法解密（密钥不符）', 'Cannot decrypt (wrong key)')
                      : Object.entries(c.fields).map(([key, value]) => (
                          <span key={key} className="chip" data-field={key}>
                            {fieldLabel(type, key, loc)}
                            {tr('：', ': ')}
                            {isSecretState(value)
                              ? value.set
                                ? tr('已设置', 'set')
                                : tr('未设置', 'not set')
                              : String(value ?? '')}
                          </span>
                        ))}
                  </td>
                  <td>{c.updatedBy ?? ''}</td>
                  {isAdmin && (
                    <td>
                      <button
                        type="button"
                        className="link"
                        onClick={() => setEditing({ mode: 'edit', credential: c })}
                      >
                        {tr('编辑', 'Edit')}
                      </button>{' '}
                      <button type="button" className="link" onClick={() => remove(c)}>
                        {tr('删除', 'Delete')}
                      </button>
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
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
  const { tr, loc, locale } = useLocale();
  const existing = props.editing.mode === 'edit' ? props.editing.credential : undefined;
  const [name, setName] = useState(existing?.name ?? '');
  // Secret fields start as `{ set }` (what the server answered), never as the value.
  const [fields, setFields] = useState<Record<string, unknown>>(existing?.fields ?? {});
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [message, setMessage] = useState('');
  const [saving, setSaving] = useState(false);
  if (!props.type) return <p className="muted">{tr('此凭据类型未安装', 'This credential type is not installed')}</p>;
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
        {existing ? tr('编辑凭据', 'Edit credential') : tr('新建凭据', 'New credential')} · {loc(props.type.label)}
      </h2>
      {props.type.description && <p className="muted">{loc(props.type.description)}</p>}
      <label className="field">
        <span className="field-label">{tr('名称', 'Name')}</span>
        <input value={name} onChange={(e) => setName(e.target.value)} data-testid="credential-name" maxLength={100} />
        {errors.get('name') && <span className="field-message">{errors.get('name')}</span>}
      </label>
      <SchemaForm schema={schema} value={fields} onChange={setFields} errors={errors} />
      {message && (
        <p className="field-message" role="alert">
          {message}
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={saving} data-testid="credential-save">
          {tr('保存', 'Save')}
        </button>
        <button type="button" className="link" onClick={props.onDone}>
          {tr('取消', 'Cancel')}
        </button>
      </div>
    </form>
  );
}
