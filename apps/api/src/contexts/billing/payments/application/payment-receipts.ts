import { Injectable, OnModuleInit } from '@nestjs/common';
import { UserRepository } from '@sah/domain';
import { PaymentRepository } from '@sah/infrastructure';
import { AppConfig } from '../../../../config/app-config';
import { MailQueue } from '../../../../platform/mail/mail-queue';
import { MailRenderers } from '../../../../platform/mail/mail-renderers';
import { paymentsMail } from './payments-mail';

const RECEIPT_MAIL = 'billing.payment-receipt';

/**
 * Mails the receipt of a settled payment. `payment.succeeded` is stored with the payment's change
 * to paid, so the receipt is neither lost if the process stops nor in the way of the grant: it goes
 * out as a `mail` job, retried until it is sent or dead-lettered.
 */
@Injectable()
export class PaymentReceipts implements OnModuleInit {
  constructor(
    private readonly mail: MailQueue,
    private readonly renderers: MailRenderers,
    private readonly payments: PaymentRepository,
    private readonly users: UserRepository,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.mail.onEvent('payment.succeeded', RECEIPT_MAIL, (event) => ({
      userId: String(event.payload['userId']),
      params: { paymentId: String(event.payload['paymentId']) },
    }));
    this.renderers.register(RECEIPT_MAIL, async (_userId, { paymentId }) => {
      const payment = await this.payments.findById(String(paymentId));
      const user = payment && (await this.users.findById(payment.userId));
      if (!payment || !user) return null;
      const { email, name } = user.snapshot;
      return paymentsMail.receipt(email.value, name, payment, this.config.http.appUrl);
    });
  }
}
