/**
 * What the sign-in form says for a failed sign-in, in the operator's language. A throttled
 * sign-in (HTTP 429) carries how long to wait in the error's data (`retryAfterSeconds`).
 */
export function loginErrorText(error: unknown, tr: (zh: string, en: string) => string): string {
  const data = (error as { data?: { code?: string; retryAfterSeconds?: number } } | null)?.data;
  if (data?.code === 'TOO_MANY_REQUESTS') {
    const seconds = Math.max(1, Math.ceil(data.retryAfterSeconds ?? 60));
    if (seconds < 120)
      return tr(`尝试次数过多，请 ${seconds} 秒后再试`, `Too many attempts; try again in ${seconds} seconds`);
    const minutes = Math.ceil(seconds / 60);
    return tr(`尝试次数过多，请 ${minutes} 分钟后再试`, `Too many attempts; try again in ${minutes} minutes`);
  }
  if (data?.code === 'UNAUTHORIZED') return tr('用户名或密码错误', 'Wrong username or password');
  return error instanceof Error ? error.message : String(error);
}
