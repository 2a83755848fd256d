import type { PauseReason } from '@siyu/shared';
import { useLocale } from './i18n.ts';
import { useErrorText } from './kit/query.ts';
import { pauseReasonText } from './pause-reason-text.ts';
import { registry } from './registry.ts';

/** Over the canvas of a journey the engine paused: why, what happens meanwhile, what to do. */
export function PausedBanner(props: { reason: PauseReason; onResume?: () => Promise<void> }) {
  const { t, locale } = useLocale();
  const text = pauseReasonText(props.reason, locale, registry.packages);
  const [error, setError] = useErrorText();
  return (
    <div className="paused-banner" role="alert" data-testid="paused-banner">
      <strong>{text.headline}</strong>
      <p>{text.cause}</p>
      <p className="muted">{text.meanwhile}</p>
      <p>{text.fix}</p>
      {props.onResume && (
        <button
          type="button"
          data-testid="resume-journey"
          onClick={() => props.onResume?.().catch((e: Error) => setError(e))}
        >
          {t('app:pausedReason.resume')}
        </button>
      )}
      {error && <p className="field-message">{error}</p>}
    </div>
  );
}

/** One line in the journey list under the status of a journey the engine paused. */
export function PausedNote(props: { reason: PauseReason }) {
  const { locale } = useLocale();
  const text = pauseReasonText(props.reason, locale, registry.packages);
  return (
    <div className="paused-note" data-testid="paused-note" title={`${text.meanwhile} ${text.fix}`}>
      {text.cause}
    </div>
  );
}
