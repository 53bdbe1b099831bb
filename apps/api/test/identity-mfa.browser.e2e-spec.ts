import { Totp } from '@sah/infrastructure';
import jsQR from 'jsqr';
import type { Browser, Locator } from 'playwright-core';
import { DataSource } from 'typeorm';
import { submitLogin, useConsole, watchProblems } from './support/console-session';
import { createUser, PASSWORD } from './support/identity-fixtures';
import type { TestApp } from './support/test-app';

const UI_TIMEOUT = 15_000;

/** The text of the QR code an <img> shows, decoded from its pixels as the page rendered them. */
async function scanQrCode(image: Locator): Promise<string> {
  const pixels = await image.evaluate(async (img: HTMLImageElement) => {
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d canvas context');
    context.drawImage(img, 0, 0);
    const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
    return { data: Array.from(data), width, height };
  });
  const decoded = jsQR(Uint8ClampedArray.from(pixels.data), pixels.width, pixels.height);
  if (!decoded) throw new Error(`no QR code found in the ${pixels.width}x${pixels.height} image`);
  return decoded.data;
}

/** Two-factor sign-in through the built console, in headless Chromium. */
describe('admin console: two-factor sign-in in a browser', () => {
  let api: TestApp;
  let browser: Browser;
  useConsole((started) => ({ api, browser } = started));

  /**
   * A code the API has not seen: the API refuses a time step it already accepted (replay), and
   * accepts the next step's code too (clock drift), so after a code of this step comes the next one.
   */
  async function freshCode(secret: string, userId: string): Promise<string> {
    const rows = await api.app
      .get(DataSource)
      .query<{ step: string | null }[]>(
        'SELECT last_used_step::text AS step FROM identity_two_factor WHERE user_id = $1',
        [userId],
      );
    const lastStep = rows[0]?.step == null ? -1 : Number(rows[0].step);
    const step = Math.max(Math.floor(Date.now() / 30_000), lastStep + 1);
    return Totp.codeAt(secret, step * 30_000);
  }

  it('enrols 2FA by scanning the QR code the page draws, signs out, signs in with a generated code, and turns it off with the password', async () => {
    const user = await createUser(api, 'USER');
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchProblems(page);
    try {
      await submitLogin(page, api.url, user.email.value);
      await page.waitForURL((url) => url.pathname === '/admin/dashboard', { timeout: UI_TIMEOUT });

      await page.goto(`${api.url}/admin/account`);
      const card = page.getByTestId('security-card');
      await card
        .getByTestId('two-factor-status')
        .filter({ hasText: /sign-in is off\b/ })
        .waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await card.getByTestId('two-factor-enable').click();

      // As a phone would: the secret comes from scanning the QR code the page drew.
      const qr = card.getByTestId('qr-code');
      await qr.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      const uri = new URL(await scanQrCode(qr));
      expect(uri.protocol).toBe('otpauth:');
      expect(uri.host).toBe('totp');
      const secret = uri.searchParams.get('secret') ?? '';
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(decodeURIComponent(uri.pathname)).toContain(user.email.value);
      // The text offered to type in instead is the same secret.
      await expect(card.getByTestId('two-factor-secret').textContent()).resolves.toContain(secret);

      await card.getByTestId('two-factor-confirm-code').fill(await freshCode(secret, user.id));
      await card.getByTestId('two-factor-confirm').click();
      const codes = card.getByTestId('recovery-codes');
      await codes.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await expect(codes.locator('li').count()).resolves.toBe(10);
      await card.getByTestId('recovery-codes-saved').click();
      await card
        .getByTestId('two-factor-status')
        .filter({ hasText: /sign-in is on\b/ })
        .waitFor({ state: 'visible', timeout: UI_TIMEOUT });

      await page.getByTestId('sign-out').click();
      await page.waitForURL((url) => url.pathname === '/admin/login', { timeout: UI_TIMEOUT });

      // The password alone leads to the code step, not into the console.
      await submitLogin(page, api.url, user.email.value);
      const code = page.getByTestId('login-two-factor-code');
      await code.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      expect(new URL(page.url()).pathname).toBe('/admin/login');

      await code.fill(await freshCode(secret, user.id));
      await page.getByTestId('login-two-factor-submit').click();
      await page.waitForURL((url) => url.pathname === '/admin/dashboard', { timeout: UI_TIMEOUT });

      // Without the phone at hand, the password turns it off.
      await page.goto(`${api.url}/admin/account`);
      await card.getByTestId('two-factor-disable-proof').click();
      await card.getByTestId('two-factor-disable-password').fill(PASSWORD);
      await card.getByTestId('two-factor-disable').click();
      await card
        .getByTestId('two-factor-status')
        .filter({ hasText: /sign-in is off\b/ })
        .waitFor({ state: 'visible', timeout: UI_TIMEOUT });

      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 90_000);
});
