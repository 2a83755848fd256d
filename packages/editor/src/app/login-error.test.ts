import { beforeAll, describe, expect, it } from 'vitest';
import { loadLanguage, tFor } from '../locales/catalogs.ts';
import { loginErrorText } from './login-error.ts';

// The real catalogs, in both languages.
beforeAll(() => loadLanguage('en'));
const throttled = (retryAfterSeconds: number) =>
  Object.assign(new Error('x'), { data: { code: 'TOO_MANY_REQUESTS', httpStatus: 429, retryAfterSeconds } });

describe('sign-in error text', () => {
  const zh = tFor('zh-CN');
  const en = tFor('en');

  it('says how long to wait after too many attempts, in seconds or minutes', () => {
    expect(loginErrorText(throttled(30), zh)).toBe('尝试次数过多，请 30 秒后再试');
    expect(loginErrorText(throttled(30), en)).toBe('Too many attempts; try again in 30 seconds');
    expect(loginErrorText(throttled(900), zh)).toBe('尝试次数过多，请 15 分钟后再试');
    expect(loginErrorText(throttled(3599), en)).toBe('Too many attempts; try again in 60 minutes');
  });

  it('names a wrong password in the operator language, and passes other errors through', () => {
    expect(loginErrorText(Object.assign(new Error('x'), { data: { code: 'UNAUTHORIZED' } }), en)).toBe(
      'Wrong username or password',
    );
    expect(loginErrorText(new Error('Failed to fetch'), zh)).toBe('Failed to fetch');
  });
});
