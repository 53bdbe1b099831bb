import { MailMessage, MailSender } from '@sah/domain';
import nodemailer, { Transporter } from 'nodemailer';

/** Sends through the SMTP server named by a URL such as `smtp://user:pass@host:587` or `smtps://…`. */
export class SmtpMailSender extends MailSender {
  private readonly transporter: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    super();
    this.transporter = nodemailer.createTransport(smtpUrl);
  }

  async send(message: MailMessage): Promise<void> {
    await this.transporter.sendMail({ from: this.from, ...message });
  }

  close(): void {
    this.transporter.close();
  }
}
