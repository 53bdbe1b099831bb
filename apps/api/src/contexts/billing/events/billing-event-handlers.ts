import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { UserRepository } from '@sah/domain';
import type { Logger } from 'pino';
import { AppConfig } from '../../../config/app-config';
import { ROOT_LOGGER } from '../../../platform/logging/logging.module';
import { MailQueue } from '../../../platform/mail/mail-queue';
import { MailRenderers } from '../../../platform/mail/mail-renderers';
import { OutboxEvent, OutboxHandlers } from '../../../platform/outbox/outbox-handlers';
import { LedgerService } from '../application/ledger.service';
import { billingMail } from './billing-mail';

const LOW_BALANCE_MAIL = 'billing.low-balance';

/**
 * Billing's reactions to stored events: identity's registrations open accounts, verifications grant
 * the welcome credits (once: the grant's idempotency key is the user), and balance crossings mail
 * the user. Delivery is at least once, so each reaction is safe to repeat.
 */
@Injectable()
export class BillingEventHandlers implements OnModuleInit {
  private readonly logger: Logger;

  constructor(
    private readonly outbox: OutboxHandlers,
    private readonly ledger: LedgerService,
    private readonly users: UserRepository,
    private readonly mail: MailQueue,
    private readonly renderers: MailRenderers,
    private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'billing-events' });
  }

  onModuleInit(): void {
    this.outbox.on('identity.user_registered', (event) => this.openAccount(event));
    this.outbox.on('identity.email_verified', (event) => this.grantWelcomeCredits(event));
    this.mail.onEvent('credit.low', LOW_BALANCE_MAIL, (event) => this.alert(event));
    this.mail.onEvent('credit.depleted', LOW_BALANCE_MAIL, (event) => this.alert(event));
    this.renderers.register(LOW_BALANCE_MAIL, async (userId, { available, threshold }) => {
      const user = await this.users.findById(userId);
      return user && billingMail.lowBalance(user.email.value, user.name, Number(available), Number(threshold), this.config.http.appUrl);
    });
  }

  private async openAccount(event: OutboxEvent): Promise<void> {
    await this.ledger.openAccount(userIdOf(event));
  }

  private async grantWelcomeCredits(event: OutboxEvent): Promise<void> {
    const amount = this.config.billing.welcomeCredits;
    if (!amount.isPositive()) return;
    const userId = userIdOf(event);
    const { replayed } = await this.ledger.grant({
      userId,
      type: 'welcome',
      amount,
      reason: 'Welcome credits',
      // The key is the user: however often this event is delivered, one grant. The hash is fixed so
      // a later change of WELCOME_CREDITS does not turn a redelivery into a conflict.
      idempotency: { scope: 'welcome', key: userId, requestHash: 'welcome' },
    });
    if (!replayed) this.logger.info({ user_id: userId, credits: amount.toString() }, 'welcome credits granted');
  }

  /**
   * One mail per crossing: entering `low` mails (saying so if the balance went straight to empty);
   * entering `depleted` mails again only if the user had already been told it was low.
   */
  private alert(event: OutboxEvent): { userId: string; params: { available: number; threshold: number } } | null {
    const { from, to, available, threshold } = event.payload as { from: string; to: string; available: number; threshold: number };
    if (event.type === 'credit.depleted' && from !== 'low') return null;
    return { userId: userIdOf(event), params: { available: to === 'depleted' ? 0 : available, threshold } };
  }
}

function userIdOf(event: OutboxEvent): string {
  const userId = event.payload['userId'];
  if (typeof userId !== 'string') throw new Error(`outbox event ${event.id} (${event.type}) has no userId`);
  return userId;
}
