import { useLocale } from '../i18n.ts';

/** The operator's reason on the exit step of a run ended by stopping its journey (journeys.stop). */
export function StoppedStepNote({ step }: { step: { kind: string; detail?: unknown } }) {
  const { t } = useLocale();
  const detail = step.detail as { reason?: unknown; note?: unknown } | null | undefined;
  if (step.kind !== 'exit' || detail?.reason !== 'stopped') return null;
  return (
    <span className="muted" data-testid="stopped-step-note">
      {' '}
      · {t('journeys:stoppedStepNote.journeyStopped')}
      {typeof detail.note === 'string' && detail.note ? `${t('journeys:stoppedStepNote.text')}${detail.note}` : ''}
    </span>
  );
}
