import type { TFunction } from 'i18next';
/**
 * What the sign-in form says for a failed sign-in, in the operator's language. A throttled
 * sign-in (HTTP 429) carries how long to wait in the error's data (`retryAfterSeconds`).
 */
export function loginErrorText(error: unknown, t: TFunction): string {
  const data = (error as { data?: { code?: string; retryAfterSeconds?: number } } | null)?.data;
  if (data?.code === 'TOO_MANY_REQUESTS') {
    const seconds = Math.max(1, Math.ceil(data.retryAfterSeconds ?? 60));
    if (seconds < 120) return t('app:loginError.tooManyAttemptsTryAgain', { seconds });
    const minutes = Math.ceil(seconds / 60);
    return t('app:loginError.tooManyAttemptsTryAgain2', { minutes });
  }
  if (data?.code === 'UNAUTHORIZED') return t('app:loginError.wrongUsernameOrPassword');
  return error instanceof Error ? error.message : String(error);
}
