import { Injectable, OnModuleInit } from '@nestjs/common';
import { MailSender, UserRepository } from '@sah/domain';
import { PaymentRepository } from '@sah/infrastructure';
import { AppConfig } from '../../../../config/app-config';
import { OutboxEvent, OutboxHandlers } from '../../../../platform/outbox/outbox-handlers';
import { paymentsMail } from './payments-mail';

/**
 * Mails the receipt of a settled payment. `payment.succeeded` is stored with the payment's change
 * to paid, so the receipt is neither lost if the process stops nor in the way of the grant: a mail
 * that fails is retried by the outbox relay.
 */
@Injectable()
export class PaymentReceipts implements OnModuleInit {
  constructor(
    private readonly outbox: OutboxHandlers,
    private readonly payments: PaymentRepository,
    private readonly users: UserRepository,
    private readonly mail: MailSender,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.outbox.on('payment.succeeded', (event) => this.send(event));
  }

  private async send(event: OutboxEvent): Promise<void> {
    const payment = await this.payments.findById(String(event.payload['paymentId']));
    const user = payment && (await this.users.findById(payment.userId));
    if (!payment || !user) return;
    const { email, name } = user.snapshot;
    await this.mail.send(paymentsMail.receipt(email.value, name, payment, this.config.http.appUrl));
  }
}
