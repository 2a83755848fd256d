import type { Locale } from '@siyu/shared';
import { tFor } from '../locales/catalogs.ts';

/**
 * Why a step failed, in words, from what the step log keeps: the package's reason code (a
 * PermanentError's `code`: noPhone, exhausted…) and its message. Known codes have catalog strings;
 * an unknown code says "发送失败" with the provider's message; a raw code is never shown.
 */
export interface StepFailure {
  code?: string;
  error?: string;
}

/** What went wrong, and (where there is one) what an operator can do about it. */
export interface FailureText {
  reason: string;
  fix?: string;
  /** The fix is in the customer's data (a phone number, a WeCom contact…): the profile shows it. */
  fixOnProfile?: boolean;
}

/** Codes whose fix is in the customer's data (the profile shows it). */
const FIX_ON_PROFILE = new Set(['noPhone', 'invalidPhone', 'noOpenid', 'noWecomContact']);

/** The half of a bilingual "中文 / English" message for the locale; other messages as they are. */
function providerMessage(message: string, en: boolean): string {
  const parts = message.split(' / ');
  if (parts.length !== 2) return message;
  return (en ? parts[1] : parts[0]) as string;
}

/**
 * The words of a failure: a known code's reason and fix from the `app` catalog
 * (`failureReason.reasons.*`, `failureReason.fixes.*`); otherwise "发送失败" with the provider's message.
 */
export function failureText(failure: StepFailure, locale: Locale): FailureText {
  const t = tFor(locale);
  const code = failure.code;
  const reason = code ? t(`app:failureReason.reasons.${code}`, { defaultValue: '' }) : '';
  if (code && reason) {
    const fix = t(`app:failureReason.fixes.${code}`, { defaultValue: '' });
    return { reason, ...(fix ? { fix } : {}), ...(FIX_ON_PROFILE.has(code) ? { fixOnProfile: true } : {}) };
  }
  const message = failure.error ? providerMessage(failure.error, locale === 'en') : '';
  return {
    reason: message ? t('app:failureReason.sendFailedWith', { message }) : t('app:failureReason.sendFailed'),
  };
}

/** The failure a step-log row records (`error` rows carry { code?, error }), if it is one. */
export function stepFailure(step: { kind: string; detail?: unknown }): StepFailure | undefined {
  if (step.kind !== 'error') return undefined;
  const d = (step.detail ?? {}) as { code?: unknown; error?: unknown };
  return {
    ...(typeof d.code === 'string' ? { code: d.code } : {}),
    ...(typeof d.error === 'string' ? { error: d.error } : {}),
  };
}

/** Asked before an operator retries a failed step: the retry runs the step again, for real. */
export function retryStepQuestion(locale: Locale): string {
  return tFor(locale)('app:failureReason.retryQuestion');
}
