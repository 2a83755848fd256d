import { DEFAULT_TIME_ZONE } from '@siyu/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, DatePicker, Form, Input, InputNumber, Table, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { errorText, PICKER_OPTIONS_KEY, trpc } from '../app/kit/query.ts';
import { byNumber, byText, pagination, rowAttributes } from '../app/kit/table.ts';
import { COUPONS_HREF } from '../app/routes.ts';
import type { api } from '../app/server-api.ts';
import { useCanEdit } from '../app/use-role.ts';
import { formErrors } from '../channels/model.ts';
import { PageNav } from './PageNav.tsx';

type Stock = Awaited<ReturnType<typeof api.coupons.stocks.query>>[number];

interface BatchForm {
  name: string;
  amountYuan: number;
  minimumYuan?: number;
  maxCoupons: number;
  maxPerCustomer: number;
  days: [Dayjs, Dayjs];
}

/** Server field → form field, so a refused value is said under the input it came from. */
const FORM_FIELD: Record<string, keyof BatchForm> = {
  name: 'name',
  amountCents: 'amountYuan',
  minimumCents: 'minimumYuan',
  maxCoupons: 'maxCoupons',
  maxPerCustomer: 'maxPerCustomer',
  validFromDay: 'days',
  validToDay: 'days',
};

const yuan = (cents: number) => `¥${(cents / 100).toFixed(2)}`;

/** A day as the workspace's zone sees it (validity runs from that zone's midnight). */
function dayText(date: Date | string | number, locale: string): string {
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-CA' : 'zh-CN', {
    timeZone: DEFAULT_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(date));
}

/**
 * 券批次 (coupon batches): the budgets coupon nodes issue from. Creating one here (sandbox coupons,
 * whole days in the workspace's zone) makes it pickable in any coupon node; the list shows how many
 * were issued, redeemed and are left, as the database counts them.
 */
export function CouponBatchesPage() {
  const { t, locale } = useLocale();
  const canEdit = useCanEdit();
  const queries = useQueryClient();
  const stocks = useQuery(trpc.coupons.stocks.queryOptions());
  // Opened from a coupon node's "新建券批次": the form is open.
  const [creating, setCreating] = useState(() => location.hash.includes('new=1'));
  const columns: TableColumnsType<Stock> = [
    {
      key: 'name',
      title: t('resources:coupons.name'),
      sorter: byText((s) => s.name, locale),
      render: (_, s) => s.name,
    },
    {
      key: 'amount',
      title: t('resources:coupons.value'),
      render: (_, s) =>
        s.minimumCents > 0
          ? t('resources:coupons.valueWithMinimum', { value: yuan(s.amountCents), minimum: yuan(s.minimumCents) })
          : yuan(s.amountCents),
    },
    {
      key: 'validity',
      title: t('resources:coupons.validity'),
      // validTo is the end of the last day (the next day's midnight): the last day is the one before.
      render: (_, s) => `${dayText(s.validFrom, locale)} – ${dayText(new Date(s.validTo).getTime() - 1, locale)}`,
    },
    { key: 'budget', title: t('resources:coupons.budget'), align: 'right', render: (_, s) => s.maxCoupons },
    {
      key: 'issued',
      title: t('resources:coupons.issued'),
      align: 'right',
      sorter: byNumber((s) => s.issued),
      render: (_, s) => <span data-count="issued">{s.issued}</span>,
    },
    {
      key: 'redeemed',
      title: t('resources:coupons.redeemed'),
      align: 'right',
      render: (_, s) => <span data-count="redeemed">{s.redeemed}</span>,
    },
    {
      key: 'left',
      title: t('resources:coupons.left'),
      align: 'right',
      render: (_, s) => <span data-count="left">{s.remaining}</span>,
    },
    {
      key: 'status',
      title: t('resources:coupons.status'),
      render: (_, s) =>
        s.status === 'exhausted'
          ? t('resources:coupons.statusExhausted')
          : s.status === 'paused'
            ? t('resources:coupons.statusPaused')
            : t('resources:coupons.statusActive'),
    },
  ];
  return (
    <main className="page" data-testid="coupons-page">
      <PageNav current="coupons" />
      <header className="page-head">
        <h1>{t('resources:coupons.title')}</h1>
        <p className="muted">{t('resources:coupons.intro')}</p>
        {canEdit && !creating && (
          <div className="filters">
            <Button type="primary" onClick={() => setCreating(true)} data-testid="coupon-batch-new">
              {t('resources:coupons.newBatch')}
            </Button>
          </div>
        )}
      </header>
      {creating && (
        <NewBatchForm
          onDone={() => {
            setCreating(false);
            if (location.hash.includes('?')) history.replaceState(null, '', COUPONS_HREF);
            void queries.invalidateQueries(trpc.coupons.stocks.queryFilter());
            void queries.invalidateQueries({ queryKey: [PICKER_OPTIONS_KEY] });
          }}
        />
      )}
      {stocks.error && (
        <p className="field-message" role="alert">
          {errorText(stocks.error)}
        </p>
      )}
      {stocks.data && stocks.data.length === 0 && <p className="muted">{t('resources:coupons.none')}</p>}
      {stocks.data && stocks.data.length > 0 && (
        <Table<Stock>
          className="data-table"
          rowKey="id"
          columns={columns}
          dataSource={stocks.data}
          pagination={pagination(t)}
          data-testid="coupon-batches-table"
          onRow={(s) => rowAttributes('coupon-batch-row', { batch: s.name })}
        />
      )}
    </main>
  );
}

