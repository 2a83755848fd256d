import { Button } from 'antd';
import type { ComponentProps, MouseEvent } from 'react';
import { journeyReportHref } from '../../reports/route.ts';
import { useLocale } from '../i18n.ts';
import { api } from '../server-api.ts';
import type { ConfirmDialog } from './ConfirmDialog.tsx';
import type { JourneyRow } from './journey-types.ts';
import { lifecycleText } from './lifecycle-text.ts';

export type ConfirmRequest = Omit<ComponentProps<typeof ConfirmDialog>, 'onClose'>;

/**
 * A journey row's actions, by status: duplicate, reports, pause or resume, stop, archive; restore
 * in the archive. Each one that changes what customers get asks first, saying what happens to the
 * customers in the journey now (`ask` shows the confirm); `done` reloads the list.
 */
export function JourneyRowActions({
  row,
  canEdit,
  ask,
  done,
}: {
  row: JourneyRow;
  canEdit: boolean;
  ask: (request: ConfirmRequest) => void;
  done: () => void;
}) {
  const { tr, locale } = useLocale();
  const text = (key: Parameters<typeof lifecycleText>[0]) => lifecycleText(key, locale, row.name, row.activeRuns);
  const act = (p: Promise<unknown>) => p.then(done);
  const button = (testId: string, label: string, onClick: () => void, danger = false) => (
    <Button
      type="link"
      size="small"
      danger={danger}
      data-testid={testId}
      onClick={(e: MouseEvent) => {
        e.stopPropagation();
        onClick();
      }}
    >
      {label}
    </Button>
  );
  const report = (
    <Button
      type="link"
      size="small"
      href={journeyReportHref(row.id)}
      data-testid="journey-report-link"
      onClick={(e) => e.stopPropagation()}
    >
      {tr('报表', 'Reports')}
    </Button>
  );
  if (!canEdit) return report;
  if (row.status === 'archived')
    return button('journey-restore', tr('恢复', 'Restore'), () =>
      ask({
        title: tr(`恢复旅程「${row.name}」？`, `Restore "${row.name}"?`),
        body: text('restoreBody'),
        confirmLabel: tr('恢复', 'Restore'),
        onConfirm: () => act(api.journeys.restore.mutate({ id: row.id })),
      }),
    );
  return (
    <>
      {button('journey-duplicate', tr('复制', 'Duplicate'), () => act(api.journeys.duplicate.mutate({ id: row.id })))}
      {report}
      {row.status === 'live' &&
        button('journey-pause', tr('暂停', 'Pause'), () =>
          ask({
            title: text('pauseTitle'),
            body: text('pauseBody'),
            confirmLabel: tr('暂停', 'Pause'),
            onConfirm: () => act(api.journeys.pause.mutate({ id: row.id })),
          }),
        )}
      {row.status === 'paused' &&
        button('journey-resume', tr('恢复运行', 'Resume'), () => act(api.journeys.resume.mutate({ id: row.id })))}
      {(row.status === 'live' || row.status === 'paused') &&
        button(
          'journey-stop',
          tr('停止', 'Stop'),
          () =>
            ask({
              title: text('stopTitle'),
              body: text('stopBody'),
              confirmLabel: tr('停止旅程', 'Stop the journey'),
              danger: true,
              reasonLabel: tr('停止原因（会记入每位客户的时间线）', "Reason (recorded in each customer's timeline)"),
              onConfirm: (reason) => act(api.journeys.stop.mutate({ id: row.id, reason })),
            }),
          true,
        )}
      {button(
        'journey-archive',
        tr('归档', 'Archive'),
        () =>
          ask({
            title: text('archiveTitle'),
            body: text('archiveBody'),
            confirmLabel: tr('归档', 'Archive'),
            danger: true,
            onConfirm: () => act(api.journeys.archive.mutate({ id: row.id })),
          }),
        true,
      )}
    </>
  );
}
