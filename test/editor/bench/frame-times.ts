// Frame times in the page while the bench does something (a drag, a pan): every gap between two
// requestAnimationFrame callbacks. A frame the page could not paint in time shows as a long gap.
import type { Page } from 'playwright-core';

export interface FrameTimes {
  frames: number;
  meanMs: number;
  p95Ms: number;
  maxMs: number;
}

/** Records frame gaps in `page` while `action` runs. */
export async function frameTimesDuring(page: Page, action: () => Promise<unknown>): Promise<{ gaps: number[] }> {
  // Strings, not functions: this package's TypeScript has no DOM types.
  await page.evaluate(`(() => {
    const w = globalThis;
    w.__benchFrames = [];
    w.__benchRecording = true;
    let last = performance.now();
    const tick = (now) => {
      w.__benchFrames.push(now - last);
      last = now;
      if (w.__benchRecording) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  await action();
  const gaps = (await page.evaluate(`(() => {
    globalThis.__benchRecording = false;
    return globalThis.__benchFrames;
  })()`)) as number[];
  // The first gap runs from the evaluate call to the first frame, not from one frame to the next.
  return { gaps: gaps.slice(1) };
}

export function summarise(gaps: readonly number[]): FrameTimes {
  const sorted = [...gaps].sort((a, b) => a - b);
  return {
    frames: sorted.length,
    meanMs: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)),
    p95Ms: round(percentile(sorted, 0.95)),
    maxMs: round(sorted.at(-1) ?? 0),
  };
}

/** The value at fraction `p` of an ascending list (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)] ?? 0;
}

export const median = (values: readonly number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  );

export const round = (ms: number) => Math.round(ms * 10) / 10;
