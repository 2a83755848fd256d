import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Descriptions, Progress, Space } from 'antd';
import { useEffect } from 'react';
import { useLocale } from '../app/i18n.ts';
import { errorText, trpc } from '../app/kit/query.ts';
import { downloadErrorReport } from './error-report.ts';

/** Rows the import writes: the file's rows less those it left out. */
const rowsToWrite = (b: { totalRows: number; rejected: number; duplicates: number }) =>
  Math.max(0, b.totalRows - b.rejected - b.duplicates);

/**
 * One import as the server runs it: the progress bar reads the batch's written rows every half
 * second while it runs, then the exact counts and the error report of the rows left out.
 */
export function ImportProgress({ batchId, onAnother }: { batchId: string; onAnother: () => void }) {
  const { t, locale } = useLocale();
  const number = (n: number) => n.toLocaleString(locale);
  const { data: batch, error } = useQuery(
    trpc.audiences.importBatch.queryOptions(
      { id: batchId },
      { refetchInterval: (q) => (q.state.data?.status === 'running' ? 500 : false) },
    ),
  );
  const queryClient = useQueryClient();
  const finished = batch !== undefined && batch.status !== 'running';
  // The history below shows the import's end as soon as the bar does.
  useEffect(() => {
    if (finished) void queryClient.invalidateQueries(trpc.audiences.imports.queryFilter());
  }, [finished, queryClient]);
  if (error) return <p className="field-message">{errorText(error)}</p>;
  if (!batch) return null;
  const total = rowsToWrite(batch);
  const running = batch.status === 'running';
  const percent = total === 0 ? 100 : Math.floor((batch.processedRows / total) * 100);
  return (
    <section data-testid="import-progress" data-status={batch.status}>
      <Progress
        percent={batch.status === 'committed' ? 100 : percent}
        status={running ? 'active' : batch.status === 'committed' ? 'success' : 'exception'}
        data-testid="import-progress-bar"
        data-processed={batch.processedRows}
      />
      <p className="muted">{t('importer:progress.written', { done: batch.processedRows, total })}</p>
      {!running && (
        <>
          <p data-testid="import-outcome">{t(`importer:status.${batch.status}`)}</p>
          {batch.error && <p className="field-message">{batch.error}</p>}
          <Descriptions size="small" column={5} data-testid="import-counts">
            <Descriptions.Item label={t('importer:counts.totalRows')}>{number(batch.totalRows)}</Descriptions.Item>
            <Descriptions.Item label={t('importer:counts.created')}>
              <span data-testid="count-created">{number(batch.created)}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('importer:counts.updated')}>
              <span data-testid="count-updated">{number(batch.updated)}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('importer:counts.duplicates')}>
              <span data-testid="count-duplicates">{number(batch.duplicates)}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('importer:counts.rejected')}>
              <span data-testid="count-rejected">{number(batch.rejected)}</span>
            </Descriptions.Item>
          </Descriptions>
          <Space style={{ marginTop: 12 }}>
            {batch.problemCount > 0 && (
              <Button
                onClick={() => downloadErrorReport(t, batch.fileName, batch.errors ?? [])}
                data-testid="import-error-report"
              >
                {t('importer:report.download', { count: batch.problemCount })}
              </Button>
            )}
            <Button onClick={onAnother} data-testid="import-another">
              {t('importer:progress.another')}
            </Button>
          </Space>
        </>
      )}
    </section>
  );
}
