import { SMS_TEMPLATE_PROVIDERS, type SmsTemplateProvider, signedSmsText, UNSUBSCRIBE_RULE } from '@siyu/nodes-sms';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, Select, Table, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { errorText, trpc } from '../app/kit/query.ts';
import { byText, pagination, rowAttributes } from '../app/kit/table.ts';
import { SMS_TEMPLATES_HREF } from '../app/routes.ts';
import type { api } from '../app/server-api.ts';
import { useCanEdit } from '../app/use-role.ts';
import { formErrors } from '../channels/model.ts';
import { PageNav } from './PageNav.tsx';

type Template = Awaited<ReturnType<typeof api.smsTemplates.list.query>>[number];

interface TemplateForm {
  name: string;
  provider: SmsTemplateProvider;
  signName: string;
  templateCode: string;
  text: string;
  kind: 'notice' | 'marketing';
}

const FIELDS = new Set(['name', 'provider', 'signName', 'templateCode', 'text', 'kind']);

/**
 * 短信模板 (SMS templates): the sign names and templates the provider approved, registered here so
 * SMS nodes pick one and map its variables. Registered templates are not edited: a new text is a
 * new template at the provider.
 */
export function SmsTemplatesPage() {
  const { t, locale } = useLocale();
  const canEdit = useCanEdit();
  const queries = useQueryClient();
  const list = useQuery(trpc.smsTemplates.list.queryOptions());
  // Opened from an SMS node's "登记短信模板": the form is open.
  const [creating, setCreating] = useState(() => location.hash.includes('new=1'));
  const columns: TableColumnsType<Template> = [
    {
      key: 'name',
      title: t('resources:templates.name'),
      sorter: byText((x) => x.name, locale),
      render: (_, x) => x.name,
    },
    {
      key: 'provider',
      title: t('resources:templates.provider'),
      render: (_, x) => (x.provider === 'tencent' ? t('resources:templates.tencent') : t('resources:templates.aliyun')),
    },
    { key: 'signName', title: t('resources:templates.signName'), render: (_, x) => signedSmsText(x.signName) },
    { key: 'code', title: t('resources:templates.templateCode'), render: (_, x) => x.templateCode },
    { key: 'text', title: t('resources:templates.text'), render: (_, x) => x.text },
    {
      key: 'kind',
      title: t('resources:templates.kind'),
      render: (_, x) => (x.kind === 'marketing' ? t('resources:templates.marketing') : t('resources:templates.notice')),
    },
  ];
  return (
    <main className="page" data-testid="sms-templates-page">
      <PageNav current="smsTemplates" />
      <header className="page-head">
        <h1>{t('resources:templates.title')}</h1>
        <p className="muted">{t('resources:templates.intro')}</p>
        {canEdit && !creating && (
          <div className="filters">
            <Button type="primary" onClick={() => setCreating(true)} data-testid="sms-template-new">
              {t('resources:templates.register')}
            </Button>
          </div>
        )}
      </header>
      {creating && (
        <RegisterForm
          onDone={() => {
            setCreating(false);
            if (location.hash.includes('?')) history.replaceState(null, '', SMS_TEMPLATES_HREF);
            void queries.invalidateQueries(trpc.smsTemplates.list.queryFilter());
          }}
        />
      )}
      {list.error && (
        <p className="field-message" role="alert">
          {errorText(list.error)}
        </p>
      )}
      {list.data && list.data.length === 0 && <p className="muted">{t('resources:templates.none')}</p>}
      {list.data && list.data.length > 0 && (
        <Table<Template>
          className="data-table"
          rowKey="id"
          columns={columns}
          dataSource={list.data}
          pagination={pagination(t)}
          data-testid="sms-templates-table"
          onRow={(x) => rowAttributes('sms-template-row', { template: x.name })}
        />
      )}
    </main>
  );
}

function RegisterForm({ onDone }: { onDone: () => void }) {
  const { t, loc, locale } = useLocale();
  const [form] = Form.useForm<TemplateForm>();
  const provider = Form.useWatch('provider', form);
  const kind = Form.useWatch('kind', form);
  const [message, setMessage] = useState('');
  const register = useMutation(trpc.smsTemplates.register.mutationOptions());
  const save = async (values: TemplateForm) => {
    setMessage('');
    try {
      await register.mutateAsync(values);
      onDone();
    } catch (error) {
      const parsed = formErrors(error, (path) => FIELDS.has(path), locale);
      form.setFields(
        Object.entries(parsed.fields).map(([path, words]) => ({ name: path as keyof TemplateForm, errors: [words] })),
      );
      setMessage(parsed.message);
    }
  };
  const required = { required: true, message: t('resources:templates.required') };
  return (
    <Form<TemplateForm>
      form={form}
      className="form card"
      layout="vertical"
      data-testid="sms-template-form"
      initialValues={{ provider: 'aliyun', kind: 'notice' }}
      onFinish={(values) => void save(values)}
    >
      <h2>{t('resources:templates.register')}</h2>
      <Form.Item name="name" label={t('resources:templates.name')} rules={[required]}>
        <Input maxLength={40} data-testid="sms-template-name" />
      </Form.Item>
      <Form.Item name="provider" label={t('resources:templates.provider')} rules={[required]}>
        <Select
          data-testid="sms-template-provider"
          options={SMS_TEMPLATE_PROVIDERS.map((p) => ({
            value: p,
            label: p === 'tencent' ? t('resources:templates.tencent') : t('resources:templates.aliyun'),
          }))}
        />
      </Form.Item>
      <Form.Item
        name="signName"
        label={t('resources:templates.signName')}
        extra={t('resources:templates.signNameHelp')}
        rules={[required]}
      >
        <Input maxLength={12} data-testid="sms-template-sign" />
      </Form.Item>
      <Form.Item name="templateCode" label={t('resources:templates.templateCode')} rules={[required]}>
        <Input maxLength={64} data-testid="sms-template-code" />
      </Form.Item>
      <Form.Item
        name="text"
        label={t('resources:templates.text')}
        extra={
          provider === 'tencent' ? t('resources:templates.textHelpTencent') : t('resources:templates.textHelpAliyun')
        }
        rules={[required]}
      >
        <Input.TextArea rows={3} maxLength={500} data-testid="sms-template-text" />
      </Form.Item>
      {/* Marketing texts: the opt-out rule in the words the server's check uses. */}
      <Form.Item
        name="kind"
        label={t('resources:templates.kind')}
        extra={kind === 'marketing' ? loc(UNSUBSCRIBE_RULE) : undefined}
        rules={[required]}
      >
        <Select
          data-testid="sms-template-kind"
          options={[
            { value: 'notice', label: t('resources:templates.notice') },
            { value: 'marketing', label: t('resources:templates.marketing') },
          ]}
        />
      </Form.Item>
      {message && (
        <p className="field-message" role="alert">
          {message}
        </p>
      )}
      <div className="actions">
        <Button type="primary" htmlType="submit" loading={register.isPending} data-testid="sms-template-save">
          {t('resources:templates.save')}
        </Button>
        <Button type="link" onClick={onDone}>
          {t('resources:templates.cancel')}
        </Button>
      </div>
    </Form>
  );
}
