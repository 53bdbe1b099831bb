import type { Browser, Page } from 'playwright-core';
import { assertConsoleBuilt, launchChromium } from './chromium';
import { PASSWORD } from './identity-fixtures';
import { startTestApp, TestApp } from './test-app';

/** The API serving the built console, and the headless Chromium that drives it. */
export interface ConsoleUnderTest {
  api: TestApp;
  browser: Browser;
}

/** Starts the API (with `env` overrides) and Chromium; fails clearly when the console is not built. */
export async function startConsole(env: Record<string, string> = {}): Promise<ConsoleUnderTest> {
  const api = await startTestApp(env);
  try {
    assertConsoleBuilt(api);
    return { api, browser: await launchChromium() };
  } catch (error) {
    await api.close();
    throw error;
  }
}

/**
 * Registers the hooks of a describe block whose tests only need the console: starts it before all
 * of them (handing it to `onStart`, which keeps `api` and `browser` in the block's variables) and
 * closes Chromium, then the API, after all of them.
 */
export function useConsole(onStart: (started: ConsoleUnderTest) => void, env: Record<string, string> = {}): void {
  let starting: Promise<ConsoleUnderTest> | undefined;
  beforeAll(async () => {
    starting = startConsole(env);
    onStart(await starting);
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    // Even a start that outlived its hook is closed: a running API would keep jest from ever exiting.
    const started = await starting?.catch(() => undefined);
    await started?.browser.close();
    await started?.api.close();
  }, START_TIMEOUT_MS);
}

/** API + Chromium start-up took over jest's default 30 s at load 15 on two cores: a bound, not a wait. */
const START_TIMEOUT_MS = 120_000;

/** Console errors and uncaught exceptions of a page, collected for as long as it is open. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

/** Opens the console's login form at `baseUrl` and submits an e-mail and password, waiting for nothing. */
export async function submitLogin(page: Page, baseUrl: string, email: string, password = PASSWORD): Promise<void> {
  await page.goto(`${baseUrl}/admin/login`);
  await fillLogin(page, email, password);
}

/** Signs in on the login page already open (one the console sent the user to, with its return address). */
export async function fillLogin(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** Signs in through the console's login form at `baseUrl` and waits for the dashboard. */
export async function signIn(page: Page, baseUrl: string, email: string, timeout: number): Promise<void> {
  await submitLogin(page, baseUrl, email);
  await page.waitForURL((url) => url.pathname === '/admin/dashboard', { timeout });
}
