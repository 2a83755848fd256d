import type { ReactNode } from 'react';
import { failureText, type StepFailure, stepFailure } from './failure-reason.ts';
import { useLocale } from './i18n.ts';

/**
 * Why a step failed, in words, and what to do: shown in the simulation, the customer profile and
 * a node's customer drawer. `action` is the way to act on it there (retry, a link to the profile).
 */
export function FailureNote({ failure, action }: { failure: StepFailure; action?: ReactNode }) {
  const { locale, t } = useLocale();
  const text = failureText(failure, locale);
  return (
    <div className="failure-note" data-testid="failure-reason">
      <span className="bad">✕ {text.reason}</span>
      {text.fix && (
        <span className="muted">
          {' '}
          · {t('app:failureNote.fix')}: {text.fix}
        </span>
      )}
      {action && <> {action}</>}
    </div>
  );
}

/** The FailureNote of a step-log row, or nothing when the step did not fail. */
export function StepFailureNote(props: { step: { kind: string; detail?: unknown }; action?: ReactNode }) {
  const failure = stepFailure(props.step);
  return failure ? <FailureNote failure={failure} action={props.action} /> : null;
}
