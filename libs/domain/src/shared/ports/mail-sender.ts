export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Port: sends one e-mail. Implementations: SMTP, or a log line when no SMTP server is configured. */
export abstract class MailSender {
  abstract send(message: MailMessage): Promise<void>;
}
