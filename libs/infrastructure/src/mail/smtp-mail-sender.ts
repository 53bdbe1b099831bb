import { MailMessage, MailSender } from '@sah/domain';
import nodemailer, { Transporter } from 'nodemailer';
import SMTPTransport from 'nodemailer/lib/smtp-transport';

/** Deadlines of one send; nodemailer's defaults (minutes) would let a silent server hold a job that long. */
export interface SmtpDeadlines {
  connectionTimeoutMs: number;
  greetingTimeoutMs: number;
  socketTimeoutMs: number;
}

/** Sends through the SMTP server named by a URL such as `smtp://user:pass@host:587` or `smtps://…`. */
export class SmtpMailSender extends MailSender {
  private readonly transporter: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    deadlines: SmtpDeadlines,
  ) {
    super();
    // No pool: each send opens its own connection, so a connection stalled by an earlier failure is never reused.
    // The transport is built here because createTransport(url) ignores options given beside a URL.
    this.transporter = nodemailer.createTransport(
      new SMTPTransport({
        url: smtpUrl,
        connectionTimeout: deadlines.connectionTimeoutMs,
        greetingTimeout: deadlines.greetingTimeoutMs,
        socketTimeout: deadlines.socketTimeoutMs,
      }),
    );
  }

  async send(message: MailMessage): Promise<void> {
    await this.transporter.sendMail({ from: this.from, ...message });
  }

  close(): void {
    this.transporter.close();
  }
}
