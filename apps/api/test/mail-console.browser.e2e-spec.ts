import type { Browser } from 'playwright-core';
import { assertConsoleBuilt, launchChromium } from './support/chromium';
import { signIn, watchProblems } from './support/console-session';
import type { FakeSmtp } from './support/fake-smtp';
import { dataOf, gql } from './support/graphql-client';
import { createSignedInUser, createUser } from './support/identity-fixtures';
import { MailTestApp, startMailTestApp } from './support/mail-test-app';
import type { TcpProxy } from './support/tcp-proxy';
import { eventually, TestApp } from './support/test-app';

const UI_TIMEOUT = 15_000;

/** An administrator sends a dead-lettered mail again from the built console, in headless Chromium. */
describe('admin console: failed mails in a browser', () => {
  let mail: MailTestApp | undefined;
  let api: TestApp;
  let smtp: FakeSmtp;
  let proxy: TcpProxy;
  let browser: Browser;

  beforeAll(async () => {
    mail = await startMailTestApp({ MAIL_ATTEMPTS: '1' });
    ({ api, smtp, proxy } = mail);
    assertConsoleBuilt(api);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await mail?.close();
  });

  it('lists a mail that could not be sent and sends it again, with no console errors', async () => {
    const admin = await createSignedInUser(api, 'ADMIN');
    const user = await createUser(api, 'USER');
    proxy.blackhole();
    let mailId = '';
    try {
      await gql(api.url, 'mutation ($email: String!) { requestPasswordReset(email: $email) }', { email: user.email.value });
      const failed = await eventually(
        async () => dataOf(await gql<{ failedMails: { id: string; userId: string }[] }>(api.url, '{ failedMails { id userId } }', undefined, admin.accessToken)).failedMails,
        (mails) => mails.some((mail) => mail.userId === user.id),
        UI_TIMEOUT,
      );
      mailId = failed.find((mail) => mail.userId === user.id)?.id ?? '';
      expect(mailId).not.toBe('');
    } finally {
      await proxy.restore();
    }

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watchProblems(page);
    try {
      await signIn(page, api.url, admin.email, UI_TIMEOUT);

      await page.getByTestId('nav-item').filter({ hasText: 'Failed mails' }).click();
      const row = page.locator(`[data-testid="failed-mail-row"][data-id="${mailId}"]`);
      await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await expect(row.textContent()).resolves.toContain(user.email.value);
      await expect(row.textContent()).resolves.toContain('identity.password-reset');

      await row.getByTestId('failed-mail-retry').click();
      await page.getByText(/queued again/).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      await row.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
      await smtp.waitFor(user.email.value, /Reset your/, UI_TIMEOUT);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
