import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Space, Table, type TableColumnsType, Tag } from 'antd';
import { useLocale } from '../app/i18n.ts';
import { errorText, trpc } from '../app/kit/query.ts';
import { pagination, rowAttributes } from '../app/kit/table.ts';
import { useConfirm } from '../app/kit/use-confirm.ts';
import { api } from '../app/server-api.ts';
import { formatTime } from '../pages/format.ts';
import { downloadErrorReport } from './error-report.ts';
import type { ImportHistoryItem } from './types.ts';

const STATUS_COLOR: Record<string, string> = {
  committed: 'green',
  running: 'blue',
  rejected: 'orange',
  failed: 'red',
  undone: 'default',
};

/** Every import: who, when, which file, its counts; the error report, and undo while nobody entered a journey. */
export function ImportHistory() {
  const { t, locale } = useLocale();
  const { message } = App.useApp();
  const confirm = useConfirm();
  const queryClient = useQueryClient();
  const { data, error, isPending } = useQuery(
    trpc.audiences.imports.queryOptions({ limit: 200 }, { refetchInterval: 5000 }),
  );
  const undo = useMutation(
    trpc.audiences.undoImport.mutationOptions({
      onSuccess: (r) => {
        message.success(t('importer:history.undone', { removed: r.removed, restored: r.restored }));
        void queryClient.invalidateQueries(trpc.audiences.imports.queryFilter());
      },
      onError: (e) => message.error(errorText(e)),
    }),
  );
  const askUndo = async (b: ImportHistoryItem) => {
    const ok = await confirm({
      title: t('importer:history.undoTitle', { file: b.fileName }),
      content: t('importer:history.undoContent', { created: b.created, updated: b.updated }),
      okText: t('importer:history.undo'),
      danger: true,
    });
    if (ok) undo.mutate({ id: b.id });
  };
  const report = async (b: ImportHistoryItem) => {
    const batch = await api.audiences.importBatch.query({ id: b.id });
    downloadErrorReport(t, b.fileName, batch.errors ?? []);
  };
  const columns: TableColumnsType<ImportHistoryItem> = [
    { key: 'file', title: t('importer:history.file'), render: (_, b) => b.fileName },
    { key: 'by', title: t('importer:history.by'), render: (_, b) => b.createdBy ?? '—' },
    {
      key: 'at',
      title: t('importer:history.at'),
      className: 'muted',
      render: (_, b) => formatTime(b.createdAt, locale),
    },
    {
      key: 'status',
      title: t('importer:history.status'),
      render: (_, b) => <Tag color={STATUS_COLOR[b.status]}>{t(`importer:status.${b.status}`)}</Tag>,
    },
    {
      key: 'counts',
      title: t('importer:history.counts'),
      render: (_, b) =>
        t('importer:history.countsText', {
          total: b.totalRows,
          created: b.created,
          updated: b.updated,
          rejected: b.rejected + b.duplicates,
        }),
    },
    {
      key: 'actions',
      title: '',
      render: (_, b) => (
        <Space>
          {b.problemCount > 0 && (
            <Button size="small" onClick={() => void report(b)} data-testid="history-error-report">
              {t('importer:history.errorReport')}
            </Button>
          )}
          {b.status === 'committed' && (
            <Button size="small" danger onClick={() => void askUndo(b)} data-testid="history-undo">
              {t('importer:history.undo')}
            </Button>
          )}
        </Space>
      ),
    },
  ];
  return (
    <section>
      <h2>{t('importer:history.title')}</h2>
      {error && <p className="field-message">{errorText(error)}</p>}
      <Table<ImportHistoryItem>
        className="data-table"
        rowKey="id"
        columns={columns}
        dataSource={data ?? []}
        loading={isPending}
        pagination={pagination(t, 10)}
        onRow={(b) => rowAttributes('import-history-row', { file: b.fileName, status: b.status })}
      />
    </section>
  );
}
