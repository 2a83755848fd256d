import { type NodeExecutor, PermanentError, RetryableError } from '@siyu/shared';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../metrics/registry.ts';
import { instrumentExecutors } from './instrument-executors.ts';

describe('provider-call metrics', () => {
  it('counts every executor run by provider, node type and outcome, and times it, passing results and errors through', async () => {
    const metrics = createMetrics({ defaults: false });
    const outcomes: (() => Promise<{ port: string }>)[] = [
      async () => ({ port: 'sent' }),
      async () => {
        throw new RetryableError('provider busy');
      },
      async () => {
        throw new PermanentError('bad number');
      },
    ];
    const executor = {
      definition: { type: 'sms.send' },
      run: () => (outcomes.shift() as () => Promise<{ port: string }>)(),
    };
    const [wrapped] = instrumentExecutors([executor as unknown as NodeExecutor], metrics);
    const ctx = {} as Parameters<NodeExecutor['run']>[0];
    await expect(wrapped?.run(ctx)).resolves.toEqual({ port: 'sent' });
    await expect(wrapped?.run(ctx)).rejects.toBeInstanceOf(RetryableError);
    await expect(wrapped?.run(ctx)).rejects.toBeInstanceOf(PermanentError);
    const text = await metrics.registry.metrics();
    for (const outcome of ['ok', 'retryable', 'permanent'])
      expect(text).toContain(`siyu_provider_calls_total{provider="sms",node_type="sms.send",outcome="${outcome}"} 1`);
    expect(text).toContain('siyu_provider_call_duration_seconds_count{provider="sms",node_type="sms.send"} 3');
  });
});