function NewBatchForm({ onDone }: { onDone: () => void }) {
  const { t, locale } = useLocale();
  const [form] = Form.useForm<BatchForm>();
  const [message, setMessage] = useState('');
  const create = useMutation(trpc.coupons.create.mutationOptions());
  const save = async (values: BatchForm) => {
    setMessage('');
    try {
      await create.mutateAsync({
        name: values.name,
        amountCents: Math.round(values.amountYuan * 100),
        minimumCents: Math.round((values.minimumYuan ?? 0) * 100),
        maxCoupons: values.maxCoupons,
        maxPerCustomer: values.maxPerCustomer,
        // The picked calendar days; the server reads them in the workspace's zone.
        validFromDay: values.days[0].format('YYYY-MM-DD'),
        validToDay: values.days[1].format('YYYY-MM-DD'),
      });
      onDone();
    } catch (error) {
      const parsed = formErrors(error, (path) => path in FORM_FIELD, locale);
      form.setFields(
        Object.entries(parsed.fields).map(([path, words]) => ({
          name: FORM_FIELD[path] as keyof BatchForm,
          errors: [words],
        })),
      );
      setMessage(parsed.message);
    }
  };
  const required = { required: true, message: t('resources:coupons.required') };
  return (
    <Form<BatchForm>
      form={form}
      className="form card"
      layout="vertical"
      data-testid="coupon-batch-form"
      initialValues={{ maxPerCustomer: 1 }}
      onFinish={(values) => void save(values)}
    >
      <h2>{t('resources:coupons.newBatch')}</h2>
      <Form.Item name="name" label={t('resources:coupons.name')} rules={[required]}>
        <Input maxLength={40} data-testid="coupon-batch-name" />
      </Form.Item>
      <Form.Item name="amountYuan" label={t('resources:coupons.valueYuan')} rules={[required]}>
        <InputNumber min={0.01} max={100000} precision={2} data-testid="coupon-batch-value" />
      </Form.Item>
      <Form.Item name="minimumYuan" label={t('resources:coupons.minimumYuan')}>
        <InputNumber min={0} max={100000} precision={2} data-testid="coupon-batch-minimum" />
      </Form.Item>
      <Form.Item name="maxCoupons" label={t('resources:coupons.budgetCount')} rules={[required]}>
        <InputNumber min={1} max={10_000_000} precision={0} data-testid="coupon-batch-budget" />
      </Form.Item>
      <Form.Item name="maxPerCustomer" label={t('resources:coupons.perCustomer')} rules={[required]}>
        <InputNumber min={1} max={100} precision={0} data-testid="coupon-batch-per-customer" />
      </Form.Item>
      <Form.Item
        name="days"
        label={t('resources:coupons.validity')}
        extra={t('resources:coupons.validityZone', { zone: DEFAULT_TIME_ZONE })}
        rules={[required]}
      >
        <DatePicker.RangePicker data-testid="coupon-batch-days" />
      </Form.Item>
      {message && (
        <p className="field-message" role="alert">
          {message}
        </p>
      )}
      <div className="actions">
        <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="coupon-batch-save">
          {t('resources:coupons.create')}
        </Button>
        <Button type="link" onClick={onDone}>
          {t('resources:coupons.cancel')}
        </Button>
      </div>
    </Form>
  );
}
