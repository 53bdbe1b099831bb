import { Injectable, OnModuleInit } from '@nestjs/common';
import { UserRepository } from '@sah/domain';
import { AppConfig } from '../../../config/app-config';
import { MailQueue } from '../../../platform/mail/mail-queue';
import { MailRenderers } from '../../../platform/mail/mail-renderers';
import { plainMail } from '../../../platform/mail/plain-mail';

const ENDPOINT_DISABLED_MAIL = 'webhooks.endpoint-disabled';

/** Tells an endpoint's owner it was disabled (410 Gone, or 5 days of failures) and how to resume. */
@Injectable()
export class WebhookMails implements OnModuleInit {
  constructor(
    private readonly mail: MailQueue,
    private readonly renderers: MailRenderers,
    private readonly users: UserRepository,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.mail.onEvent('webhooks.endpoint_disabled', ENDPOINT_DISABLED_MAIL, (event) => {
      const { userId, url, reason } = event.payload as { userId?: string; url?: string; reason?: string };
      return typeof userId === 'string'
        ? { userId, params: { url: String(url), reason: String(reason) } }
        : null;
    });
    this.renderers.register(ENDPOINT_DISABLED_MAIL, async (userId, { url, reason }) => {
      const user = await this.users.findById(userId);
      return (
        user &&
        plainMail(user.email.value, 'A webhook endpoint of yours was disabled', [
          `Hello ${user.name},`,
          `We stopped sending webhooks to ${url}: ${reason}.`,
          `Once it answers again, enable it and recover the failed deliveries in the console: ${this.config.http.appUrl}/admin`,
        ])
      );
    });
  }
}
