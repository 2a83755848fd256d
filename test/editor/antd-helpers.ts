// Driving antd parts from browser tests by what the operator sees: a select's option by its visible
// label, a confirm's text and its OK / Cancel buttons.
import type { Locator, Page } from 'playwright-core';

/** Opens the antd Select (found by its test id or a locator) and picks the option showing `label`. */
export async function pickOption(page: Page, select: string | Locator, label: string): Promise<void> {
  const field = typeof select === 'string' ? page.getByTestId(select) : select;
  await field.click();
  const option = page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ has: page.getByText(label, { exact: true }) });
  await option.first().click();
  await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
}

/** The label an antd Select shows for its value (what is rendered visibly, not hidden text). */
export const shownOption = (page: Page, select: string): Promise<string> =>
  page
    .getByTestId(select)
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText, the visible text, is what is meant
    .innerText()
    .then((text) => text.trim());

/** The confirm on screen (the newest antd modal). */
export const openConfirm = (page: Page): Locator => page.locator('.ant-modal-confirm').last();

/** Reads the antd confirm on screen, presses OK (`accept`) or Cancel, waits for it to close; returns its text. */
export async function answerConfirm(page: Page, accept: boolean): Promise<string> {
  const dialog = openConfirm(page);
  await dialog.waitFor({ state: 'visible' });
  const text = (await dialog.textContent()) ?? '';
  await dialog
    .locator('.ant-modal-confirm-btns button')
    .nth(accept ? 1 : 0)
    .click();
  await dialog.waitFor({ state: 'detached' });
  return text;
}

/**
 * Goes to the page `key` names through the header (PageNav): its link, or — for a page in a group —
 * the group's menu first (the button whose `data-nav-items` lists the key), then the link in it.
 */
export async function openNav(page: Page, key: string): Promise<void> {
  // The header shows admin-only menus once it knows who signed in: wait until it offers the page
  // (as a link or in a menu), then see which. Counting at once raced that and took the link path.
  const link = page.locator(`.page-nav [data-testid="nav-${key}"]`);
  const group = page.locator(`.page-nav [data-nav-items~="${key}"]`);
  await link.or(group).first().waitFor();
  if ((await group.count()) > 0) {
    await group.click();
    await page.locator(`.ant-dropdown:visible [data-testid="nav-${key}"]`).click();
    return;
  }
  await link.click();
}

/** Whether the header offers the page `key` to this user (as a link, or in one of its menus). */
export const navOffers = async (page: Page, key: string): Promise<boolean> =>
  (await page.locator(`.page-nav [data-testid="nav-${key}"], .page-nav [data-nav-items~="${key}"]`).count()) > 0;
