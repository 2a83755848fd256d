import { Button, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useLocale } from '../app/i18n.ts';
import { rowAttributes } from '../app/kit/table.ts';
import type { api } from '../app/server-api.ts';
import { formatTime } from '../pages/format.ts';

type Versions = Awaited<ReturnType<typeof api.journeys.versions.query>>;
type Version = Versions[number];

/** Every published version, newest first: which is live, which were roll-backs, and a roll-back button. */
export function VersionList(props: {
  versions: Versions;
  liveVersionId?: string | null;
  onRollback?: (version: { id: string; version: number }) => void;
}) {
  const { t, locale } = useLocale();
  const columns: TableColumnsType<Version> = [
    {
      key: 'version',
      render: (_, v) => (
        <>
          <strong>{t('versions:versionList.versionVersion', { version: v.version })}</strong>{' '}
          {v.id === props.liveVersionId && <Tag color="green">{t('versions:versionList.live')}</Tag>}
          {v.rollbackOf !== null && (
            <Typography.Text type="secondary" data-testid="version-rollback-of">
              {t('versions:versionList.rolledBackToVersionRollback', { rollbackOf: v.rollbackOf })}
            </Typography.Text>
          )}
        </>
      ),
    },
    {
      key: 'published',
      render: (_, v) => (
        <Typography.Text type="secondary">
          {formatTime(v.publishedAt, locale)} · {v.publishedBy}
        </Typography.Text>
      ),
    },
    { key: 'note', dataIndex: 'note' },
    {
      key: 'rollback',
      align: 'right',
      render: (_, v) =>
        props.onRollback &&
        v.id !== props.liveVersionId && (
          <Button
            type="link"
            size="small"
            onClick={() => props.onRollback?.({ id: v.id, version: v.version })}
            data-testid="version-rollback"
          >
            {t('versions:versionList.rollBackToThisVersion')}
          </Button>
        ),
    },
  ];
  return (
    <Table<Version>
      size="small"
      showHeader={false}
      rowKey="id"
      columns={columns}
      dataSource={props.versions}
      // A journey gathers versions for years; ten a page keeps the diff pickers below in view.
      pagination={{ pageSize: 10, hideOnSinglePage: true, size: 'small' }}
      data-testid="version-list"
      onRow={(v) => rowAttributes('version-row', { version: v.version })}
    />
  );
}
