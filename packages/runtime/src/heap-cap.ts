import { getHeapStatistics } from 'node:v8';

/** The JS heap cap (MB) the start scripts pass to node when SIYU_HEAP_MB is not set (package.json). */
export const DEFAULT_HEAP_MB = 1024;

/**
 * The heap this process may use (MB), and whether it is the SIYU_HEAP_MB cap. `heap_size_limit` is
 * the old generation's cap plus the young generation (tens of MB), so "near" allows for that. A
 * server started without the start scripts (`node … src/main.ts`) runs on V8's own limit, a quarter
 * of the machine's memory: its RSS then grows with garbage (README, SIYU_HEAP_MB).
 */
export function heapCap(configuredMb: number, limitBytes = getHeapStatistics().heap_size_limit) {
  const limitMb = Math.round(limitBytes / 2 ** 20);
  return { limitMb, asConfigured: Math.abs(limitMb - configuredMb) <= 256 };
}
