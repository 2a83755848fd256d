import { describe, expect, it } from 'vitest';
import { heapCap } from './heap-cap.ts';

const MB = 2 ** 20;

describe('heapCap', () => {
  it('takes a limit of the configured cap plus the young generation as configured, and V8 defaults as not', () => {
    expect(heapCap(1024, 1072 * MB)).toEqual({ limitMb: 1072, asConfigured: true });
    expect(heapCap(600, 648 * MB)).toEqual({ limitMb: 648, asConfigured: true });
    // V8's own limit on a 24 GB machine, started without the start scripts.
    expect(heapCap(1024, 4144 * MB)).toEqual({ limitMb: 4144, asConfigured: false });
  });
});
