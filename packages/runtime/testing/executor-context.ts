// What the dispatcher hands an executor, for tests that run one directly: the fields a test does
// not care about get plain values, so each test names only what it checks.
import type { ExecutorContext } from '@siyu/shared';

export function executorContext<TConfig>(
  config: TConfig,
  overrides: Partial<Omit<ExecutorContext<TConfig>, 'config'>> = {},
): ExecutorContext<TConfig> {
  return {
    config,
    customer: { id: 'c', tags: [], attributes: {}, identities: {} },
    idempotencyKey: '1:n:1',
    attempt: 1,
    journey: { id: 'j', versionId: 'v' },
    instanceId: '1',
    nodeId: 'n',
    now: new Date(),
    signal: new AbortController().signal,
    ...overrides,
  };
}
