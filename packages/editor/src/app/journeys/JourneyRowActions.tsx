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
  const { t, locale } = useLocale();
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
      {t('journeys:journeyRowActions.reports')}
    </Button>
  );
  if (!canEdit) return report;
  if (row.status === 'archived')
    return button('journey-restore', t('journeys:journeyRowActions.restore'), () =>
      ask({
        title: t('journeys:journeyRowActions.restoreName', { name: row.name }),
        body: text('restoreBody'),
        confirmLabel: t('journeys:journeyRowActions.restore'),
        onConfirm: () => act(api.journeys.restore.mutate({ id: row.id })),
      }),
    );
  return (
    <>
      {button('journey-duplicate', t('journeys:journeyRowActions.duplicate'), () =>
        act(api.journeys.duplicate.mutate({ id: row.id })),
      )}
      {report}
      {row.status === 'live' &&
        button('journey-pause', t('journeys:journeyRowActions.pause'), () =>
          ask({
            title: text('pauseTitle'),
            body: text('pauseBody'),
            confirmLabel: t('journeys:journeyRowActions.pause'),
            onConfirm: () => act(api.journeys.pause.mutate({ id: row.id })),
          }),
        )}
      {row.status === 'paused' &&
        button('journey-resume', t('journeys:journeyRowActions.resume'), () =>
          act(api.journeys.resume.mutate({ id: row.id })),
        )}
      {(row.status === 'live' || row.status === 'paused') &&
        button(
          'journey-stop',
          t('journeys:journeyRowActions.stop'),
          () =>
            ask({
              title: text('stopTitle'),
              body: text('stopBody'),
              confirmLabel: t('journeys:journeyRowActions.stopTheJourney'),
              danger: true,
              reasonLabel: t('journeys:journeyRowActions.reasonRecordedInEachCustomers'),
              onConfirm: (reason) => act(api.journeys.stop.mutate({ id: row.id, reason })),
            }),
          true,
        )}
      {button(
        'journey-archive',
        t('journeys:journeyRowActions.archive'),
        () =>
          ask({
            title: text('archiveTitle'),
            body: text('archiveBody'),
            confirmLabel: t('journeys:journeyRowActions.archive'),
            danger: true,
            onConfirm: () => act(api.journeys.archive.mutate({ id: row.id })),
          }),
        true,
      )}
    </>
  );
}
