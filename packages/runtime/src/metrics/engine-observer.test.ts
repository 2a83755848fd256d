import { describe, expect, it } from 'vitest';
import { metricsEngineObserver } from './engine-observer.ts';
import { createMetrics } from './registry.ts';

describe('the engine observer', () => {
  it('records each fired timer’s due → fired delay in seconds (never negative)', async () => {
    const metrics = createMetrics({ defaults: false });
    metricsEngineObserver(metrics).timersFired([1_000, 4_000, 9_000], 5_000);
    const text = await metrics.registry.metrics();
    expect(text).toContain('siyu_timer_fire_lag_seconds_count 3');
    expect(text).toContain('siyu_timer_fire_lag_seconds_sum 5'); // 4 s + 1 s + 0
  });
});
