import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Table, type TableColumnsType } from 'antd';
import { useLocale } from '../../app/i18n.ts';
import { errorText, trpc } from '../../app/kit/query.ts';
import { rowAttributes } from '../../app/kit/table.ts';
import { useConfirm } from '../../app/kit/use-confirm.ts';
import type { api } from '../../app/server-api.ts';
import { formatTime } from '../format.ts';

export type SavedSegment = Awaited<ReturnType<typeof api.audiences.segments.query>>[number];

/** The saved segments: open one in the builder, or delete it (asked first). */
export function SavedSegments({
  openId,
  onOpen,
  onDeleted,
  canEdit,
}: {
  openId?: string;
  onOpen: (segment: SavedSegment) => void;
  onDeleted: (id: string) => void;
  canEdit: boolean;
}) {
  const { t, locale } = useLocale();
  const confirm = useConfirm();
  const queries = useQueryClient();
  const list = useQuery(trpc.audiences.segments.queryOptions());
  const deletion = useMutation(
    trpc.audiences.deleteSegment.mutationOptions({
      onSuccess: ({ id }) => {
        onDeleted(id);
        void queries.invalidateQueries(trpc.audiences.segments.queryFilter());
      },
    }),
  );
  const remove = async (s: SavedSegment) => {
    const ok = await confirm({
      title: t('customers:segments.deleteTitle', { name: s.name }),
      content: t('customers:segments.deleteContent'),
      okText: t('customers:segments.delete'),
      danger: true,
    });
    if (ok) deletion.mutate({ id: s.id });
  };
  const columns: TableColumnsType<SavedSegment> = [
    {
      key: 'name',
      title: t('customers:segments.name'),
      render: (_, s) => (s.id === openId ? <strong>{s.name}</strong> : s.name),
    },
    {
      key: 'updatedAt',
      title: t('customers:segments.updated'),
      className: 'muted',
      render: (_, s) => formatTime(s.updatedAt, locale),
    },
    {
      key: 'actions',
      title: '',
      render: (_, s) => (
        <>
          <Button size="small" type="link" onClick={() => onOpen(s)} data-testid="segment-open">
            {t('customers:segments.open')}
          </Button>
          {canEdit && (
            <Button size="small" type="link" danger onClick={() => void remove(s)} data-testid="segment-delete">
              {t('customers:segments.delete')}
            </Button>
          )}
        </>
      ),
    },
  ];
  return (
    <section className="saved-segments" data-testid="saved-segments">
      <h2>{t('customers:segments.saved')}</h2>
      {(list.error || deletion.error) && (
        <p className="field-message">{errorText(list.error) || errorText(deletion.error)}</p>
      )}
      <Table<SavedSegment>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={list.data ?? []}
        loading={list.isPending}
        pagination={false}
        locale={{ emptyText: t('customers:segments.none') }}
        onRow={(s) => rowAttributes('saved-segment', { name: s.name })}
      />
    </section>
  );
}
