import type { Browser } from 'playwright-core';
import { submitLogin, useConsole, watchProblems } from './support/console-session';
import type { TestApp } from './support/test-app';

/** The built console, served by the API under its real security headers, in headless Chromium. */
describe('admin console in a browser', () => {
  let api: TestApp;
  let browser: Browser;
  useConsole((started) => ({ api, browser } = started));

  it.each([
    ['/admin/', '/admin/login?returnUrl=%2Fdashboard'],
    ['/admin/users', '/admin/login?returnUrl=%2Fusers'],
  ])('opening %s signed out shows the login form, with no console errors', async (path, landing) => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watchProblems(page);
    try {
      await page.goto(`${api.url}${path}`);
      const form = page.getByTestId('login-form');
      await form.waitFor({ state: 'visible', timeout: 15_000 });

      expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(landing);
      await expect(page.getByTestId('login-email').isVisible()).resolves.toBe(true);
      await expect(page.getByTestId('login-password').isVisible()).resolves.toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('shows the API’s answer to wrong credentials and stays on the login page', async () => {
    const page = await browser.newPage();
    try {
      await submitLogin(page, api.url, 'admin@example.com', 'Secret123');
      const error = page.getByTestId('login-error');
      await error.waitFor({ state: 'visible', timeout: 10_000 });
      expect(await error.textContent()).toMatch(/Wrong e-mail or password/);
      expect(new URL(page.url()).pathname).toBe('/admin/login');
    } finally {
      await page.close();
    }
  });
});
