import { type NodeExecutor, OutcomeUnknownError, PermanentError, RetryableError } from '@siyu/shared';
import type { Metrics } from '../metrics/registry.ts';

/** How an executor run ended, as the dispatcher will read it. */
function outcomeOf(error: unknown): string {
  if (error instanceof RetryableError) return 'retryable';
  if (error instanceof PermanentError) return 'permanent';
  if (error instanceof OutcomeUnknownError) return 'unknown';
  return 'error';
}

/**
 * Wraps each executor so every run (one provider call: an SMS, a WeCom message, a coupon) is
 * counted and timed per provider (the node package, `sms` of `sms.send`) and node type. This is
 * where effects are dispatched, seen from outside the engine: the dispatcher calls `run` and
 * nothing else changes.
 */
export function instrumentExecutors(executors: readonly NodeExecutor[], metrics: Metrics): NodeExecutor[] {
  return executors.map((executor) => {
    const nodeType = executor.definition.type;
    const labels = { provider: nodeType.split('.')[0] ?? nodeType, node_type: nodeType };
    return {
      ...executor,
      async run(ctx) {
        const end = metrics.providerDuration.startTimer(labels);
        try {
          const result = await executor.run(ctx);
          metrics.providerCalls.inc({ ...labels, outcome: 'ok' });
          return result;
        } catch (error) {
          metrics.providerCalls.inc({ ...labels, outcome: outcomeOf(error) });
          throw error;
        } finally {
          end();
        }
      },
    };
  });
}
