import type { Page } from 'playwright-core';

/**
 * Waits for what a user waits for after typing into a console list's filter: the filter in the URL
 * and no list loading, so the rows on screen are the filtered result. A click before that can land
 * on a row of the previous result just as it is replaced, and be lost.
 */
export async function waitForFilteredList(page: Page, param: string, value: string, timeout: number): Promise<void> {
  await page.waitForFunction(
    ([name, expected]) =>
      new URLSearchParams(location.search).get(name) === expected && !document.querySelector('[aria-busy="true"]'),
    [param, value] as const,
    { timeout },
  );
}

/** Opens a user from the console's Users list as an admin does: search by e-mail, then click the row. */
export async function openUserFromList(page: Page, user: { id: string; email: string }, timeout: number): Promise<void> {
  await page.getByTestId('nav-item').filter({ hasText: 'Users' }).click();
  await page.getByTestId('users-table').waitFor({ state: 'visible', timeout });
  await page.getByTestId('users-search').fill(user.email);
  await waitForFilteredList(page, 'search', user.email, timeout);
  // The result lists that user alone (e-mail addresses are unique).
  await page.waitForFunction(
    (email) => {
      const rows = document.querySelectorAll<HTMLElement>('[data-testid="user-row"]');
      return rows.length === 1 && rows[0].dataset['email'] === email;
    },
    user.email,
    { timeout },
  );
  await page.locator(`[data-testid="user-row"][data-email="${user.email}"]`).click();
  await page.waitForURL((url) => url.pathname === `/admin/users/${user.id}`, { timeout });
}

/**
 * Waits until the console's dialog has finished opening (Material then drops `mdc-dialog--opening`
 * and moves the focus in), as a user does before using it: a click while it still scales up can
 * land beside the button it aimed at, and nothing happens.
 */
export async function waitForDialogOpen(page: Page, timeout: number): Promise<void> {
  await page.locator('mat-dialog-container.mdc-dialog--open:not(.mdc-dialog--opening)').waitFor({ state: 'visible', timeout });
}
