import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Segmented, Select, Space, Table, type TableColumnsType, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { errorText, trpc } from '../app/kit/query.ts';
import { pagination, rowAttributes } from '../app/kit/table.ts';
import { customerHref, IMPORT_HREF } from '../app/routes.ts';
import type { api } from '../app/server-api.ts';
import { useCanEdit } from '../app/use-role.ts';
import { customersCsvHref, type ExportSource } from './customers/export-href.ts';
import { type SavedSegment, SavedSegments } from './customers/SavedSegments.tsx';
import { SegmentBuilder } from './customers/SegmentBuilder.tsx';
import { draftOf, emptyDraft, filterOf, type SegmentDraft } from './customers/segment-model.ts';
import { useDebounced } from './customers/use-debounced.ts';
import { formatTime } from './format.ts';
import './customers/customers.css';
import { channelVariantName } from '../channels/model.ts';
import { PageNav } from './PageNav.tsx';

type CustomerItem = Awaited<ReturnType<typeof api.customers.search.query>>['items'][number];

/**
 * Customers: a quick search (name, id, phone, tag, attribute) or 人群圈选, a segment built from
 * AND/OR groups of conditions with its size counted live; either list exports as CSV, and a
 * segment can be saved, reopened and edited. The server pages; the search refreshes every 10 s.
 */
export function CustomersPage() {
  const { t, locale } = useLocale();
  const canEdit = useCanEdit() === true;
  const [mode, setMode] = useState<'search' | 'segment'>('search');
  const [text, setText] = useState('');
  const [tag, setTag] = useState<string>();
  const [attributeKey, setAttributeKey] = useState<string>();
  const [attributeValue, setAttributeValue] = useState('');
  const [draft, setDraft] = useState<SegmentDraft>(emptyDraft);
  const [opened, setOpened] = useState<SavedSegment>();
  const [saving, setSaving] = useState<'update' | 'create'>();
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const tags = useQuery(trpc.tags.list.queryOptions({ limit: 1000 }));
  const fields = useQuery(trpc.customers.segmentFields.queryOptions());
  const filter = useMemo(() => filterOf(draft), [draft]);
  // The live count and the list follow the builder once the operator pauses.
  const settledFilter = useDebounced(filter, 400);
  const search = {
    text: text || undefined,
    tags: tag ? [tag] : [],
    attributes: attributeKey && attributeValue ? [{ key: attributeKey, value: attributeValue }] : [],
  };
  const paging = { limit: page.pageSize, offset: (page.current - 1) * page.pageSize };
  const searched = useQuery(
    trpc.customers.search.queryOptions(
      { ...search, ...paging },
      { enabled: mode === 'search', refetchInterval: 10_000, placeholderData: keepPreviousData },
    ),
  );
  const segmented = useQuery(
    trpc.customers.segmentPage.queryOptions(
      { filter: settledFilter, ...paging },
      { enabled: mode === 'segment', placeholderData: keepPreviousData },
    ),
  );
  const list = mode === 'search' ? searched : segmented;
  const exportSource: ExportSource = mode === 'search' ? { search } : { filter: settledFilter };
  // A new search starts on its first page.
  const narrow =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setPage((p) => ({ ...p, current: 1 }));
    };
  const columns: TableColumnsType<CustomerItem> = [
    {
      key: 'name',
      title: t('pages:customersPage.customer'),
      render: (_, c) => <a href={customerHref(c.id)}>{c.displayName || c.id}</a>,
    },
    { key: 'phone', title: t('pages:customersPage.phone'), className: 'mono', render: (_, c) => c.phone ?? '—' },
    {
      key: 'tags',
      title: t('pages:customerProfile.tags'),
      render: (_, c) =>
        c.tags.map((t) => (
          <Tag key={t} className="tag">
            {t}
          </Tag>
        )),
    },
    {
      key: 'channel',
      title: t('pages:customersPage.channel'),
      render: (_, c) =>
        c.channelCode ? `${c.channelCode}${c.variant ? ` / ${channelVariantName(c.variant, locale)}` : ''}` : '—',
    },
    {
      key: 'createdAt',
      title: t('pages:customersPage.created'),
      className: 'muted',
      render: (_, c) => formatTime(c.createdAt, locale),
    },
  ];
  const open = (segment: SavedSegment) => {
    setOpened(segment);
    narrow(setDraft)(draftOf(segment.filter));
    setMode('segment');
  };
  return (
    <main className="page" data-testid="customers-page">
      <PageNav current="customers" />
      <header className="page-head">
        <h1>{t('pages:customersPage.customers')}</h1>
        <Segmented
          value={mode}
          onChange={(m) => narrow(setMode)(m as 'search' | 'segment')}
          options={[
            { value: 'search', label: t('customers:page.modeSearch') },
            { value: 'segment', label: t('customers:page.modeSegment') },
          ]}
          data-testid="customers-mode"
        />
        <Button href={customersCsvHref(exportSource, locale)} download data-testid="customers-export">
          {t('customers:page.exportCsv')}
        </Button>
      </header>
      {mode === 'search' ? (
        <div className="filters">
          <Input
            allowClear
            value={text}
            onChange={(e) => narrow(setText)(e.target.value)}
            placeholder={t('pages:customersPage.nameCustomerIdOrPhone')}
            style={{ width: 260 }}
            data-testid="customer-search"
          />
          <Select
            allowClear
            showSearch
            value={tag}
            onChange={narrow(setTag)}
            placeholder={t('pages:customersPage.tag')}
            options={(tags.data ?? []).map((x) => ({ value: x.tag, label: x.tag }))}
            style={{ width: 160 }}
            data-testid="customer-search-tag"
          />
          <Select
            allowClear
            showSearch
            value={attributeKey}
            onChange={narrow(setAttributeKey)}
            placeholder={t('customers:page.attribute')}
            options={(fields.data?.attributeKeys ?? []).map((k) => ({ value: k, label: k }))}
            style={{ width: 160 }}
            data-testid="customer-search-attribute"
          />
          <Input
            allowClear
            value={attributeValue}
            disabled={!attributeKey}
            onChange={(e) => narrow(setAttributeValue)(e.target.value)}
            placeholder={t('customers:page.attributeValue')}
            style={{ width: 160 }}
            data-testid="customer-search-attribute-value"
          />
          <Button href={IMPORT_HREF} data-testid="customers-import">
            {t('importer:importCustomers')}
          </Button>
        </div>
      ) : (
        <section className="segment-panel">
          <SegmentBuilder
            draft={draft}
            onChange={narrow(setDraft)}
            fields={{
              tags: (tags.data ?? []).map((x) => x.tag),
              attributeKeys: fields.data?.attributeKeys ?? [],
              eventTypes: fields.data?.eventTypes ?? [],
            }}
          />
          <Space wrap className="segment-actions">
            <strong
              data-testid="segment-count"
              data-count={segmented.data?.total}
              data-pending={String(filter !== settledFilter || segmented.isFetching)}
            >
              {segmented.data
                ? t('customers:page.segmentCount', { count: segmented.data.total })
                : t('customers:page.counting')}
            </strong>
            {opened && <span className="muted">{t('customers:page.editing', { name: opened.name })}</span>}
            {canEdit && opened && (
              <Button onClick={() => setSaving('update')} data-testid="segment-save-changes">
                {t('customers:page.saveChanges')}
              </Button>
            )}
            {canEdit && (
              <Button type="primary" onClick={() => setSaving('create')} data-testid="segment-save">
                {t('customers:page.saveAsSegment')}
              </Button>
            )}
            <Button
              onClick={() => {
                setOpened(undefined);
                narrow(setDraft)(emptyDraft());
              }}
            >
              {t('customers:page.clear')}
            </Button>
          </Space>
          <SavedSegments
            openId={opened?.id}
            onOpen={open}
            onDeleted={(id) => id === opened?.id && setOpened(undefined)}
            canEdit={canEdit}
          />
        </section>
      )}
      {list.error && <p className="field-message">{errorText(list.error)}</p>}
      <Table<CustomerItem>
        className="data-table"
        rowKey="id"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isPending}
        pagination={{
          ...pagination(t),
          current: page.current,
          pageSize: page.pageSize,
          total: list.data?.total ?? 0,
          onChange: (current, pageSize) => setPage({ current, pageSize }),
        }}
        onRow={(c) =>
          rowAttributes(
            'customer-row',
            { id: c.id },
            { onClick: () => (location.hash = customerHref(c.id)), style: { cursor: 'pointer' } },
          )
        }
      />
      {list.data && (
        <p className="muted" data-testid="customers-total">
          {t('pages:customersPage.countCustomers', { count: list.data.total })}
        </p>
      )}
      {saving && (
        <SaveSegmentModal
          mode={saving}
          opened={opened}
          filter={filter}
          onClose={() => setSaving(undefined)}
          onSaved={(segment) => {
            setOpened(segment);
            setSaving(undefined);
          }}
        />
      )}
    </main>
  );
}

