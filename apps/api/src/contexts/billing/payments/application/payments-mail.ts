import type { Payment } from '@sah/infrastructure';
import { plainMail } from '../../../../platform/mail/plain-mail';

/** `10.00 USD`, `1,000 JPY`: minor units shown with the currency's own decimals, by integer arithmetic. */
export function formatMoney(minorUnits: number, currency: string): string {
  const code = currency.toUpperCase();
  const digits =
    new Intl.NumberFormat('en-US', { style: 'currency', currency: code }).resolvedOptions()
      .maximumFractionDigits ?? 2;
  const unit = 10 ** digits;
  const whole = Math.trunc(minorUnits / unit).toLocaleString('en-US');
  const fraction = digits > 0 ? `.${String(minorUnits % unit).padStart(digits, '0')}` : '';
  return `${whole}${fraction} ${code}`;
}

export const paymentsMail = {
  receipt: (to: string, name: string, payment: Payment, appUrl: string) =>
    plainMail(to, `Your Smart AI Hub receipt: ${payment.credits.toString()} credits`, [
      `Hello ${name},`,
      `Thank you for your purchase. ${payment.credits.toString()} credits are now in your account.`,
      `Package: ${payment.packageName}`,
      `Credits: ${payment.credits.toString()}`,
      `Amount paid: ${formatMoney(payment.amountCents, payment.currency)}`,
      `Date: ${(payment.paidAt ?? payment.updatedAt).toISOString().slice(0, 10)}`,
      `Receipt number: ${payment.id}`,
      `Your balance and history: ${appUrl}/admin/account`,
    ]),
};
