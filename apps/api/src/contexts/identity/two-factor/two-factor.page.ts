import { html, htmlPage } from '../oauth/html-page';

export const TWO_FACTOR_FORM_PATH = '/auth/google/two-factor';

/**
 * The second step of a Google sign-in started by a third-party tool, for an account with
 * two-factor authentication on: a plain form (no script), posting the challenge with the code.
 */
export function twoFactorPage(input: { challengeToken: string; error?: string }): string {
  const error = input.error ? html`<p class="status" role="alert" lang="en">${input.error}</p>` : html``;
  return htmlPage({
    title: 'ยืนยันตัวตนสองขั้นตอน · Two-factor sign-in',
    body: html`<h1>ยืนยันตัวตนสองขั้นตอน <span lang="en">Two-factor sign-in</span></h1>
      <p>ใส่รหัส 6 หลักจากแอปยืนยันตัวตน หรือรหัสกู้คืน</p>
      <p lang="en">Enter the 6-digit code from your authenticator app, or a recovery code.</p>
      ${error}
      <form method="post" action="${TWO_FACTOR_FORM_PATH}" class="code">
        <input type="hidden" name="challengeToken" value="${input.challengeToken}" />
        <input
          name="code"
          type="text"
          inputmode="numeric"
          autocomplete="one-time-code"
          required
          maxlength="40"
          aria-label="รหัส · Code"
          autofocus
        />
        <button type="submit">ยืนยัน · <span lang="en">Verify</span></button>
      </form>`,
  });
}
