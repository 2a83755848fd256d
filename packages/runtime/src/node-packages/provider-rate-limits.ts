import type { NodeExecutor } from '@siyu/shared';
import type pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterQueue } from 'rate-limiter-flexible';
import { z } from 'zod';

/**
 * Calls per period to one provider (the node package: `sms` of `sms.send`). WeCom documents
 * 10,000 calls a minute per corp and API (a blocked minute lasts 60 s); SMS and coupon quotas
 * depend on the account, so they are unlimited unless configured.
 */
export interface ProviderRateLimit {
  provider: string;
  calls: number;
  perMs: number;
}

const PERIODS = { s: 1000, min: 60_000, h: 3_600_000 } as const;
export const DEFAULT_PROVIDER_RATE_LIMITS = 'wecom=10000/min';

const entry = /^([a-z][a-z0-9-]*)=(\d+)\/(s|min|h)$/;

/**
 * `PROVIDER_RATE_LIMITS`: comma-separated `provider=calls/period`, period `s`, `min` or `h`
 * (e.g. `sms=100/s,wecom=10000/min`); empty for none.
 */
export const ProviderRateLimitsSchema = z
  .string()
  .trim()
  .transform((text, ctx) => {
    const limits: ProviderRateLimit[] = [];
    for (const part of text.split(',').map((p) => p.trim())) {
      if (!part) continue;
      const match = entry.exec(part);
      if (!match) {
        ctx.addIssue({
          code: 'custom',
          message: `"${part}" is not provider=calls/period (period s, min or h), e.g. sms=100/s`,
        });
        return z.NEVER;
      }
      const [, provider, calls, period] = match as unknown as [string, string, string, keyof typeof PERIODS];
      if (Number(calls) < 1) {
        ctx.addIssue({ code: 'custom', message: `"${part}": calls must be at least 1` });
        return z.NEVER;
      }
      limits.push({ provider, calls: Number(calls), perMs: PERIODS[period] });
    }
    return limits;
  });

/**
 * Where the limit's counters live. SQLite: in memory (one process runs the engine on a file, the
 * engine lock sees to it). PostgreSQL: in the database's `rate_limits` table, so every worker
 * draws from one bucket per provider.
 */
export type RateLimitStore = { kind: 'memory' } | { kind: 'postgres'; pool: pg.Pool };

function queueFor(limit: ProviderRateLimit, store: RateLimitStore): RateLimiterQueue {
  const options = {
    keyPrefix: `provider-${limit.provider}`,
    points: limit.calls,
    duration: limit.perMs / 1000,
  };
  const limiter =
    store.kind === 'postgres'
      ? new RateLimiterPostgres({
          ...options,
          storeClient: store.pool,
          storeType: 'pool',
          tableName: 'rate_limits',
          // The table comes from the migrations (model RateLimit), shared with sign-in throttling.
          tableCreated: true,
          // A few keys, each updated in place: nothing to sweep (the sweep's timer would hold the process).
          clearExpiredByTimeout: false,
        })
      : new RateLimiterMemory(options);
  return new RateLimiterQueue(limiter);
}

/**
 * Wraps the executors of limited providers so each run first takes a token from its provider's
 * bucket, waiting its turn instead of failing (the effect's lease covers the wait). One run is
 * one token: a run that makes two provider calls (a token fetch and a send) counts once, so set
 * the limit a little under the provider's quota.
 */
export function rateLimitExecutors(
  executors: readonly NodeExecutor[],
  limits: readonly ProviderRateLimit[],
  store: RateLimitStore,
): NodeExecutor[] {
  const queues = new Map(limits.map((limit) => [limit.provider, queueFor(limit, store)]));
  return executors.map((executor) => {
    const provider = executor.definition.type.split('.')[0] ?? '';
    const queue = queues.get(provider);
    if (!queue) return executor;
    return {
      ...executor,
      async run(ctx) {
        await queue.removeTokens(1);
        return executor.run(ctx);
      },
    };
  });
}
