import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Select, Table, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { errorText, trpc } from '../app/kit/query.ts';
import { byNumber, byText, pagination, rowAttributes } from '../app/kit/table.ts';
import { useConfirm } from '../app/kit/use-confirm.ts';
import { api } from '../app/server-api.ts';
import { useCanEdit } from '../app/use-role.ts';
import { PageNav } from './PageNav.tsx';

type TagRow = { tag: string; customers: number };
type Usage = Awaited<ReturnType<typeof api.tags.usage.query>>;

/**
 * 标签管理: every tag in use with how many customers carry it; rename, merge into another tag, or
 * delete (asked first, naming the customers and the journeys and segments that still name it).
 * The server moves the tag on every customer in one transaction, so nobody ends with it twice.
 */
export function TagsPage() {
  const { t, locale } = useLocale();
  const canEdit = useCanEdit() === true;
  const confirm = useConfirm();
  const { message } = App.useApp();
  const queries = useQueryClient();
  const [text, setText] = useState('');
  const [editing, setEditing] = useState<{ mode: 'rename' | 'merge'; tag: TagRow }>();
  const list = useQuery(trpc.tags.list.queryOptions({ text: text || undefined, limit: 1000 }));
  const reload = () => void queries.invalidateQueries(trpc.tags.pathFilter());
  const deletion = useMutation(
    trpc.tags.delete.mutationOptions({
      onSuccess: ({ customers }, { tag }) => {
        reload();
        void message.success(t('tags:deleted', { tag, count: customers }));
      },
    }),
  );
  const remove = async (row: TagRow) => {
    const usage = await api.tags.usage.query({ tag: row.tag });
    const ok = await confirm({
      title: t('tags:deleteTitle', { tag: row.tag }),
      content: (
        <div data-testid="tag-delete-impact">
          <p>{t('tags:deleteCustomers', { count: row.customers })}</p>
          <UsageList usage={usage} />
        </div>
      ),
      okText: t('tags:delete'),
      danger: true,
    });
    if (ok) deletion.mutate({ tag: row.tag });
  };
  const columns: TableColumnsType<TagRow> = [
    { key: 'tag', title: t('tags:tag'), sorter: byText((r) => r.tag, locale), render: (_, r) => r.tag },
    {
      key: 'customers',
      title: t('tags:customers'),
      align: 'right',
      sorter: byNumber((r) => r.customers),
      render: (_, r) => r.customers.toLocaleString(locale),
    },
    ...(canEdit
      ? [
          {
            key: 'actions',
            title: '',
            render: (_: unknown, r: TagRow) => (
              <>
                <Button
                  size="small"
                  type="link"
                  onClick={() => setEditing({ mode: 'rename', tag: r })}
                  data-testid="tag-rename"
                >
                  {t('tags:rename')}
                </Button>
                <Button
                  size="small"
                  type="link"
                  onClick={() => setEditing({ mode: 'merge', tag: r })}
                  data-testid="tag-merge"
                >
                  {t('tags:merge')}
                </Button>
                <Button size="small" type="link" danger onClick={() => void remove(r)} data-testid="tag-delete">
                  {t('tags:delete')}
                </Button>
              </>
            ),
          },
        ]
      : []),
  ];
  return (
    <main className="page" data-testid="tags-page">
      <PageNav current="tags" />
      <header className="page-head">
        <h1>{t('tags:title')}</h1>
        <div className="filters">
          <Input
            allowClear
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={t('tags:searchTags')}
            style={{ width: 220 }}
            data-testid="tag-search"
          />
        </div>
      </header>
      {(list.error || deletion.error) && (
        <p className="field-message">{errorText(list.error) || errorText(deletion.error)}</p>
      )}
      <Table<TagRow>
        className="data-table"
        rowKey="tag"
        columns={columns}
        dataSource={list.data ?? []}
        loading={list.isPending}
        pagination={pagination(t, 50)}
        onRow={(r) => rowAttributes('tag-row', { tag: r.tag, customers: r.customers })}
      />
      {list.data && <p className="muted">{t('tags:countTags', { count: list.data.length })}</p>}
      {editing && (
        <MoveTagModal
          mode={editing.mode}
          tag={editing.tag}
          tags={(list.data ?? []).map((r) => r.tag).filter((x) => x !== editing.tag.tag)}
          onClose={() => setEditing(undefined)}
          onDone={() => {
            setEditing(undefined);
            reload();
          }}
        />
      )}
    </main>
  );
}

/** The journeys and segments that still name the tag (they are not rewritten). */
function UsageList({ usage }: { usage: Usage }) {
  const { t } = useLocale();
  if (usage.journeys.length === 0 && usage.segments.length === 0) return <p>{t('tags:noUsage')}</p>;
  return (
    <>
      {usage.journeys.length > 0 && (
        <p data-testid="tag-usage-journeys">
          {t('tags:journeysUsing', { names: usage.journeys.map((j) => j.name).join(', ') })}
        </p>
      )}
      {usage.segments.length > 0 && (
        <p data-testid="tag-usage-segments">
          {t('tags:segmentsUsing', { names: usage.segments.map((s) => s.name).join(', ') })}
        </p>
      )}
    </>
  );
}

/** Rename (a new name, which may be an existing tag) or merge (pick the tag to merge into). */
function MoveTagModal({
  mode,
  tag,
  tags,
  onClose,
  onDone,
}: {
  mode: 'rename' | 'merge';
  tag: TagRow;
  tags: string[];
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ to: string }>();
  const usage = useQuery(trpc.tags.usage.queryOptions({ tag: tag.tag }));
  const done = (to: string, customers: number) => {
    void message.success(t('tags:moved', { from: tag.tag, to, count: customers }));
    onDone();
  };
  const rename = useMutation(trpc.tags.rename.mutationOptions({ onSuccess: (r, v) => done(v.to, r.customers) }));
  const merge = useMutation(trpc.tags.merge.mutationOptions({ onSuccess: (r, v) => done(v.into, r.customers) }));
  const error = rename.error ?? merge.error;
  return (
    <Modal
      open
      title={mode === 'rename' ? t('tags:renameTitle', { tag: tag.tag }) : t('tags:mergeTitle', { tag: tag.tag })}
      okText={mode === 'rename' ? t('tags:rename') : t('tags:mergeOk')}
      cancelText={t('tags:cancel')}
      confirmLoading={rename.isPending || merge.isPending}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ 'data-testid': 'tag-move-ok' }}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={({ to }) =>
          mode === 'rename' ? rename.mutate({ from: tag.tag, to }) : merge.mutate({ tags: [tag.tag], into: to })
        }
      >
        <Form.Item
          name="to"
          label={mode === 'rename' ? t('tags:newName') : t('tags:mergeInto')}
          rules={[
            { required: true, whitespace: true, message: t('tags:nameRequired') },
            { max: 50, message: t('tags:nameTooLong') },
          ]}
        >
          {mode === 'rename' ? (
            <Input data-testid="tag-new-name" />
          ) : (
            <Select showSearch options={tags.map((x) => ({ value: x, label: x }))} data-testid="tag-merge-into" />
          )}
        </Form.Item>
        <p className="muted">{t('tags:moveCustomers', { count: tag.customers })}</p>
        {usage.data && (usage.data.journeys.length > 0 || usage.data.segments.length > 0) && (
          <div className="field-message">
            <p>{t('tags:stillNamed')}</p>
            <UsageList usage={usage.data} />
          </div>
        )}
        {error && <p className="field-message">{errorText(error)}</p>}
      </Form>
    </Modal>
  );
}