/** Names the segment and saves it: as a new one, or over the one that is open. */
function SaveSegmentModal({
  mode,
  opened,
  filter,
  onClose,
  onSaved,
}: {
  mode: 'update' | 'create';
  opened?: SavedSegment;
  filter: ReturnType<typeof filterOf>;
  onClose: () => void;
  onSaved: (segment: SavedSegment) => void;
}) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const queries = useQueryClient();
  const [form] = Form.useForm<{ name: string }>();
  const save = useMutation(
    trpc.audiences.saveSegment.mutationOptions({
      onSuccess: (segment) => {
        void queries.invalidateQueries(trpc.audiences.segments.queryFilter());
        void message.success(t('customers:page.saved', { name: segment.name }));
        onSaved({ ...segment, filter });
      },
    }),
  );
  return (
    <Modal
      open
      title={mode === 'update' ? t('customers:page.saveChanges') : t('customers:page.saveAsSegment')}
      okText={t('customers:page.save')}
      cancelText={t('customers:page.cancel')}
      confirmLoading={save.isPending}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ 'data-testid': 'segment-save-ok' }}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ name: mode === 'update' ? opened?.name : '' }}
        onFinish={({ name }) =>
          save.mutate({
            ...(mode === 'update' && opened ? { id: opened.id, description: opened.description } : {}),
            name,
            filter,
          })
        }
      >
        <Form.Item
          name="name"
          label={t('customers:page.segmentName')}
          rules={[{ required: true, whitespace: true, message: t('customers:page.nameRequired') }]}
        >
          <Input maxLength={100} data-testid="segment-name" />
        </Form.Item>
        {save.error && <p className="field-message">{errorText(save.error)}</p>}
      </Form>
    </Modal>
  );
}
