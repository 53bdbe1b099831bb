import { MailMessage, MailSender } from '@sah/domain';
import type { StructuredLogger } from '../logging/typeorm-logger';

/**
 * Without SMTP_URL, mail is logged instead of sent, so a local install can still complete sign-up.
 * The text part is logged because it holds the code the developer needs; never use this in production.
 */
export class LogMailSender extends MailSender {
  constructor(private readonly logger: StructuredLogger) {
    super();
  }

  async send(message: MailMessage): Promise<void> {
    this.logger.info({ mail_to: message.to, subject: message.subject, text: message.text }, 'mail not sent (no SMTP_URL): logged instead');
  }
}
