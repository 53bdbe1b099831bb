import { verifiedSessionPage } from '../sessions/verified-session.page';
import { escapeHtml, html, htmlPage } from './html-page';
import { signInErrorPage } from './sign-in-error.page';

const HOSTILE = `"><script>alert('x')</script><img src=x onerror=alert(1)>&`;

describe('HTML pages', () => {
  it('escapes text for content and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;',
    );
  });

  it('escapes every interpolated value but nested html', () => {
    expect(html`<p title="${HOSTILE}">${html`<b>${'<i>'}</b>`}</p>`.markup).toBe(
      `<p title="${escapeHtml(HOSTILE)}"><b>&#60;i&#62;</b></p>`,
    );
  });

  it('puts nothing unescaped into the VERIFIED code page or the error page', () => {
    const pages = [
      verifiedSessionPage({ code: HOSTILE, expiresAt: new Date('2030-01-08T10:00:00Z') }),
      signInErrorPage({ message: HOSTILE, reason: HOSTILE }),
      htmlPage({ title: HOSTILE, body: html`${HOSTILE}` }),
    ];
    for (const page of pages) {
      expect(page).not.toContain('<script>');
      expect(page).not.toContain('<img');
      expect(page).toContain(escapeHtml(HOSTILE));
    }
  });

  it('dates the code in UTC and names the tool it goes back to', () => {
    const page = verifiedSessionPage({
      code: 'VERIFIED-x',
      expiresAt: new Date('2030-01-08T10:00:00Z'),
      returnTo: 'chatgpt',
    });
    expect(page).toContain('2030-01-08 10:00 UTC');
    expect(page).toContain('paste it back into ChatGPT');
    expect(verifiedSessionPage({ code: 'VERIFIED-x', expiresAt: new Date() })).toContain(
      'the tool you came from',
    );
  });
});
