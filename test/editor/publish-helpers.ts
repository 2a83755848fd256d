// Publishing from the editor's dialog, as the operator does it, with a failure that says why.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Presses 发布 in the publish dialog and waits for the dialog to close and the editor's notice to
 * say `notice`. A refusal stays in the dialog as its error: the failure then quotes it, instead of
 * a bare timeout on the notice (CI's only trace of what went wrong).
 */
export async function confirmPublish(page: Page, notice: string): Promise<void> {
  const dialog = page.getByTestId('publish-dialog');
  await dialog.getByTestId('publish-confirm').click();
  await expect
    .poll(
      async () =>
        (await dialog.count()) === 0
          ? 'closed'
          : `still open: ${(await dialog.locator('.field-message').allTextContents()).join(' ') || 'no error shown'}`,
      { timeout: 30_000 },
    )
    .toBe('closed');
  await expect.poll(() => page.getByTestId('notice').textContent()).toContain(notice);
}
