import { MailMessage } from '@sah/domain';

const escape = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** A mail of plain paragraphs, as text and as escaped HTML, signed by the product. */
export function plainMail(to: string, subject: string, lines: string[]): MailMessage {
  return {
    to,
    subject,
    text: `${lines.join('\n\n')}\n\n— Smart AI Hub`,
    html: `<!doctype html><html><body style="font-family:system-ui,sans-serif">${lines
      .map((line) => `<p>${escape(line)}</p>`)
      .join('')}<p>— Smart AI Hub</p></body></html>`,
  };
}
