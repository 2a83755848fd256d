// Provider rate limits: the bucket is shared by every worker on PostgreSQL, and runs wait for a
// token rather than fail.
import { defineExecutor, defineNode, type NodeExecutor } from '@siyu/shared';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openPostgresDatabase } from '../db/postgres-database.ts';
import { postgresDatabaseForFile } from '../db/postgres-for-tests.test-helper.ts';
import { ProviderRateLimitsSchema, rateLimitExecutors } from './provider-rate-limits.ts';

const postgresUrl = postgresDatabaseForFile('provider_limits');

function executorOf(type: string, calls: number[]): NodeExecutor {
  const definition = defineNode({
    type,
    version: 1,
    category: 'message',
    icon: 'send',
    label: { 'zh-CN': type, en: type },
    config: z.object({}),
    defaultConfig: {},
    outputs: [{ id: 'sent', label: { 'zh-CN': '已发', en: 'Sent' } }],
  });
  return defineExecutor(definition, async () => {
    calls.push(Date.now());
    return { port: 'sent' };
  });
}

const run = (executor: NodeExecutor) => executor.run({} as Parameters<NodeExecutor['run']>[0]);

describe('PROVIDER_RATE_LIMITS', () => {
  it('reads provider=calls/period pairs', () => {
    expect(ProviderRateLimitsSchema.parse('sms=100/s, wecom=10000/min,coupons=5/h')).toEqual([
      { provider: 'sms', calls: 100, perMs: 1000 },
      { provider: 'wecom', calls: 10000, perMs: 60_000 },
      { provider: 'coupons', calls: 5, perMs: 3_600_000 },
    ]);
    expect(ProviderRateLimitsSchema.parse('')).toEqual([]);
  });

  it('says which part is wrong', () => {
    const result = ProviderRateLimitsSchema.safeParse('sms=100/s,wecom=fast');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('"wecom=fast" is not provider=calls/period');
    expect(ProviderRateLimitsSchema.safeParse('sms=0/s').error?.issues[0]?.message).toContain('at least 1');
  });
});

describe('rate-limited executors', () => {
  it('leave providers without a limit alone', async () => {
    const calls: number[] = [];
    const [executor] = rateLimitExecutors(
      [executorOf('core.tag', calls)],
      [{ provider: 'sms', calls: 1, perMs: 60_000 }],
      {
        kind: 'memory',
      },
    );
    for (let i = 0; i < 5; i++) await run(executor as NodeExecutor);
    expect(calls).toHaveLength(5);
  });

  it('hold one bucket across two workers on PostgreSQL: the calls wait their turn', async () => {
    // Two workers, each with its own pool and limiter, like two processes.
    const workers = await Promise.all([openPostgresDatabase(postgresUrl()), openPostgresDatabase(postgresUrl())]);
    try {
      const calls: number[] = [];
      const limit = [{ provider: 'sms', calls: 4, perMs: 1000 }];
      const executors = workers.map(
        (db) => rateLimitExecutors([executorOf('sms.send', calls)], limit, { kind: 'postgres', pool: db.pool })[0],
      ) as NodeExecutor[];
      const started = Date.now();
      // 12 sends, 6 from each worker, all at once: 4 per second between them, so 3 windows.
      await Promise.all(Array.from({ length: 12 }, (_, i) => run(executors[i % 2] as NodeExecutor)));
      expect(calls).toHaveLength(12);
      const firstWindow = calls.filter((at) => at - started < 900).length;
      expect(firstWindow).toBeLessThanOrEqual(4);
      // The 12th call cannot happen before two more windows have opened.
      expect(Math.max(...calls) - started).toBeGreaterThanOrEqual(1900);
    } finally {
      await Promise.all(workers.map((db) => db.close()));
    }
  });
});
