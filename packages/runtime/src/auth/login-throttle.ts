import {
  type RateLimiterAbstract,
  RateLimiterPostgres,
  RateLimiterRes,
  RateLimiterSQLite,
} from 'rate-limiter-flexible';
import type { AppDatabase } from '../db/app-database.ts';

/** How many failed sign-ins are allowed, in how long, and how long the lock lasts (seconds). */
export interface LoginLimit {
  failures: number;
  windowSeconds: number;
  blockSeconds: number;
}

export interface LoginLimits {
  /** Per username: stops guessing one account's password from many addresses. */
  perAccount: LoginLimit;
  /** Per client address: stops one address from trying many accounts. */
  perIp: LoginLimit;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  perAccount: { failures: 10, windowSeconds: 15 * 60, blockSeconds: 15 * 60 },
  perIp: { failures: 50, windowSeconds: 60 * 60, blockSeconds: 60 * 60 },
};

/** Sign-in refused before the password was checked; retry after `retryAfterSeconds`. */
export class LoginThrottledError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    // Words for people come from the API error catalog (auth.throttled); this is for logs.
    super(`too many sign-in attempts; retry after ${retryAfterSeconds} s`);
    this.name = 'LoginThrottledError';
  }
}

/** The seconds to wait, if `cause` is a throttled sign-in (for the API's error data). */
export function retryAfterOf(cause: unknown): number | undefined {
  return cause instanceof LoginThrottledError ? cause.retryAfterSeconds : undefined;
}

export interface LoginThrottle {
  /**
   * Counts one attempt against the account and the address BEFORE the password is checked, so
   * guesses sent in parallel are all counted before any of them is verified. Throws
   * LoginThrottledError when either is over its limit.
   */
  attempt(username: string, ip: string | undefined): Promise<void>;
  /** A correct password: the account's count starts again and the address gets its attempt back. */
  succeeded(username: string, ip: string | undefined): Promise<void>;
}

/**
 * Counters live in the `rate_limits` table of the database itself (created by a migration), so a
 * restart does not reset them and every process on the same database shares them.
 */
export function createLoginThrottle(db: AppDatabase, limits: LoginLimits = DEFAULT_LOGIN_LIMITS): LoginThrottle {
  const limiter = (prefix: string, limit: LoginLimit): RateLimiterAbstract => {
    const options = {
      tableName: 'rate_limits',
      tableCreated: true,
      keyPrefix: prefix,
      points: limit.failures,
      duration: limit.windowSeconds,
      blockDuration: limit.blockSeconds,
    };
    // The library's own store per database (its upsert is one atomic statement on each): the
    // counting must hold under parallel guesses, which a read-then-write here would not.
    return db.dialect === 'postgresql'
      ? new RateLimiterPostgres({ ...options, storeClient: db.pool, storeType: 'pool' })
      : new RateLimiterSQLite({ ...options, storeClient: db.sqlite, storeType: 'better-sqlite3' });
  };
  const account = limiter('login_account', limits.perAccount);
  const address = limiter('login_ip', limits.perIp);
  const accountKey = (username: string) => username.trim().toLowerCase();
  return {
    async attempt(username, ip) {
      const results = await Promise.allSettled([
        account.consume(accountKey(username)),
        ip ? address.consume(ip) : Promise.resolve(null),
      ]);
      let waitMs = 0;
      for (const result of results) {
        if (result.status === 'fulfilled') continue;
        // A store failure is a server error, not a reason to let guesses through.
        if (!(result.reason instanceof RateLimiterRes)) throw result.reason;
        waitMs = Math.max(waitMs, result.reason.msBeforeNext);
      }
      if (waitMs > 0 || results.some((r) => r.status === 'rejected')) {
        throw new LoginThrottledError(Math.max(1, Math.ceil(waitMs / 1000)));
      }
    },
    async succeeded(username, ip) {
      await account.delete(accountKey(username));
      if (ip) await address.reward(ip, 1);
      // Expired counters are swept at each successful sign-in, so the table stays small.
      await db.sql.run('DELETE FROM rate_limits WHERE expire < ?', [Date.now()]);
    },
  };
}
