import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { MailSender } from '@sah/domain';
import { LogMailSender, QUEUES, SmtpMailSender } from '@sah/infrastructure';
import type { Logger } from 'pino';
import { AppConfig } from '../../config/app-config';
import { ROOT_LOGGER } from '../logging/logging.module';
import { FailedMailsResolver } from './failed-mails.resolver';
import { FailedMails } from './failed-mails.service';
import { MailProcessor } from './mail.processor';
import { MailQueue } from './mail-queue';
import { MailRenderers } from './mail-renderers';

@Injectable()
class MailSenderLifecycle implements OnApplicationShutdown {
  constructor(private readonly sender: MailSender) {}

  onApplicationShutdown(): void {
    if (this.sender instanceof SmtpMailSender) this.sender.close();
  }
}

/**
 * Outgoing mail, off the request path: contexts register renderers and the events that mail
 * (MailQueue.onEvent); the `mail` queue's processor sends, where workers run. Admins see and retry
 * the dead-lettered ones (FailedMails).
 */
@Global()
@Module({})
export class MailModule {
  static register(options: { runWorkers: boolean }): DynamicModule {
    return {
      module: MailModule,
      imports: [BullModule.registerQueue({ name: QUEUES.mail })],
      providers: [
        {
          provide: MailSender,
          inject: [AppConfig, ROOT_LOGGER],
          useFactory: ({ mail }: AppConfig, logger: Logger) =>
            mail.smtpUrl
              ? new SmtpMailSender(mail.smtpUrl, mail.from, mail)
              : new LogMailSender(logger.child({ component: 'mail' })),
        },
        MailSenderLifecycle,
        MailRenderers,
        MailQueue,
        FailedMails,
        FailedMailsResolver,
        ...(options.runWorkers ? [MailProcessor] : []),
      ],
      exports: [MailRenderers, MailQueue],
    };
  }
}
