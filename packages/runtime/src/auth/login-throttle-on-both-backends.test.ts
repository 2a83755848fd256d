// Sign-in counters in the database's own rate_limits table, on SQLite and PostgreSQL: the same
// limits, counted before the password is checked, parallel guesses included.
import { describe, expect, it } from 'vitest';
import { bothBackends } from '../db/both-backends.test-helper.ts';
import { cleanupAfterEach } from '../db/scratch-database.test-helper.ts';
import { createLoginThrottle, type LoginLimits, LoginThrottledError } from './login-throttle.ts';

const cleanups = cleanupAfterEach();
const backends = bothBackends('throttle', cleanups);
const LIMITS: LoginLimits = {
  perAccount: { failures: 3, windowSeconds: 60, blockSeconds: 120 },
  perIp: { failures: 5, windowSeconds: 60, blockSeconds: 60 },
};

async function outcome(attempt: Promise<void>): Promise<string> {
  try {
    await attempt;
    return 'allowed';
  } catch (error) {
    if (error instanceof LoginThrottledError) return error.retryAfterSeconds > 0 ? 'throttled' : 'no wait given';
    throw error;
  }
}

describe.each(backends)('sign-in throttling on %s', (_name, open) => {
  it('locks an account after its limit, parallel guesses counted, until a correct password', async () => {
    const db = await open();
    const throttle = createLoginThrottle(db, LIMITS);
    const first = await Promise.all([1, 2, 3, 4, 5].map(() => outcome(throttle.attempt('Admin', undefined))));
    expect(first.filter((o) => o === 'allowed')).toHaveLength(3);
    expect(first.filter((o) => o === 'throttled')).toHaveLength(2);
    // The account key ignores case and spaces around it; another account is not affected.
    expect(await outcome(throttle.attempt(' admin ', undefined))).toBe('throttled');
    expect(await outcome(throttle.attempt('li', undefined))).toBe('allowed');
    await throttle.succeeded('admin', undefined);
    expect(await outcome(throttle.attempt('admin', undefined))).toBe('allowed');
  });

  it('limits one address across accounts, and a success gives it one attempt back', async () => {
    const db = await open();
    const throttle = createLoginThrottle(db, LIMITS);
    const ip = '203.0.113.9';
    for (let i = 0; i < 5; i++) expect(await outcome(throttle.attempt(`user${i}`, ip))).toBe('allowed');
    expect(await outcome(throttle.attempt('user9', ip))).toBe('throttled');
    expect(await outcome(throttle.attempt('user9', '203.0.113.10'))).toBe('allowed');
  });

  it('sweeps expired counters at a successful sign-in', async () => {
    const db = await open();
    await db.sql.run('INSERT INTO rate_limits (key, points, expire) VALUES (?, ?, ?)', ['login_account:old', 9, 1]);
    const throttle = createLoginThrottle(db, LIMITS);
    await throttle.attempt('li', undefined);
    await throttle.succeeded('li', undefined);
    expect(await db.sql.all('SELECT key FROM rate_limits')).toEqual([]);
  });
});
