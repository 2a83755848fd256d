import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Presses auto-layout and waits until its result is on the canvas: ELK loads on the first layout,
 * and on a slow machine that outlasts any "the view has stopped moving" wait, which then measured
 * the view in the middle of the fit's animation.
 */
export async function autoLayout(page: Page): Promise<void> {
  const button = page.getByTestId('layout');
  await button.click();
  await expect.poll(() => button.getAttribute('aria-busy'), { timeout: 30_000 }).not.toBe('true');
}
